"""JSON endpoints with exactly the fields of docs/contracts.md (the CLI's `--format json`)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

router = APIRouter(prefix="/api")

SUBMISSION_FIELDS = ("source_path", "sha256", "status", "reason", "unit", "period", "doc_type",
                     "received_at", "pii")
INDICATOR_FIELDS = ("unit", "period", "code", "name", "value", "measure", "source_path",
                    "source_sha256", "location", "evidence", "value_id", "review", "original_value",
                    "corrected_by", "correction_reason")
QUALITY_FIELDS = ("unit", "year", "indicator", "name", "kind", "severity", "observed", "expected",
                  "message", "source_path", "location")
COMPLETENESS_FIELDS = ("unit", "doc_type", "period", "required", "count", "on_time", "status")


def plain(value: object) -> object:
    """numpy scalars → Python, NaN → None (JSON has neither)."""
    value = value.item() if hasattr(value, "item") else value
    return None if isinstance(value, float) and value != value else value


def completeness_records(archive, year: int) -> list[dict]:  # noqa: ANN001
    from flows.analysis import completeness_for_year

    rows = completeness_for_year(archive, year).rows
    return [{k: plain(v) for k, v in r.items()} for r in rows.to_dict(orient="records")]


def quality_contract(findings: list[dict]) -> list[dict]:
    return [{k: (f.get("unit_name") or f["unit"]) if k == "unit" else f.get(k) for k in QUALITY_FIELDS}
            for f in findings]


@router.get("/submissions")
def api_submissions(request: Request, status: str | None = None, unit: str | None = None) -> list[dict]:
    from archive.queries import submissions

    archive = request.app.state.web.archive
    return [{k: r[k] for k in SUBMISSION_FIELDS}
            for r in submissions(archive, status=status or None, unit=unit or None)]


@router.get("/indicators")
def api_indicators(request: Request, year: int = Query(...)) -> list[dict]:
    from archive.queries_data import indicator_rows

    return [{k: r[k] for k in INDICATOR_FIELDS}
            for r in indicator_rows(request.app.state.web.archive, year=year)]


@router.get("/quality")
def api_quality(request: Request, year: int = Query(...)) -> list[dict]:
    from flows.analysis import quality_for_year

    return quality_contract(quality_for_year(request.app.state.web.archive, year).findings)


@router.get("/completeness")
def api_completeness(request: Request, year: int = Query(...)) -> list[dict]:
    rows = completeness_records(request.app.state.web.archive, year)
    return [{k: r["unit_name"] if k == "unit" else r[k] for k in COMPLETENESS_FIELDS} for r in rows]
