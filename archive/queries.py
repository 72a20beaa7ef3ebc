"""Read queries for the faces (CLI, web) and the later stages. No writes here."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import func, select

from archive.audit import masked_details
from archive.models import (
    AuditEvent,
    Document,
    Extraction,
    Fixity,
    IndicatorValue,
    Submission,
    TwoPlansValue,
)
from archive.models import Unit as UnitRow
from archive.store import Archive
from extract.pii import mask_name

IN_CHUNK = 900  # below SQLite's bound on variables per statement


def known_receipts(archive: Archive, receipts: Iterable[str]) -> set[str]:
    receipts = list(receipts)
    found: set[str] = set()
    with archive.db.reader() as s:
        for i in range(0, len(receipts), IN_CHUNK):
            chunk = receipts[i:i + IN_CHUNK]
            found.update(s.execute(select(Submission.receipt).where(Submission.receipt.in_(chunk)))
                         .scalars())
    return found


def archived_contents(archive: Archive, digests: Iterable[str]) -> set[str]:
    """Which of these sha256 digests are archived as readable content (not quarantined)."""
    digests = list(digests)
    found: set[str] = set()
    with archive.db.reader() as s:
        for i in range(0, len(digests), IN_CHUNK):
            found.update(s.execute(select(Document.sha256).where(
                Document.sha256.in_(digests[i:i + IN_CHUNK]), Document.area == "objects")).scalars())
    return found


def unit_names(archive: Archive) -> dict[str, str]:
    with archive.db.reader() as s:
        return dict(s.execute(select(UnitRow.code, UnitRow.name)).all())


def submissions_by_id(archive: Archive, ids: list[int]) -> list[dict]:
    """Current state of the given submissions (statuses may have changed since recording)."""
    rows: list[dict] = []
    for i in range(0, len(ids), IN_CHUNK):
        rows += submissions(archive, ids=ids[i:i + IN_CHUNK])
    return rows


def submissions(archive: Archive, status: str | None = None, unit: str | None = None,
                limit: int | None = None, ids: list[int] | None = None) -> list[dict]:
    """One dict per received file, in the `fulian submissions` contract's fields; names and paths
    masked (docs/cli.md, 文件名中的个人信息)."""
    names = unit_names(archive)
    q = select(Submission).order_by(Submission.id)
    if ids is not None:
        q = q.where(Submission.id.in_(ids))
    if status:
        q = q.where(Submission.status == status)
    if unit:
        q = q.where(Submission.unit_code == unit)
    if limit:
        q = q.limit(limit)
    with archive.db.reader() as s:
        rows = s.execute(q).scalars().all()
    return [{
        "id": r.id, "source_path": mask_name(r.source_path), "sha256": r.sha256, "status": r.status,
        "reason": r.reason, "unit": names.get(r.unit_code) if r.unit_code else None,
        "unit_code": r.unit_code, "period": r.period, "doc_type": r.doc_type,
        "received_at": r.received_at, "pii": bool(r.pii), "title": r.title,
        "original_name": mask_name(r.original_name), "source_uri": mask_name(r.source_uri),
        "detail": mask_name(r.detail),
    } for r in rows]


def unit_flags(archive: Archive) -> dict[str, bool]:
    """Unit code → confirmed (False for communities found in documents, awaiting an archivist)."""
    with archive.db.reader() as s:
        return dict(s.execute(select(UnitRow.code, UnitRow.confirmed)).all())


def status_counts(archive: Archive) -> dict[str, int]:
    with archive.db.reader() as s:
        return dict(s.execute(select(Submission.status, func.count()).group_by(Submission.status)).all())


def events(archive: Archive, limit: int = 50, action: str | None = None,
           subject: str | None = None) -> list[dict]:
    q = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
    if action:
        q = q.where(AuditEvent.action.like(f"{action}%"))
    if subject:
        q = q.where(AuditEvent.subject == subject)
    with archive.db.reader() as s:
        rows = s.execute(q).scalars().all()
    return [{"seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action,
             "subject": e.subject, "details": masked_details(json.loads(e.details)), "hash": e.hash}
            for e in reversed(rows)]


def fixity_digests(archive: Archive, sha256: str | None) -> list[tuple[str, str]]:
    if not sha256:
        return []
    with archive.db.reader() as s:
        return [tuple(r) for r in s.execute(select(Fixity.algorithm, Fixity.digest)
                                            .where(Fixity.sha256 == sha256)
                                            .order_by(Fixity.algorithm)).all()]


def newest_values(archive: Archive, submission_id: int) -> list[dict]:
    """Values of the submission's newest extraction, each with its (masked) evidence."""
    with archive.db.reader() as s:
        eid = s.execute(select(func.max(Extraction.id))
                        .where(Extraction.submission_id == submission_id)).scalar()
        if eid is None:
            return []
        values = s.execute(select(IndicatorValue).where(IndicatorValue.extraction_id == eid)
                           .order_by(IndicatorValue.id)).scalars().all()
        plans = s.execute(select(TwoPlansValue).where(TwoPlansValue.extraction_id == eid)
                          .order_by(TwoPlansValue.id)).scalars().all()
    rows = [{"code": v.code, "name": v.name, "period": v.period,
             "value": v.value_text if v.value_text is not None else _number(v.value_num),
             "measure": v.measure, "location": v.location, "evidence": v.snippet} for v in values]
    rows += [{"code": p.code, "name": p.name, "period": str(p.year), "value": _number(p.value),
              "measure": p.measure, "location": p.location, "evidence": p.snippet} for p in plans]
    return rows


def _number(value: float | None) -> float | int | None:
    return int(value) if value is not None and float(value).is_integer() else value
