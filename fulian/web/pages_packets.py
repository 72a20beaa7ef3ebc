"""年度材料: the annual review packets given out (built by `fulian packet` or the annual-packets
flow), listed and downloaded by the roles that may; every download is an audit event.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from archive import queries_scoped as q
from fulian.web import data
from fulian.web.auth import audit, viewer
from fulian.web.views import archive_of, blob_attachment, render

router = APIRouter()
PACKET_AREA = "packets"  # archive/packets_store.py keeps each ZIP there, by its sha256


@router.get("/packets", response_class=HTMLResponse)
def packet_list(request: Request) -> HTMLResponse:
    return render(request, "packets.html", rows=q.packets(archive_of(request), viewer(request)))


@router.get("/packets/{packet_id}/download")
async def packet_download(request: Request, packet_id: int = data.record_id()) -> Response:
    archive = archive_of(request)
    found = await run_in_threadpool(q.packet, archive, viewer(request), packet_id)
    if found is None:
        raise HTTPException(404, f"没有编号为 {packet_id} 的年度材料，或您无权下载。")
    await run_in_threadpool(audit, request, "packet.downloaded", f"packet:{packet_id}",
                            sha256=found["sha256"], year=found["year"], scope=found["scope"])
    return blob_attachment(archive, found["sha256"], PACKET_AREA, f"{found['year']}-{found['scope']}.zip",
                           "application/zip")
