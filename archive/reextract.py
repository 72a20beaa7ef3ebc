"""Re-extraction: a newer extractor's results are added (old ones stay); the newest counts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.audit import AuditLog
from archive.intake import apply_extraction
from archive.models import Document, Extraction, Submission
from archive.records import record_extraction
from archive.store import Archive
from archive.supersede import apply_supersession
from schemas.extraction import Extraction as ExtractionModel

COUNTING = ("accepted", "needs_review")


@dataclass
class Todo:
    submission_id: int
    sha256: str
    kind: str | None
    name: str
    source_path: str
    claimed_unit: str | None
    received_at: str


def pending(archive: Archive, version: str, force: bool = False) -> list[Todo]:
    """Accepted or in-review submissions whose newest extraction is not of `version`."""
    newest = (select(Extraction.submission_id, func.max(Extraction.id).label("eid"))
              .group_by(Extraction.submission_id).subquery())
    q = (select(Submission, Document.kind, Extraction.extractor_version)
         .join(Document, Document.sha256 == Submission.sha256)
         .outerjoin(newest, newest.c.submission_id == Submission.id)
         .outerjoin(Extraction, Extraction.id == newest.c.eid)
         .where(Submission.status.in_(COUNTING)).order_by(Submission.id))
    with archive.db.reader() as s:
        rows = s.execute(q).all()
    return [Todo(sub.id, sub.sha256, kind, sub.original_name, sub.source_path, sub.claimed_unit,
                 sub.received_at) for sub, kind, v in rows if force or v != version]


def apply(session: Session, log: AuditLog, submission_id: int, ext: ExtractionModel) -> str | None:
    """Record the new extraction; re-place the submission if unit, period or type changed."""
    sub = session.get(Submission, submission_id)
    before = (sub.status, sub.unit_code, sub.period, sub.doc_type)
    apply_extraction(session, log, sub, ext)
    after = (sub.status, sub.unit_code, sub.period, sub.doc_type)
    if before != after:
        session.flush()
        log.add("submission.reclassified", f"submission:{sub.id}", version=ext.extractor_version,
                before=dict(zip(("status", "unit", "period", "doc_type"), before, strict=True)),
                after=dict(zip(("status", "unit", "period", "doc_type"), after, strict=True)))
    record_extraction(session, log, sub, ext)
    if sub.status == "accepted" and before != after:
        apply_supersession(session, log, sub)
    return sub.status if before[0] != sub.status else None
