"""SQLAlchemy models of the archive. Schema changes go through Alembic (archive/migrations)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Unit(Base):
    __tablename__ = "units"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    parent_code: Mapped[str | None] = mapped_column(String(64))
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[str] = mapped_column(String(40))


class Document(Base):
    """Unique content. Rejected content lives in the quarantine area, never deleted."""

    __tablename__ = "documents"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str | None] = mapped_column(String(20))
    area: Mapped[str] = mapped_column(String(20))  # objects | quarantine
    created_at: Mapped[str] = mapped_column(String(40))


class Fixity(Base):
    """Every digest of a document, named by algorithm ("sha256:…", "sm3:…")."""

    __tablename__ = "fixity"
    sha256: Mapped[str] = mapped_column(ForeignKey("documents.sha256"), primary_key=True)
    algorithm: Mapped[str] = mapped_column(String(16), primary_key=True)
    digest: Mapped[str] = mapped_column(String(140))


class Submission(Base):
    """Every received file, whatever became of it."""

    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt: Mapped[str] = mapped_column(String(64), unique=True)  # idempotency key of the receipt
    source: Mapped[str] = mapped_column(String(20))  # folder, cli, imap, s3, upload
    source_uri: Mapped[str] = mapped_column(Text)
    source_path: Mapped[str] = mapped_column(Text)
    original_name: Mapped[str] = mapped_column(Text)
    received_at: Mapped[str] = mapped_column(String(40))
    ingested_at: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text)
    claimed_unit: Mapped[str | None] = mapped_column(String(64))
    unit_code: Mapped[str | None] = mapped_column(String(64), index=True)
    period: Mapped[str | None] = mapped_column(String(10))
    doc_type: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(Text)
    correction: Mapped[bool] = mapped_column(Boolean, default=False)
    pii: Mapped[bool] = mapped_column(Boolean, default=False)
    run_id: Mapped[str | None] = mapped_column(String(40))


Index("ix_submissions_unit_period", Submission.unit_code, Submission.period, Submission.doc_type)
Index("ix_submissions_status_id", Submission.status, Submission.id)


class Supersession(Base):
    __tablename__ = "supersessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    old_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    new_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    rule: Mapped[str] = mapped_column(String(40))  # correction_marker | once_per_period
    created_at: Mapped[str] = mapped_column(String(40))
    __table_args__ = (UniqueConstraint("old_id", name="uq_supersessions_old"),)


class AuditEvent(Base):
    """Append-only; hash = sha256(canonical JSON of the event + previous hash)."""

    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(Text)
    details: Mapped[str] = mapped_column(Text)  # canonical JSON, exactly as hashed
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Extraction(Base):
    __tablename__ = "extractions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    extractor_version: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[str] = mapped_column(String(40))
    unit_code: Mapped[str | None] = mapped_column(String(64))
    period: Mapped[str | None] = mapped_column(String(10))
    doc_type: Mapped[str | None] = mapped_column(String(40))
    pii: Mapped[bool] = mapped_column(Boolean, default=False)
    payload: Mapped[dict] = mapped_column(JSON)  # the Extraction model minus text and values
    text: Mapped[str] = mapped_column(Text, default="")


class IndicatorValue(Base):
    __tablename__ = "indicator_values"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    extraction_id: Mapped[int] = mapped_column(ForeignKey("extractions.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    value_num: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str | None] = mapped_column(Text)
    measure: Mapped[str] = mapped_column(String(20))
    unit_code: Mapped[str | None] = mapped_column(String(64))
    period: Mapped[str | None] = mapped_column(String(10))
    derived: Mapped[bool] = mapped_column(Boolean, default=False)
    location: Mapped[str] = mapped_column(Text)
    snippet: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)


class TwoPlansValue(Base):
    __tablename__ = "two_plans_values"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    extraction_id: Mapped[int] = mapped_column(ForeignKey("extractions.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    unit_code: Mapped[str | None] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    measure: Mapped[str] = mapped_column(String(20))
    target: Mapped[str | None] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float | None] = mapped_column(Float)
    raw: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(Text)
    snippet: Mapped[str] = mapped_column(Text)


class ValueCorrection(Base):
    """An archivist's decision on one extracted value; the value row itself is never changed.

    Keyed by what the value is about (kind v/t, document, code, location, unit, period), so
    the decision still applies to the rows a re-extraction writes.
    """

    __tablename__ = "value_corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value_id: Mapped[str] = mapped_column(String(24))  # the row decided on: v123 / t45
    kind: Mapped[str] = mapped_column(String(1))  # v: indicator_values, t: two_plans_values
    sha256: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(80))
    location: Mapped[str] = mapped_column(Text)
    unit_code: Mapped[str] = mapped_column(String(64))  # "" when the value is the document's
    period: Mapped[str] = mapped_column(String(10))  # "" when the value is the document's
    value_num: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str | None] = mapped_column(Text)
    rejected: Mapped[bool] = mapped_column(Boolean, default=False)
    original: Mapped[str] = mapped_column(Text)  # the extracted value, canonical JSON
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[str] = mapped_column(String(40))


Index("ix_value_corrections_key", ValueCorrection.sha256, ValueCorrection.code)


class QualityRun(Base):
    __tablename__ = "quality_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[str] = mapped_column(String(40))
    archive_state: Mapped[str] = mapped_column(String(64))  # fingerprint of the inputs
    findings: Mapped[list] = mapped_column(JSON)
    report_html: Mapped[str | None] = mapped_column(Text)
    report_xlsx: Mapped[str | None] = mapped_column(Text)


class CompletenessSnapshot(Base):
    __tablename__ = "completeness_snapshots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[str] = mapped_column(String(40))
    as_of: Mapped[str] = mapped_column(String(40))
    archive_state: Mapped[str] = mapped_column(String(64))
    rows: Mapped[list] = mapped_column(JSON)


class PacketRecord(Base):
    """An annual review packet given out (issue 8): its ZIP is a write-once blob in area `packets`."""

    __tablename__ = "packets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    scope: Mapped[str] = mapped_column(String(64))  # unit code or "district"
    sha256: Mapped[str] = mapped_column(String(64), index=True)  # of the ZIP
    sm3: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    manifest: Mapped[dict] = mapped_column(JSON)  # payload path -> sha256
    archive_state: Mapped[str] = mapped_column(String(64))
    as_of: Mapped[str] = mapped_column(String(40))
    unmasked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(100))


class BonusAward(Base):
    """创新加分 awarded by hand; the newest award of a unit and year counts, none is changed."""

    __tablename__ = "bonus_awards"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    unit_code: Mapped[str] = mapped_column(String(64))
    points: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    awarded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[str] = mapped_column(String(40))


class Claim(Base):
    """Work a process has taken: a receipt (or any key) held under a lease until it is released.

    Operational state, not the record: a row lives from claim to release. A lease whose holder
    died expires and the next claimer takes it over (`attempts` counts the takers).
    """

    __tablename__ = "claims"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # epoch seconds, database clock
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    claimed_at: Mapped[str] = mapped_column(String(40))
