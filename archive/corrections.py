"""People correct extracted values: set a value or reject it, with a reason, audited.

The extracted row is never changed. A decision is a new `value_corrections` row and an audit
event in the same transaction; the newest decision for a value wins in every output and
survives re-extraction (see archive/value_review.py for how decisions are matched).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from archive.audit import AuditLog, canonical, now_iso
from archive.models import IndicatorValue, TwoPlansValue, ValueCorrection
from archive.store import Archive
from archive.value_review import stored_value, typed_value, value_key

YES = {"是", "有", "yes", "y", "true", "1"}
NO = {"否", "无", "没有", "no", "n", "false", "0"}


class CorrectionError(ValueError):
    """A decision that cannot be applied; `code` names why (English), for a Chinese message."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}")
        self.code, self.detail = code, detail


def correct_value(session: Session, log: AuditLog, value_id: str, *, value: Any = None,
                  reject: bool = False, reason: str, actor: str) -> dict:
    """Set (`value`) or reject (`reject=True`) one extracted value; returns the decision."""
    if not reason or not reason.strip():
        raise CorrectionError("reason_required", value_id)
    if reject == (value is not None):
        raise CorrectionError("value_or_reject", value_id)
    row = _value_row(session, value_id)
    measure = row.measure
    original = typed_value(row.value, None, measure) if isinstance(row, TwoPlansValue) else stored_value(row)
    num, text = (None, None) if reject else parse_value(value, measure)
    kind, sha, code, location, unit, period = value_key(row)
    decision = ValueCorrection(value_id=value_id, kind=kind, sha256=sha, code=code, location=location,
                               unit_code=unit, period=period, value_num=num, value_text=text,
                               rejected=reject, original=canonical(original), reason=reason.strip(),
                               actor=actor, created_at=now_iso())
    session.add(decision)
    session.flush()
    new = None if reject else typed_value(num, text, measure)
    log.add("value.rejected" if reject else "value.corrected", f"value:{value_id}",
            correction=decision.id, code=code, sha256=sha, location=location, original=original,
            value=new, reason=decision.reason, by=actor)
    return {"value_id": value_id, "review": "rejected" if reject else "corrected",
            "original_value": original, "value": new, "corrected_by": actor,
            "correction_reason": decision.reason}


def parse_value(value: Any, measure: str) -> tuple[float | None, str | None]:
    """A person's value as stored: yes/no as 1/0, numbers as floats ("1,234", "95%" accepted)."""
    if measure == "yes/no":
        word = str(value).strip().lower()
        if isinstance(value, bool) or word in YES | NO:
            return (1.0 if (value is True or word in YES) else 0.0), None
        raise CorrectionError("bad_value", f"{value}（是/否）")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), None
    cleaned = re.sub(r"[,，\s]", "", str(value)).rstrip("%％‰")
    try:
        return float(cleaned), None
    except ValueError:
        raise CorrectionError("bad_value", str(value)) from None


def _value_row(session: Session, value_id: str) -> IndicatorValue | TwoPlansValue:
    m = re.fullmatch(r"([vt])(\d{1,9})", value_id.strip())  # a longer number is no row (and no overflow)
    model = {"v": IndicatorValue, "t": TwoPlansValue}.get(m.group(1)) if m else None
    row = session.get(model, int(m.group(2))) if model and m else None
    if row is None:
        raise CorrectionError("no_such_value", value_id)
    return row


def pending_values(archive: Archive, unit_codes: set[str] | list[str] | None = None) -> list[dict]:
    """Values waiting for a person (待核实) in documents that count, optionally of some units."""
    from archive.queries_data import indicator_rows

    wanted = set(unit_codes) if unit_codes is not None else None
    return [r for r in indicator_rows(archive) if r["review"] == "pending"
            and (wanted is None or r["unit_code"] in wanted)]
