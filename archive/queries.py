"""Read queries for the faces (CLI, web) and the later stages. No writes here."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import func, select

from archive.models import AuditEvent, Document, Submission
from archive.models import Unit as UnitRow
from archive.store import Archive

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
    """One dict per received file, in the `fulian submissions` contract's fields."""
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
        "id": r.id, "source_path": r.source_path, "sha256": r.sha256, "status": r.status,
        "reason": r.reason, "unit": names.get(r.unit_code) if r.unit_code else None,
        "unit_code": r.unit_code, "period": r.period, "doc_type": r.doc_type,
        "received_at": r.received_at, "pii": bool(r.pii), "title": r.title,
        "original_name": r.original_name, "source_uri": r.source_uri, "detail": r.detail,
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
             "subject": e.subject, "details": json.loads(e.details), "hash": e.hash}
            for e in reversed(rows)]
