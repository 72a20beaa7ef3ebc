"""What archivists decide: a unit or period for a submission in review, a community confirmed.

Each decision is recorded with who made it, as an audit event in the same transaction.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.audit import AuditLog
from archive.models import Submission
from archive.models import Unit as UnitRow
from archive.supersede import apply_supersession

FIELDS = ("status", "unit", "period", "doc_type")


class ReviewError(ValueError):
    """A decision that cannot be applied; `code` names why (English), for a Chinese message."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}")
        self.code, self.detail = code, detail


def _state(sub: Submission) -> dict:
    return dict(zip(FIELDS, (sub.status, sub.unit_code, sub.period, sub.doc_type), strict=True))


def assign(session: Session, log: AuditLog, submission_id: int, *, unit: str | None = None,
           period: str | None = None, doc_type: str | None = None, note: str = "") -> dict:
    """Set what extraction could not tell; a complete submission in review becomes accepted."""
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise ReviewError("no_such_submission", str(submission_id))
    if sub.status not in ("needs_review", "accepted"):
        raise ReviewError("not_reviewable", sub.status)
    if unit and session.execute(select(UnitRow.code).where(UnitRow.code == unit)).scalar() is None:
        raise ReviewError("no_such_unit", unit)
    before = _state(sub)
    sub.unit_code = unit or sub.unit_code
    sub.period = period or sub.period
    sub.doc_type = doc_type or sub.doc_type
    if sub.status == "needs_review" and sub.unit_code and sub.period:
        sub.status, sub.reason, sub.detail = "accepted", None, None
    if _state(sub) == before:  # nothing to decide: no event (the caller's transaction rolls back)
        raise ReviewError("unchanged", str(sub.id))
    session.flush()
    log.add("submission.reviewed", f"submission:{sub.id}", before=before, after=_state(sub), note=note)
    superseded = apply_supersession(session, log, sub) if sub.status == "accepted" else []
    return {"after": _state(sub), "superseded": superseded}


def confirm_unit(session: Session, log: AuditLog, code: str, name: str | None = None) -> None:
    """A community found in documents, confirmed (and optionally renamed) by an archivist."""
    unit = session.execute(select(UnitRow).where(UnitRow.code == code)).scalar()
    if unit is None:
        raise ReviewError("no_such_unit", code)
    before = {"name": unit.name, "confirmed": unit.confirmed}
    if name and name != unit.name:
        unit.aliases = sorted({*(unit.aliases or []), unit.name})
        unit.name = name
    unit.confirmed = True
    session.flush()
    log.add("unit.confirmed", f"unit:{code}", before=before,
            after={"name": unit.name, "confirmed": True})
