"""Unit staff submit files: streamed straight into the spool, archived by the next run.

The multipart body is parsed as it streams in (python-multipart's parser, not
Starlette's form buffering), so the size limit stops a file at its first byte over
`max_file_size`. An oversized file is refused with HTTP 413 and a Chinese message
naming it, and nothing of that request is kept: the uploader sees the refusal at
once, so nothing is silently dropped. The submitted file name is metadata only.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool

from archive.queries_scoped import visible_units
from connectors.spool import Spooled, SpoolWriter, TooLarge, spool_dir, spool_usage
from extract.pii import mask_name
from fulian.web.auth import audit, tokens_match, viewer

router = APIRouter()
MAX_FIELD = 8 * 1024  # unit code and note are short texts
MAX_FILES = 50


class UploadError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class FormSink:
    """Callbacks of the streaming parser: text fields into memory, files into the spool."""

    def __init__(self, spool, max_size: int, room: int, cap_mb: int):  # noqa: ANN001 - Path
        self.spool, self.max_size = spool, max_size
        self.room, self.cap_mb, self.received = room, cap_mb, 0  # bytes the spool may still take
        self.fields: dict[str, str] = {}
        self.files: list[tuple[str, SpoolWriter]] = []
        self.headers: dict[bytes, bytes] = {}
        self.field, self.value = b"", b""
        self.current: SpoolWriter | None = None
        self.name, self.filename, self.buffer = "", None, bytearray()
        self.error: UploadError | None = None

    def callbacks(self) -> dict:
        return {"on_part_begin": self.part_begin, "on_header_field": self.header_field,
                "on_header_value": self.header_value, "on_header_end": self.header_end,
                "on_headers_finished": self.headers_finished, "on_part_data": self.part_data,
                "on_part_end": self.part_end}

    def part_begin(self) -> None:
        self.headers, self.field, self.value = {}, b"", b""
        self.current, self.filename, self.buffer = None, None, bytearray()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self.field += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self.value += data[start:end]

    def header_end(self) -> None:
        self.headers[self.field.lower()] = self.value
        self.field, self.value = b"", b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.name = options.get(b"name", b"").decode("utf-8", "replace")
        raw = options.get(b"filename")
        if raw is not None:
            self.filename = raw.decode("utf-8", "replace")
            if self.filename and len(self.files) >= MAX_FILES:
                self.fail(400, f"一次最多上传 {MAX_FILES} 个文件。")
            elif self.filename:
                self.current = SpoolWriter(self.spool, self.max_size)

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self.error:
            return
        if self.current is not None:
            self.received += end - start
            if self.received > self.room:  # checked before writing: the spool never passes its cap
                self.fail(507, spool_full(self.cap_mb))
                return
            try:
                self.current.write(data[start:end])
            except TooLarge:
                self.fail(413, f"文件“{mask_name(self.filename)}”超过大小上限"
                               f"（{self.max_size // (1024 * 1024) or self.max_size}"
                               f"{' MB' if self.max_size >= 1024 * 1024 else ' 字节'}），未接收。"
                               "请压缩或拆分后重新上传。")
        elif self.filename is None:
            self.buffer += data[start:end]
            if len(self.buffer) > MAX_FIELD:
                self.fail(400, "表单内容过长。")

    def part_end(self) -> None:
        if self.error:
            return
        if self.current is not None:
            self.files.append((self.filename or "", self.current))
            self.current = None
        elif self.filename is None:
            self.fields[self.name] = self.buffer.decode("utf-8", "replace").strip()

    def fail(self, status: int, message: str) -> None:
        self.error = self.error or UploadError(status, message)

    def abort(self) -> None:
        for w in [w for _, w in self.files] + ([self.current] if self.current else []):
            w.abort()


def spool_full(cap_mb: int) -> str:
    return (f"上传暂存区已满（等待归档的文件合计最多 {cap_mb} MB），本次提交的文件均未接收。"
            "请在下一次归档运行（每天夜间）之后再上传，或请管理员处理。")


async def receive(request: Request, settings) -> tuple[dict[str, str], list[tuple[str, SpoolWriter]]]:  # noqa: ANN001
    """The form's fields and its files, each in a spool writer; on any error nothing of the
    request stays in the spool. The spool's total (FULIAN_SPOOL_MAX_MB) is checked as bytes
    arrive; uploads running at the same time may each use what was free when they began."""
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype != b"multipart/form-data" or b"boundary" not in params:
        raise UploadError(400, "请通过上传页面提交文件。")
    spool = spool_dir(settings.home_dir)
    room = settings.spool_max_mb * 1024 * 1024 - await run_in_threadpool(spool_usage, spool)
    if room <= 0:
        raise UploadError(507, spool_full(settings.spool_max_mb))
    sink = FormSink(spool, settings.max_file_size, room, settings.spool_max_mb)
    parser = MultipartParser(params[b"boundary"], sink.callbacks())
    try:
        async for chunk in request.stream():
            await run_in_threadpool(parser.write, chunk)  # disk writes off the event loop
            if sink.error:
                raise sink.error
        parser.finalize()
        if sink.current is not None:  # the body ended inside a file: a truncated upload
            raise UploadError(400, "上传不完整（连接中断），本次提交的文件均未接收，请重新上传。")
    except Exception:
        sink.abort()
        raise
    return sink.fields, sink.files


def unit_choices(units: list[dict]) -> list[dict]:
    """Streets with their confirmed communities under them, then every other confirmed unit."""
    units = [u for u in units if u["confirmed"] and u["level"] != "district"]
    codes = {u["code"] for u in units}
    streets = [u for u in units if u["level"] == "street"]
    groups = [{"label": s["name"], "units": [s] + sorted(
        (u for u in units if u["level"] == "community" and u["parent"] == s["code"]),
        key=lambda u: u["name"])} for s in streets]
    orphans = [u for u in units if u["level"] == "community" and u["parent"] not in codes]
    others = [u for u in units if u["level"] not in ("street", "community")] + orphans
    if others:
        groups.append({"label": "其他单位", "units": others})
    return groups


def form(request: Request, status: int = 200, error: str | None = None, unit: str = "",
         note: str = "") -> HTMLResponse:
    units = visible_units(request.app.state.web.archive, viewer(request))
    return request.app.state.templates.TemplateResponse(
        request, "upload.html", {"groups": unit_choices(units), "error": error, "unit": unit,
                                 "note": note, "max_mb": request.app.state.web.settings.max_file_size
                                 / (1024 * 1024)}, status_code=status)


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request) -> HTMLResponse:
    return form(request)


@router.post("/upload", response_class=HTMLResponse)
async def upload(request: Request) -> HTMLResponse:
    settings = request.app.state.web.settings
    try:
        fields, files = await receive(request, settings)
    except UploadError as exc:
        return form(request, exc.status, exc.message)
    unit, note = fields.get("unit", ""), fields.get("note", "")
    who = viewer(request)
    known = request.app.state.web.archive.registry.get(unit) if unit and who.sees(unit) else None
    status, problem = ((403, "表单已过期，请刷新页面后重新提交。")
                       if not tokens_match(fields.get("csrf"), request.state.csrf)
                       else (400, "请选择报送单位。") if not known
                       else (400, "请选择要上传的文件。") if not files else (200, None))
    if problem:
        for _, w in files:
            w.abort()
        return form(request, status, problem, unit=unit, note=note)
    done: list[Spooled] = [w.commit(name, unit, note) for name, w in files]
    for item in done:
        await run_in_threadpool(audit, request, "upload.received", f"upload:{item.id}", unit=unit,
                                name=mask_name(item.original_name), size=item.size, sha256=item.sha256)
    return request.app.state.templates.TemplateResponse(
        request, "uploaded.html", {"items": done, "unit": known})
