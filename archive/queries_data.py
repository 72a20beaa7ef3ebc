"""Read queries over extracted data: indicator values and two-plans rows that currently count.

"Currently count": the submission is accepted (not superseded, duplicate, rejected or
awaiting review), and only its newest extraction is used.
"""

from __future__ import annotations

from sqlalchemy import Select, func, select

from archive.models import Extraction, IndicatorValue, Submission, TwoPlansValue
from archive.models import Unit as UnitRow
from archive.store import Archive
from archive.value_review import (
    COUNTING,
    latest_corrections,
    review_fields,
    stored_value,
    typed_value,
    value_id,
    value_key,
)
from extract.pii import mask_name


def latest_extractions() -> Select:
    """Newest extraction id of every accepted submission."""
    return (select(func.max(Extraction.id).label("eid"))
            .join(Submission, Submission.id == Extraction.submission_id)
            .where(Submission.status == "accepted").group_by(Extraction.submission_id))


def resolve_unit(archive: Archive, unit: str | None) -> str | None:
    """A unit given by code or by any of its names."""
    if not unit:
        return None
    if archive.registry.get(unit):
        return unit
    found = archive.registry.by_name(unit) or archive.registry.find(unit)
    if found:
        return found.code
    prefixed = [u for u in archive.registry.units.values() if u.name.startswith(unit)]
    if len(prefixed) == 1:  # a short name people use: 泉城路 for 泉城路街道妇联
        return prefixed[0].code
    raise LookupError(unit)


def value_query() -> Select:
    """Counting indicator values with their source and effective unit and period.

    A value without a unit or period of its own is about the document's, which a
    reviewer may set later: it is resolved here, from the submission, not copied.
    """
    latest = latest_extractions().subquery()
    return (select(IndicatorValue, Submission.source_path,
                   func.coalesce(IndicatorValue.unit_code, Submission.unit_code).label("unit"),
                   func.coalesce(IndicatorValue.period, Submission.period).label("period"))
            .join(latest, latest.c.eid == IndicatorValue.extraction_id)
            .join(Extraction, Extraction.id == IndicatorValue.extraction_id)
            .join(Submission, Submission.id == Extraction.submission_id))


def plan_query() -> Select:
    """Counting two-plans values with their source and effective unit."""
    latest = latest_extractions().subquery()
    return (select(TwoPlansValue, Submission.source_path,
                   func.coalesce(TwoPlansValue.unit_code, Submission.unit_code).label("unit"))
            .join(latest, latest.c.eid == TwoPlansValue.extraction_id)
            .join(Extraction, Extraction.id == TwoPlansValue.extraction_id)
            .join(Submission, Submission.id == Extraction.submission_id))


def indicator_rows(archive: Archive, year: int | None = None, unit: str | None = None) -> list[dict]:
    """Work-area indicator values and two-plans values, each with its evidence and review state.

    Every value is listed; only those whose `review` is in `COUNTING` ("ok", "corrected") may
    be scored: `counting(rows)`. A corrected value carries the person's value in `value` and
    the extracted one in `original_value`; a rejected one has `value` None.
    """
    q, t = value_query(), plan_query()
    unit_col = func.coalesce(IndicatorValue.unit_code, Submission.unit_code)
    if year:
        q = q.where(func.coalesce(IndicatorValue.period, Submission.period).like(f"{year}%"))
        t = t.where(TwoPlansValue.year == year)
    if unit:
        q = q.where(unit_col == unit)
        t = t.where(func.coalesce(TwoPlansValue.unit_code, Submission.unit_code) == unit)
    threshold = archive.settings.review_threshold
    with archive.db.reader() as s:
        names = dict(s.execute(select(UnitRow.code, UnitRow.name)).all())
        values = s.execute(q.order_by(unit_col, IndicatorValue.code)).all()
        plans = s.execute(t.order_by(TwoPlansValue.code, TwoPlansValue.year)).all()
        decisions = latest_corrections(s, {r[0].sha256 for r in values} | {r[0].sha256 for r in plans})
    rows = [_value_row(v, path, u, per, names) | review_fields(
        stored_value(v), v.measure, v.confidence, decisions.get(value_key(v)), threshold)
        for v, path, u, per in values]
    rows += [_plan_row(p, path, u, names) | review_fields(
        typed_value(p.value, None, p.measure), p.measure, 1.0, decisions.get(value_key(p)), threshold)
        for p, path, u in plans]
    return rows


def counting(rows: list[dict]) -> list[dict]:
    """The rows that may be scored: not waiting for review, not rejected."""
    return [r for r in rows if r["review"] in COUNTING]


def _value_row(v: IndicatorValue, path: str, unit: str | None, period: str | None,
               names: dict[str, str]) -> dict:
    return {"value_id": value_id(v), "unit": names.get(unit or "", unit), "unit_code": unit,
            "period": period, "code": v.code, "name": v.name, "measure": v.measure,
            "source_path": mask_name(path), "source_sha256": v.sha256, "location": v.location,
            "evidence": v.snippet, "derived": v.derived, "confidence": v.confidence}


def _plan_row(p: TwoPlansValue, path: str, unit: str | None, names: dict[str, str]) -> dict:
    return {"value_id": value_id(p), "unit": names.get(unit or "", unit), "unit_code": unit,
            "period": str(p.year), "code": p.code, "name": p.name, "measure": p.measure,
            "source_path": mask_name(path), "source_sha256": p.sha256, "location": p.location,
            "evidence": p.snippet, "derived": False, "confidence": 1.0, "raw": p.raw}
