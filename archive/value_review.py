"""The review state of extracted values: confidence against a threshold, and human decisions.

A value is `ok` (counts), `pending` (待核实: confidence below the threshold, not counted until
a person decides), `corrected` (a person set the value; it counts with the new value) or
`rejected` (a person said it is wrong; not counted). The newest decision for a value wins.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import IndicatorValue, TwoPlansValue, ValueCorrection

COUNTING = ("ok", "corrected")  # review states whose values are scored
Key = tuple[str, str, str, str, str, str]


def value_key(row: IndicatorValue | TwoPlansValue) -> Key:
    """What a value is about, stable across re-extractions (row ids are not)."""
    if isinstance(row, TwoPlansValue):
        return ("t", row.sha256, row.code, row.location, row.unit_code or "", str(row.year))
    return ("v", row.sha256, row.code, row.location, row.unit_code or "", row.period or "")


def value_id(row: IndicatorValue | TwoPlansValue) -> str:
    return f"{'t' if isinstance(row, TwoPlansValue) else 'v'}{row.id}"


def correction_key(c: ValueCorrection) -> Key:
    return (c.kind, c.sha256, c.code, c.location, c.unit_code, c.period)


def latest_corrections(session: Session, sha256s: set[str] | None = None) -> dict[Key, ValueCorrection]:
    """The newest decision for every value decided on (optionally only for some documents)."""
    q = select(ValueCorrection).order_by(ValueCorrection.id)
    if sha256s is not None:
        q = q.where(ValueCorrection.sha256.in_(sorted(sha256s)))
    return {correction_key(c): c for c in session.execute(q).scalars()}


def review_state(confidence: float, decision: ValueCorrection | None, threshold: float) -> str:
    if decision is not None:
        return "rejected" if decision.rejected else "corrected"
    return "pending" if confidence < threshold else "ok"


def stored_value(row: IndicatorValue) -> float | str | bool | None:
    """The extracted value as the catalog types it (yes/no as a boolean, whole numbers as int)."""
    return typed_value(row.value_num, row.value_text, row.measure)


def typed_value(num: float | None, text: str | None, measure: str) -> float | str | bool | None:
    if text is not None:
        return text
    if num is None:
        return None
    if measure == "yes/no":
        return bool(num)
    return int(num) if float(num).is_integer() else num


def decided_value(decision: ValueCorrection, measure: str) -> float | str | bool | None:
    if decision.rejected:
        return None
    return typed_value(decision.value_num, decision.value_text, measure)


def review_fields(original: Any, measure: str, confidence: float, decision: ValueCorrection | None,
                  threshold: float) -> dict[str, Any]:
    """The review keys every value row carries, and the value that wins."""
    state = review_state(confidence, decision, threshold)
    value = decided_value(decision, measure) if decision is not None else original
    return {"value": value, "review": state, "original_value": original,
            "corrected_by": decision.actor if decision is not None else None,
            "correction_reason": decision.reason if decision is not None else None}
