"""总览 and 文档: the overview, the document list with search, a document page, downloads.

Reads come from archive.queries_scoped only, with the viewer; viewing and downloading
a document are audit events.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from archive import queries_scoped as q
from fulian.web import data
from fulian.web.auth import audit, viewer

router = APIRouter()
PAGE_SIZE = 50


def render(request: Request, template: str, status: int = 200, **context: object) -> HTMLResponse:
    context.setdefault("beijing", data.beijing)
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)


def archive_of(request: Request):  # noqa: ANN201
    return request.app.state.web.archive


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    archive, who = archive_of(request), viewer(request)
    counts = q.status_counts(archive, who)
    return render(request, "index.html", counts=counts, total=sum(counts.values()),
                  runs=q.latest_runs(archive, who), year=data.default_year(q.years(archive, who)),
                  review=len(q.review_queue(archive, who)))


@router.get("/submissions", response_class=HTMLResponse)
def document_list(request: Request, status: str = "", unit: str = "", period: str = "",
                  doc_type: str = "", receipt: str = "", text: str = "", path: str = "",
                  sha256: str = "", page: int = Query(1, ge=1, le=100_000)) -> HTMLResponse:
    archive, who = archive_of(request), viewer(request)
    f = q.DocumentFilter(status=status, unit=unit, period=period.strip(), doc_type=doc_type,
                         receipt=receipt.strip(), text=text.strip()[:100], path=path,
                         sha256=sha256.strip()[:64])
    rows, total = q.document_page(archive, who, f, page, PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    return render(request, "submissions.html", rows=rows, total=total, page=page, pages=pages,
                  filters=f.__dict__, units=q.visible_units(archive, who))


@router.get("/submissions/{submission_id}", response_class=HTMLResponse)
def document_page(request: Request, submission_id: int = data.record_id()) -> HTMLResponse:
    who = viewer(request)
    detail = q.document_detail(archive_of(request), who, submission_id)
    if detail is None:
        raise HTTPException(404, f"没有序号为 {submission_id} 的文档，或您无权查看。")
    audit(request, "document.viewed", f"submission:{submission_id}")
    pieces = data.highlight(detail["text"], [v["evidence"] for v in detail["values"]])
    return render(request, "submission.html", pieces=pieces,
                  may_download=who.may_download(detail["sub"]["pii"]), **detail)


@router.get("/submissions/{submission_id}/download")
async def download(request: Request, submission_id: int = data.record_id()) -> Response:
    """The original file, streamed from the blob store; refused (404) like a missing one."""
    archive = archive_of(request)
    sub = await run_in_threadpool(q.downloadable, archive, viewer(request), submission_id)
    if sub is None:
        raise HTTPException(404, f"没有序号为 {submission_id} 的可下载文件，或您无权下载。")
    await run_in_threadpool(audit, request, "document.downloaded", f"submission:{submission_id}",
                            sha256=sub["sha256"])
    name = (sub["original_name"] or f"{submission_id}").rsplit("/", 1)[-1]
    return blob_attachment(archive, sub["sha256"], sub["area"], name)


def blob_attachment(archive, sha256: str, area: str, name: str,  # noqa: ANN001
                    media_type: str = "application/octet-stream") -> StreamingResponse:
    """A blob streamed as a download under its (UTF-8, RFC 5987-quoted) file name."""
    from urllib.parse import quote

    return StreamingResponse(archive.blobs.chunks(sha256, area), media_type=media_type,
                             headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})
