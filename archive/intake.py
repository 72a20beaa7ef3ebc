"""Recording a batch of received files: blobs first, then one writer transaction.

Statuses: accepted, duplicate, superseded, rejected (with a reason, file in
quarantine), needs_review (unit or period unknown). Every state change is an
audit event in the same transaction as the change itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.audit import AuditLog, masked_details, now_iso
from archive.blobstore import BlobStore
from archive.models import Document, Fixity, Submission
from archive.records import record_extraction, register_community
from archive.supersede import apply_supersession
from schemas.extraction import Extraction


@dataclass
class Received:
    """One received file, read, digested and (if readable) extracted by the flow."""

    receipt: str
    source: str
    source_uri: str
    source_path: str
    original_name: str
    received_at: str
    size: int
    sha256: str  # bare hex
    sm3: str  # bare hex
    data: bytes | None = None  # None when streamed from `path` (too large to hold)
    path: Path | None = None
    kind: str | None = None
    reason: str | None = None  # reject reason
    detail: str | None = None
    claimed_unit: str | None = None
    extraction: Extraction | None = None
    members: int | None = None  # a ZIP of files, each recorded on its own: how many
    meta: dict = field(default_factory=dict)  # what the channel adds: mail subject, upload note …


@dataclass
class Outcome:
    receipt: str
    submission_id: int | None
    status: str
    reason: str | None = None
    superseded: list[int] = field(default_factory=list)


def store_blobs(blobs: BlobStore, items: list[Received], sync: bool = True) -> None:
    """Write content before the transaction: an orphan blob is harmless, a row without one is not.

    Files are written unsynced and made durable by one flush for the whole batch
    (fsync per file and per folder cost ~9 ms a file); the rows are committed after it.
    """
    written = False
    for item in items:
        area = "quarantine" if item.reason else "objects"
        if item.data is not None:
            written |= blobs.put(item.sha256, item.data, area, sync=False)
        elif item.path is not None:
            written |= blobs.put_file(item.sha256, item.path, area, sync=False)
    if written and sync:
        blobs.flush()


def record_batch(session: Session, log: AuditLog, items: list[Received], run_id: str) -> list[Outcome]:
    """Record each item exactly once (by receipt); items already recorded come back as 'already'."""
    known = set(session.execute(
        select(Submission.receipt).where(Submission.receipt.in_([i.receipt for i in items]))
    ).scalars())
    docs = _existing_docs(session, {i.sha256 for i in items})
    outcomes = []
    for item in sorted(items, key=lambda i: (i.received_at, i.source_path)):
        if item.receipt in known:
            outcomes.append(Outcome(item.receipt, None, "already"))
            continue
        known.add(item.receipt)
        outcomes.append(_record_one(session, log, item, docs, run_id))
    log.flush()
    return outcomes


def _existing_docs(session: Session, digests: set[str]) -> dict[str, str]:
    rows = session.execute(select(Document.sha256, Document.area).where(Document.sha256.in_(digests)))
    return {sha: area for sha, area in rows}


def _record_one(session: Session, log: AuditLog, item: Received, docs: dict[str, str],
                run_id: str) -> Outcome:
    area = "quarantine" if item.reason else "objects"
    duplicate = area == "objects" and docs.get(item.sha256) == "objects"
    if item.sha256 not in docs or (area == "objects" and docs[item.sha256] == "quarantine"):
        _add_document(session, log, item, area, new_row=item.sha256 not in docs)
        docs[item.sha256] = area
    sub = _new_submission(item, run_id)
    ext = item.extraction
    if item.reason:
        sub.status, sub.reason = "rejected", item.reason
    elif duplicate:
        sub.status, sub.reason = "duplicate", None
    elif item.members is not None:  # the package itself; what counts is inside
        sub.status, sub.unit_code = "accepted", item.claimed_unit
        sub.detail = f"zip archive of {item.members} files, each recorded on its own"
    elif ext is not None:
        apply_extraction(session, log, sub, ext)
    else:
        sub.status, sub.reason = "needs_review", "not_extracted"
    session.add(sub)
    session.flush()
    log.add("submission.recorded", f"submission:{sub.id}", **masked_details(dict(
        receipt=sub.receipt, source_uri=sub.source_uri, name=sub.original_name, sha256=f"sha256:{sub.sha256}",
        status=sub.status, reason=sub.reason, detail=sub.detail, unit=sub.unit_code, period=sub.period,
        doc_type=sub.doc_type, run=run_id, channel=item.meta or None)))
    superseded: list[int] = []
    if ext is not None and not item.reason and not duplicate:
        record_extraction(session, log, sub, ext)
        if sub.status == "accepted":
            superseded = apply_supersession(session, log, sub)
    return Outcome(item.receipt, sub.id, sub.status, sub.reason, superseded)


def apply_extraction(session: Session, log: AuditLog, sub: Submission, ext: Extraction) -> None:
    unit = ext.unit
    if unit is None and ext.new_community:
        unit = register_community(session, log, ext.new_community)
    sub.unit_code, sub.period, sub.doc_type = unit, ext.period, ext.doc_type
    sub.title, sub.correction, sub.pii = ext.title, ext.correction, ext.pii
    missing = [p for p in ext.problems if p in ("unit_unknown", "unit_conflict", "period_unknown",
                                                "ocr_incomplete")]
    if sub.unit_code is None and "unit_unknown" not in missing and "unit_conflict" not in missing:
        missing.append("unit_unknown")
    if sub.period is None and "period_unknown" not in missing:
        missing.append("period_unknown")
    if missing:
        sub.status, sub.reason = "needs_review", missing[0]
        sub.detail = ",".join(missing)
    else:
        sub.status, sub.reason = "accepted", None


def _new_submission(item: Received, run_id: str) -> Submission:
    return Submission(
        receipt=item.receipt, source=item.source, source_uri=item.source_uri,
        source_path=item.source_path, original_name=item.original_name,
        received_at=item.received_at, ingested_at=now_iso(), size=item.size, sha256=item.sha256,
        detail=item.detail, claimed_unit=item.claimed_unit, run_id=run_id,
    )


def _add_document(session: Session, log: AuditLog, item: Received, area: str, new_row: bool) -> None:
    if new_row:
        session.add(Document(sha256=item.sha256, size=item.size, kind=item.kind, area=area,
                             created_at=now_iso()))
        session.add_all([Fixity(sha256=item.sha256, algorithm="sha256", digest=f"sha256:{item.sha256}"),
                         Fixity(sha256=item.sha256, algorithm="sm3", digest=f"sm3:{item.sm3}")])
    else:  # content first seen as rejected, now readable: keep both copies, count the object
        session.execute(Document.__table__.update().where(Document.sha256 == item.sha256)
                        .values(area=area, kind=item.kind))
    log.add("document.stored", f"sha256:{item.sha256}", area=area, size=item.size, kind=item.kind,
            sm3=f"sm3:{item.sm3}")
