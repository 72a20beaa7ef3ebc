"""Which submission counts when a unit sends a document again.

A corrected resubmission (修订/更正/修改版/v2 in its name or title) replaces the
earlier document of the same unit, period and type whose title it repeats; for
types due once per period (work summaries, statistics tables, registers) any
later submission of the same type, unit and period replaces the earlier one.
Information items are many a month and never replace each other unless one is
marked as a correction of the other. Both versions stay; only the newest counts.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.audit import AuditLog, now_iso
from archive.models import Extraction, Submission, Supersession, TwoPlansValue
from schemas.doc_types import load_doc_types

MARKERS = re.compile(
    r"[（(【\[]?\s*(修订稿?|修订版|更正版?|更正稿|修改版|修改稿|修正版?|最终版|终稿|改|"
    r"第[二三四2-4]版|[vV]\s*[2-9]|\d{1,2}稿)\s*[）)】\]]?"
)
NOISE = re.compile(r"[\s_\-—.·、，,：:（）()【】\[\]《》\"“”'‘’]+")


def base_title(text: str | None) -> str:
    """A title with correction markers, extension, dates of sending and punctuation removed."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"\.(docx?|xlsx?|pdf|wps|et|csv|txt)$", "", t, flags=re.I)
    t = MARKERS.sub("", t)
    return NOISE.sub("", t)


def apply_supersession(session: Session, log: AuditLog, new: Submission) -> list[int]:
    """Mark what `new` replaces (or mark `new` if a later one already counts); return ids marked."""
    if not (new.unit_code and new.period and new.doc_type):
        return []
    peers = session.execute(select(Submission).where(
        Submission.unit_code == new.unit_code, Submission.period == new.period,
        Submission.doc_type == new.doc_type, Submission.status == "accepted",
        Submission.id != new.id,
    )).scalars().all()
    once = load_doc_types().get(new.doc_type)
    once_per_period = bool(once and once.once_per_period)
    if new.doc_type == "two_plans_statistics":
        peers = _same_plans(session, new, peers)
    replaced = [p for p in peers if _replaces(new, p, once_per_period)]
    if not replaced:
        later = [p for p in peers if _replaces(p, new, once_per_period)]
        if later:
            newest = max(later, key=lambda p: p.received_at)
            _mark(session, log, old=new, new=newest, rule=_rule(newest, once_per_period))
            return [new.id]
        return []
    for old in replaced:
        _mark(session, log, old=old, new=new, rule=_rule(new, once_per_period))
    return [p.id for p in replaced]


def _plans(session: Session, sub: Submission) -> set[str]:
    """Which outline(s) a statistics table reports on: wp (women), cp (children), from its values."""
    newest = select(func.max(Extraction.id)).where(Extraction.submission_id == sub.id).scalar_subquery()
    codes = session.execute(select(TwoPlansValue.code).where(TwoPlansValue.extraction_id == newest)
                            .distinct()).scalars()
    return {c.split(".", 1)[0] for c in codes}


def _same_plans(session: Session, new: Submission, peers: list[Submission]) -> list[Submission]:
    """A women's-plan table and a children's-plan table are two reports, not two versions of one."""
    mine = _plans(session, new)
    return [p for p in peers if not mine or not (theirs := _plans(session, p)) or mine & theirs]


def _replaces(a: Submission, b: Submission, once_per_period: bool) -> bool:
    """Does `a` replace `b`? A marked correction beats an unmarked original; else the newer wins."""
    newer = (a.received_at, a.id or 0) > (b.received_at, b.id or 0)
    if a.correction and _same_title(a, b) and (newer or not b.correction):
        return True
    return once_per_period and newer


def _same_title(a: Submission, b: Submission) -> bool:
    ta, tb = base_title(a.title), base_title(b.title)
    na, nb = base_title(a.original_name), base_title(b.original_name)
    return bool((ta and ta == tb) or (na and na == nb))


def _rule(new: Submission, once_per_period: bool) -> str:
    return "correction_marker" if new.correction else "once_per_period"


def _mark(session: Session, log: AuditLog, old: Submission, new: Submission, rule: str) -> None:
    old.status = "superseded"
    session.add(Supersession(old_id=old.id, new_id=new.id, rule=rule, created_at=now_iso()))
    session.flush()
    log.add("submission.superseded", f"submission:{old.id}", by=new.id, rule=rule,
            unit=old.unit_code, period=old.period, doc_type=old.doc_type)
