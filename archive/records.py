"""Recording what extraction found: extractions, indicator values, two-plans rows, new units."""

from __future__ import annotations

import hashlib

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from archive.audit import AuditLog, now_iso
from archive.models import Extraction as ExtractionRow
from archive.models import IndicatorValue, Submission, TwoPlansValue
from archive.models import Unit as UnitRow
from schemas.extraction import Extraction


def record_extraction(session: Session, log: AuditLog, sub: Submission, ext: Extraction) -> int:
    payload = ext.model_dump(mode="json", exclude={"text", "indicators", "two_plans"})
    row = ExtractionRow(submission_id=sub.id, sha256=ext.sha256, extractor_version=ext.extractor_version,
                        created_at=now_iso(), unit_code=sub.unit_code, period=sub.period,
                        doc_type=sub.doc_type, pii=ext.pii, payload=payload, text=ext.text)
    session.add(row)
    session.flush()
    _insert_values(session, row.id, sub, ext)
    log.add("extraction.recorded", f"submission:{sub.id}", extraction=row.id,
            version=ext.extractor_version, unit=sub.unit_code, period=sub.period,
            doc_type=sub.doc_type, indicators=len(ext.indicators), two_plans_rows=len(ext.two_plans),
            pii=ext.pii, problems=ext.problems)
    return row.id


def _insert_values(session: Session, extraction_id: int, sub: Submission, ext: Extraction) -> None:
    values = [{
        "extraction_id": extraction_id, "sha256": ext.sha256, "code": v.code, "name": v.name,
        "value_num": float(v.value) if isinstance(v.value, int | float) and not isinstance(v.value, bool)
        else (1.0 if v.value is True else 0.0 if v.value is False else None),
        "value_text": v.value if isinstance(v.value, str) else None,
        "measure": v.measure, "unit_code": v.unit, "period": v.period,  # None: the document's
        "derived": v.derived, "location": v.evidence.location, "snippet": v.evidence.snippet,
        "confidence": v.evidence.confidence,
    } for v in ext.indicators]
    if values:
        session.execute(insert(IndicatorValue), values)
    rows = [{
        "extraction_id": extraction_id, "sha256": ext.sha256, "unit_code": r.unit,
        "code": r.code, "name": r.name, "measure": r.measure, "target": r.target, "year": r.year,
        "value": r.value, "raw": r.raw, "location": r.location, "snippet": r.evidence.snippet,
    } for r in ext.two_plans]
    if rows:
        session.execute(insert(TwoPlansValue), rows)


def register_community(session: Session, log: AuditLog, found: dict) -> str | None:
    """A 社区 named with its street but missing from the registry: add it, unconfirmed."""
    parent = found.get("parent")
    name = found.get("name")
    if not parent or not name:
        return None
    existing = session.execute(
        select(UnitRow.code).where(UnitRow.parent_code == parent, UnitRow.name == name)
    ).scalar()
    if existing:
        return existing
    code = f"{parent}.{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"
    aliases = [a for a in {found.get("full_name"), name} if a and a != name]
    session.add(UnitRow(code=code, name=name, level="community", parent_code=parent,
                        aliases=aliases, confirmed=False, created_at=now_iso()))
    session.flush()
    log.add("unit.discovered", f"unit:{code}", name=name, parent=parent, confirmed=False,
            full_name=found.get("full_name"))
    return code
