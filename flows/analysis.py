"""The later stages on archive data: two-plans quality and the completeness audit.

Each reads its inputs from the archive, runs the pure package, and hands the
result back to the archive (with an audit event). Re-running on an unchanged
archive reuses the stored result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from archive import analysis as store
from archive.store import Archive


@dataclass
class QualityOutcome:
    year: int
    findings: list[dict]
    fresh: bool  # computed now (False: the stored run was still current)
    html: str | None = None
    xlsx: str | None = None


def quality_for_year(archive: Archive, year: int, force: bool = False) -> QualityOutcome:
    state = store.archive_state(archive)
    last = store.latest_quality_run(archive, year)
    if last and last.archive_state == state and not force:
        return QualityOutcome(year, last.findings, False, last.report_html, last.report_xlsx)
    from flows.finding_context import with_context
    from quality.report import write_html, write_xlsx
    from quality.run import run_quality

    rows = pd.DataFrame(store.two_plans_rows(archive, until_year=year))
    current = rows[rows["year"] == year] if len(rows) else rows
    history = rows[rows["year"] < year] if len(rows) else rows
    units = sorted(set(current["unit"])) if len(current) else []
    values = pd.DataFrame(store.indicator_value_rows(archive))
    findings = with_context(archive, run_quality(current, history, units, values, year), values)
    out = archive.settings.reports_dir
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    html = write_html(findings, out / f"quality-{year}-{stamp}.html", f"{year}年两规统计数据质量检查")
    xlsx = write_xlsx(findings, out / f"quality-{year}-{stamp}.xlsx")
    dumped = [f.model_dump(mode="json") for f in findings]
    store.store_quality_run(archive, year, state, dumped, str(html), str(xlsx))
    return QualityOutcome(year, dumped, True, str(html), str(xlsx))


@dataclass
class CompletenessOutcome:
    year: int
    rows: pd.DataFrame
    changes_text: str
    fresh: bool


def completeness_for_year(archive: Archive, year: int, as_of: datetime | None = None,
                          force: bool = False) -> CompletenessOutcome:
    from quality.completeness import diff

    as_of = as_of or datetime.now(UTC)
    state = store.archive_state(archive)
    last = store.latest_completeness(archive, year)
    same_day = last is not None and last.as_of[:10] == as_of.isoformat()[:10]
    if last and last.archive_state == state and same_day and not force:
        return CompletenessOutcome(year, pd.DataFrame(last.rows), "", False)
    rows = audit_year(archive, year, as_of).rows
    previous = pd.DataFrame(last.rows) if last else None
    changes = diff(previous, rows)
    records = json_rows(rows)
    store.store_completeness(archive, year, as_of.isoformat(), state, records, changes.counts)
    return CompletenessOutcome(year, rows, changes.text, True)


def audit_year(archive: Archive, year: int, as_of: datetime):  # noqa: ANN201 - AuditResult
    """The completeness audit of `year` as of a moment, computed now and not stored."""
    from quality.completeness import audit
    from schemas.completeness import load_completeness_rules

    units = pd.DataFrame(store.unit_rows(archive))
    subs = pd.DataFrame(store.counting_submissions(archive, year),
                        columns=["unit", "doc_type", "period", "received_at", "sha256", "source_path"])
    subs["received_at"] = pd.to_datetime(subs["received_at"], utc=True, format="ISO8601")
    return audit(units, subs, load_completeness_rules(), year, pd.Timestamp(as_of))


def json_rows(rows: pd.DataFrame) -> list[dict]:
    """Rows as JSON-safe dicts (NaN → None, numpy numbers → Python)."""
    return [{k: (None if isinstance(v, float) and v != v else v.item() if hasattr(v, "item") else v)
             for k, v in r.items()} for r in rows.to_dict(orient="records")]
