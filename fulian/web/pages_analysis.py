"""指标值, 完整性 and 数据质量: stored results, scoped to the viewer's units.

Reading does not write: a GET shows the last stored quality run or completeness
snapshot and says when it was computed and whether the archive changed since;
recomputing is a POST for the roles that may.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from archive import queries_scoped as q
from fulian.web import data
from fulian.web.auth import audit, require, viewer
from fulian.web.views import archive_of, render

router = APIRouter()
YEAR = Query(None, ge=2000, le=2100)
FORM_YEAR = Form(..., ge=2000, le=2100)


def year_or_default(request: Request, year: int | None) -> int:
    return year or data.default_year(q.years(archive_of(request), viewer(request)))


@router.get("/indicators", response_class=HTMLResponse)
def indicators(request: Request, year: int | None = YEAR) -> HTMLResponse:
    year = year_or_default(request, year)
    return render(request, "indicators.html", year=year,
                  rows=q.indicators(archive_of(request), viewer(request), year))


@router.get("/completeness", response_class=HTMLResponse)
def completeness(request: Request, year: int | None = YEAR) -> HTMLResponse:
    import pandas as pd

    from quality.completeness import missing_notices

    year = year_or_default(request, year)
    stored = q.completeness(archive_of(request), viewer(request), year)
    notices = list(missing_notices(pd.DataFrame(stored.rows))["text"]) if stored.rows else []
    return render(request, "completeness.html", year=year, notices=notices, stored=stored,
                  may_recompute=viewer(request).may_recompute(), **data.completeness_grid(stored.rows))


@router.get("/completeness/notices.txt")
def completeness_notices(request: Request, year: int = Query(..., ge=2000, le=2100)) -> Response:
    """The missing-report notices of the stored audit, as a text file to send (an audited export)."""
    import pandas as pd

    from quality.completeness import missing_notices

    stored = q.completeness(archive_of(request), viewer(request), year)
    notices = list(missing_notices(pd.DataFrame(stored.rows))["text"]) if stored.rows else []
    audit(request, "export.downloaded", f"completeness_notices:{year}", notices=len(notices))
    return Response("\n\n".join(notices) + "\n", media_type="text/plain; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename=notices-{year}.txt"})


@router.post("/completeness/recompute")
def recompute_completeness(request: Request, year: int = FORM_YEAR) -> RedirectResponse:
    from flows.analysis import completeness_for_year

    require(viewer(request).may_recompute())
    completeness_for_year(archive_of(request), year)
    return RedirectResponse(f"/completeness?year={year}", status_code=303)


@router.get("/quality", response_class=HTMLResponse)
def quality(request: Request, year: int | None = YEAR) -> HTMLResponse:
    from schemas.findings import KIND_LABELS, SEVERITY_LABELS, context_text

    year = year_or_default(request, year)
    stored = q.quality(archive_of(request), viewer(request), year)
    who = viewer(request)
    return render(request, "quality.html", year=year, findings=stored.rows, stored=stored,
                  kinds=KIND_LABELS, severities=SEVERITY_LABELS, may_recompute=who.may_recompute(),
                  context_text=context_text,
                  has_reports=bool(stored.html and stored.xlsx and who.units is None))


@router.post("/quality/recompute")
def recompute_quality(request: Request, year: int = FORM_YEAR) -> RedirectResponse:
    from flows.analysis import quality_for_year

    require(viewer(request).may_recompute())
    quality_for_year(archive_of(request), year, force=True)
    return RedirectResponse(f"/quality?year={year}", status_code=303)


@router.get("/quality/report.{kind}")
def quality_report(request: Request, kind: str, year: int = Query(..., ge=2000, le=2100)) -> FileResponse:
    """The stored report of the year's latest check: every unit's findings, so whole-archive roles only."""
    who = viewer(request)
    require(who.units is None)
    if kind not in ("html", "xlsx"):
        raise HTTPException(404, "没有这种报告格式。")
    stored = q.quality(archive_of(request), who, year)
    chosen = stored.html if kind == "html" else stored.xlsx
    path = Path(chosen) if chosen else None
    if path is None or not path.is_file():
        raise HTTPException(404, "报告文件不存在。")
    audit(request, "export.downloaded", f"quality_report:{year}", kind=kind)
    media = "text/html" if kind == "html" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return FileResponse(path, media_type=media, filename=f"quality-{year}.{kind}")
