"""The FastAPI app: one archive per app, Jinja2 templates with autoescape, no external URLs.

Every route but the login page and static files runs behind `auth.guard` (an app-wide
dependency); every response carries the security headers of `SECURITY_HEADERS`.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from extract.pii import mask_name
from fulian import messages
from fulian.web.auth import LoginRequired, guard
from schemas.settings import Settings

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
STATUS_CODES = ("accepted", "duplicate", "superseded", "rejected", "needs_review")
ROLE_ZH = {"admin": "管理员", "archivist": "档案管理员", "statistician": "统计人员", "unit": "单位用户"}
# No inline script or style, nothing from another origin, never inside a frame.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # no-referrer would make Chrome send `Origin: null` on our own forms
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",  # pages hold personal data: no copies in shared caches
}


class WebState:
    """Settings and the archive, opened on first use (the app starts without a database)."""

    def __init__(self, settings: Settings):
        self.settings = settings

    @cached_property
    def archive(self):  # noqa: ANN201 - archive.store.Archive, imported lazily
        from archive.store import Archive

        return Archive(self.settings)


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    env = templates.env
    env.autoescape = True  # every value is escaped, whatever the template name
    env.filters["masked"] = mask_name  # a file name not from the archive's queries (they mask already)
    env.globals.update(status_zh=messages.status_zh, STATUS=messages.STATUS_SHORT,
                       REASON=messages.REASON, DOC_TYPE=messages.DOC_TYPE,
                       short_unit=messages.short_unit, STATUS_CODES=STATUS_CODES, ROLE_ZH=ROLE_ZH)
    return templates


def _error_page(request: Request, message: str, code: int) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=code)
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"message": message, "code": code}, status_code=code)


def _add_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error_page(request, str(exc.detail), exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def bad_input(request: Request, exc: RequestValidationError) -> Response:
        fields = "、".join(str(e.get("loc", ["", "?"])[-1]) for e in exc.errors())
        return _error_page(request, f"输入有误，请检查：{fields}。", 400)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "请先登录。"}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # noqa: ANN001, ANN202
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.scheme == "https":
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def create_app(settings: Settings | None = None) -> FastAPI:
    from fulian.web import api, login, pages_analysis, pages_packets, pages_review, upload, views

    app = FastAPI(title="历下区妇联资料归档", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(guard)])
    app.state.web = WebState(settings or Settings())
    from connectors.spool import spool_dir, sweep_stale

    sweep_stale(spool_dir(app.state.web.settings.home_dir))  # partial uploads a killed server left
    app.state.templates = make_templates()
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for module in (login, views, pages_analysis, pages_review, pages_packets, upload, api):
        app.include_router(module.router)
    _add_handlers(app)
    return app

