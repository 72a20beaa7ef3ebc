"""JSON endpoints with exactly the fields of docs/contracts.md (the CLI's `--format json`).

Scoped to the viewer like the pages; every answer is an export, so an audit event.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from archive import queries_scoped as q
from fulian.web.auth import audit, viewer
from schemas.findings import contract_row

router = APIRouter(prefix="/api")
YEAR = Query(..., ge=2000, le=2100)

SUBMISSION_FIELDS = ("id", "source_path", "sha256", "status", "reason", "unit", "period", "doc_type",
                     "received_at", "pii")
INDICATOR_FIELDS = ("unit", "period", "code", "name", "value", "measure", "source_path",
                    "source_sha256", "location", "evidence", "value_id", "review", "original_value",
                    "corrected_by", "correction_reason")
COMPLETENESS_FIELDS = ("unit", "doc_type", "period", "required", "count", "on_time", "status")
API_PAGE = 1000


def quality_contract(findings: list[dict]) -> list[dict]:
    return [contract_row(f) for f in findings]


async def exported(request: Request, what: str, rows: list[dict], **details: object) -> list[dict]:
    await run_in_threadpool(audit, request, "export.downloaded", f"api:{what}", rows=len(rows),
                            **details)
    return rows


@router.get("/submissions")
async def api_submissions(request: Request, status: str = "", unit: str = "",
                          page: int = Query(1, ge=1, le=100_000)) -> list[dict]:
    f = q.DocumentFilter(status=status, unit=unit)
    rows, _ = await run_in_threadpool(q.document_page, request.app.state.web.archive,
                                      viewer(request), f, page, API_PAGE)
    return await exported(request, "submissions", [{k: r[k] for k in SUBMISSION_FIELDS} for r in rows],
                          page=page)


@router.get("/indicators")
async def api_indicators(request: Request, year: int = YEAR) -> list[dict]:
    rows = await run_in_threadpool(q.indicators, request.app.state.web.archive, viewer(request), year)
    return await exported(request, "indicators", [{k: r[k] for k in INDICATOR_FIELDS} for r in rows],
                          year=year)


@router.get("/quality")
async def api_quality(request: Request, year: int = YEAR) -> list[dict]:
    stored = await run_in_threadpool(q.quality, request.app.state.web.archive, viewer(request), year)
    return await exported(request, "quality", quality_contract(stored.rows), year=year)


@router.get("/completeness")
async def api_completeness(request: Request, year: int = YEAR) -> list[dict]:
    stored = await run_in_threadpool(q.completeness, request.app.state.web.archive, viewer(request),
                                     year)
    rows = [{k: r.get("unit_name") or r["unit"] if k == "unit" else r[k] for k in COMPLETENESS_FIELDS}
            for r in stored.rows]
    return await exported(request, "completeness", rows, year=year)
