"""Read-only pages for archivists and statistics staff; everything escaped, nothing raw."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from fulian.web import data
from fulian.web.api import completeness_records

router = APIRouter()
PAGE_SIZE = 50


def render(request: Request, template: str, **context: object) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context)


def archive_of(request: Request):  # noqa: ANN201
    return request.app.state.web.archive


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    from archive.queries import status_counts

    archive = archive_of(request)
    counts = status_counts(archive)
    return render(request, "index.html", counts=counts, total=sum(counts.values()),
                  runs=data.latest_runs(archive), year=data.default_year(archive))


@router.get("/submissions", response_class=HTMLResponse)
def submission_list(request: Request, status: str = "", unit: str = "", period: str = "",
                    doc_type: str = "", page: int = Query(1, ge=1)) -> HTMLResponse:
    from archive.queries import submissions

    archive = archive_of(request)
    rows = submissions(archive, status=status or None, unit=unit or None)
    if period:
        rows = [r for r in rows if (r["period"] or "").startswith(period)]
    if doc_type:
        rows = [r for r in rows if r["doc_type"] == doc_type]
    rows.reverse()  # newest first
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    shown = rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    filters = {"status": status, "unit": unit, "period": period, "doc_type": doc_type}
    return render(request, "submissions.html", rows=shown, total=len(rows), page=page, pages=pages,
                  filters=filters, units=sorted(archive.registry.units.values(), key=lambda u: u.code))


@router.get("/submissions/{submission_id}", response_class=HTMLResponse)
def submission_page(request: Request, submission_id: int) -> HTMLResponse:
    detail = data.submission_detail(archive_of(request), submission_id)
    if detail is None:
        raise HTTPException(404, f"没有序号为 {submission_id} 的收件。")
    return render(request, "submission.html", **detail)


@router.get("/indicators", response_class=HTMLResponse)
def indicators(request: Request, year: int | None = None) -> HTMLResponse:
    from archive.queries_data import indicator_rows

    archive = archive_of(request)
    year = year or data.default_year(archive)
    return render(request, "indicators.html", year=year, rows=indicator_rows(archive, year=year))


@router.get("/completeness", response_class=HTMLResponse)
def completeness(request: Request, year: int | None = None) -> HTMLResponse:
    import pandas as pd

    from quality.completeness import missing_notices

    archive = archive_of(request)
    year = year or data.default_year(archive)
    rows = completeness_records(archive, year)
    notices = list(missing_notices(pd.DataFrame(rows))["text"]) if rows else []
    return render(request, "completeness.html", year=year, notices=notices,
                  **data.completeness_grid(rows))


@router.get("/quality", response_class=HTMLResponse)
def quality(request: Request, year: int | None = None) -> HTMLResponse:
    from flows.analysis import quality_for_year
    from schemas.findings import KIND_LABELS, SEVERITY_LABELS

    archive = archive_of(request)
    year = year or data.default_year(archive)
    outcome = quality_for_year(archive, year)
    return render(request, "quality.html", year=year, findings=outcome.findings,
                  kinds=KIND_LABELS, severities=SEVERITY_LABELS,
                  has_reports=bool(outcome.html and outcome.xlsx))


@router.get("/quality/report.{kind}")
def quality_report(request: Request, kind: str, year: int = Query(...)) -> FileResponse:
    """The stored HTML or XLSX report of the year's latest check (never a path from the URL)."""
    from flows.analysis import quality_for_year

    archive = archive_of(request)
    if kind not in ("html", "xlsx"):
        raise HTTPException(404, "没有这种报告格式。")
    outcome = quality_for_year(archive, year)
    chosen = outcome.html if kind == "html" else outcome.xlsx
    path = Path(chosen) if chosen else None
    if path is None or not path.is_file():
        raise HTTPException(404, "报告文件不存在。")
    media = "text/html" if kind == "html" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return FileResponse(path, media_type=media, filename=f"quality-{year}.{kind}")
