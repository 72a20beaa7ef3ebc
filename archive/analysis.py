"""What the later stages read and write: inputs as plain rows, results as audited snapshots.

Quality runs and completeness snapshots are stored with the fingerprint of the
archive state they were computed from, so a caller can tell whether they are stale.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from archive.audit import now_iso
from archive.models import (
    AuditEvent,
    CompletenessSnapshot,
    Document,
    QualityRun,
    Submission,
    TwoPlansValue,
    ValueCorrection,
)
from archive.models import Unit as UnitRow
from archive.queries_data import plan_query, value_query
from archive.store import Archive
from archive.value_review import COUNTING, latest_corrections, review_state, value_key
from extract.pii import mask_name

STATE_ACTIONS = ("submission.recorded", "submission.superseded", "submission.reclassified",
                 "extraction.recorded", "unit.discovered", "unit.registered",
                 "value.corrected", "value.rejected")


def archive_state(archive: Archive) -> str:
    """Changes whenever a submission, extraction or unit changes (each is an audit event)."""
    with archive.db.reader() as s:
        seq = s.execute(select(func.max(AuditEvent.seq))
                        .where(AuditEvent.action.in_(STATE_ACTIONS))).scalar() or 0
    return hashlib.sha256(f"{archive.db.url}|{seq}".encode()).hexdigest()[:16]


def unit_rows(archive: Archive) -> list[dict]:
    with archive.db.reader() as s:
        rows = s.execute(select(UnitRow.code, UnitRow.name, UnitRow.level, UnitRow.parent_code)).all()
    return [{"code": c, "name": n, "level": lv, "parent": p} for c, n, lv, p in rows]


def two_plans_rows(archive: Archive, until_year: int) -> list[dict]:
    """Counting two-plans values of every year up to `until_year` (earlier years are history).

    A value a person rejected is left out; a corrected one carries the person's value.
    """
    q = plan_query().where(TwoPlansValue.year <= until_year)
    names = {u["code"]: u["name"] for u in unit_rows(archive)}
    with archive.db.reader() as s:
        rows = s.execute(q).all()
        decisions = latest_corrections(s, {r[0].sha256 for r in rows})
    out = []
    for p, path, unit in rows:
        kept, value = _decided(p.value, 1.0, decisions.get(value_key(p)), archive)
        if kept:
            out.append({"unit": unit or "", "unit_name": names.get(unit or "", ""), "code": p.code,
                        "name": p.name, "measure": p.measure, "year": p.year, "value": value,
                        "raw": p.raw, "source_path": mask_name(path), "sha256": p.sha256,
                        "location": p.location})
    return out


def indicator_value_rows(archive: Archive) -> list[dict]:
    """Counting work-area indicator values of all years (outliers need each unit's history).

    Values waiting for review (待核实) or rejected by a person are not counted.
    """
    units = {u["code"]: u for u in unit_rows(archive)}
    with archive.db.reader() as s:
        rows = s.execute(value_query()).all()
        decisions = latest_corrections(s, {r[0].sha256 for r in rows})
    out = []
    for v, path, unit, period in rows:
        kept, value = _decided(v.value_num, v.confidence, decisions.get(value_key(v)), archive)
        if kept:
            out.append({"unit": unit or "", "unit_name": units.get(unit or "", {}).get("name", ""),
                        "level": units.get(unit or "", {}).get("level", ""), "period": period or "",
                        "year": int(period[:4]) if period and period[:4].isdigit() else None,
                        "code": v.code, "name": v.name, "value": value, "source_path": mask_name(path),
                        "sha256": v.sha256, "location": v.location, "snippet": v.snippet})
    return out


def document_kinds(archive: Archive, shas: set[str]) -> dict[str, str]:
    """The detected kind (xlsx, docx …) of each archived document, for re-reading it."""
    if not shas:
        return {}
    with archive.db.reader() as s:
        rows = s.execute(select(Document.sha256, Document.kind).where(
            Document.sha256.in_(sorted(shas)), Document.area == "objects")).all()
    return {sha: kind for sha, kind in rows if kind}


def _decided(value: float | None, confidence: float, decision: ValueCorrection | None,
             archive: Archive) -> tuple[bool, float | None]:
    """Whether a value counts, and the number that counts (a person's correction wins)."""
    state = review_state(confidence, decision, archive.settings.review_threshold)
    if state not in COUNTING:
        return False, None
    return True, decision.value_num if decision is not None else value


def counting_submissions(archive: Archive, year: int) -> list[dict]:
    """Accepted submissions about `year`: what the completeness audit counts."""
    q = (select(Submission.unit_code, Submission.doc_type, Submission.period, Submission.received_at,
                Submission.sha256, Submission.source_path)
         .where(Submission.status == "accepted", Submission.period.like(f"{year}%")))
    with archive.db.reader() as s:
        rows = s.execute(q).all()
    return [dict(zip(("unit", "doc_type", "period", "received_at", "sha256", "source_path"),
                     (*r[:5], mask_name(r[5])), strict=True)) for r in rows]


def years_with_data(archive: Archive) -> list[int]:
    with archive.db.reader() as s:
        periods = s.execute(select(Submission.period).where(Submission.status == "accepted")
                            .distinct()).scalars().all()
    return sorted({int(p[:4]) for p in periods if p and p[:4].isdigit()})


def store_quality_run(archive: Archive, year: int, state: str, findings: list[dict],
                      html: str | None, xlsx: str | None) -> int:
    with archive.db.writer() as s:
        run = QualityRun(year=year, created_at=now_iso(), archive_state=state, findings=findings,
                         report_html=html, report_xlsx=xlsx)
        s.add(run)
        s.flush()
        log = archive.audit(s)
        kinds: dict[str, int] = {}
        for f in findings:
            kinds[f["kind"]] = kinds.get(f["kind"], 0) + 1
        log.add("quality.checked", f"quality_run:{run.id}", year=year, state=state,
                findings=len(findings), kinds=kinds, report_html=html, report_xlsx=xlsx)
        log.flush()
        return run.id


def latest_quality_run(archive: Archive, year: int) -> QualityRun | None:
    with archive.db.reader() as s:
        return s.execute(select(QualityRun).where(QualityRun.year == year)
                         .order_by(QualityRun.id.desc()).limit(1)).scalar()


def store_completeness(archive: Archive, year: int, as_of: str, state: str, rows: list[dict],
                       changes: dict) -> int:
    with archive.db.writer() as s:
        snap = CompletenessSnapshot(year=year, created_at=now_iso(), as_of=as_of,
                                    archive_state=state, rows=rows)
        s.add(snap)
        s.flush()
        statuses: dict[str, int] = {}
        for r in rows:
            statuses[r["status"]] = statuses.get(r["status"], 0) + 1
        log = archive.audit(s)
        log.add("completeness.snapshot", f"completeness:{snap.id}", year=year, as_of=as_of,
                state=state, statuses=statuses, changes=changes)
        log.flush()
        return snap.id


def latest_completeness(archive: Archive, year: int) -> CompletenessSnapshot | None:
    with archive.db.reader() as s:
        return s.execute(select(CompletenessSnapshot).where(CompletenessSnapshot.year == year)
                         .order_by(CompletenessSnapshot.id.desc()).limit(1)).scalar()
