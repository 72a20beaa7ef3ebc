"""The FastAPI app: one archive per app, Jinja2 templates with autoescape, no external URLs."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from fulian import messages
from schemas.settings import Settings

TEMPLATES = Path(__file__).parent / "templates"
STATUS_CODES = ("accepted", "duplicate", "superseded", "rejected", "needs_review")


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
    env.globals.update(status_zh=messages.status_zh, STATUS=messages.STATUS_SHORT,
                       REASON=messages.REASON, DOC_TYPE=messages.DOC_TYPE,
                       short_unit=messages.short_unit, STATUS_CODES=STATUS_CODES)
    return templates


def create_app(settings: Settings | None = None) -> FastAPI:
    from fulian.web import api, upload, views

    app = FastAPI(title="历下区妇联资料归档", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.web = WebState(settings or Settings())
    app.state.templates = make_templates()
    for module in (views, upload, api):
        app.include_router(module.router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        if request.url.path.startswith("/api/"):
            from fastapi.responses import JSONResponse

            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return app.state.templates.TemplateResponse(
            request, "error.html", {"message": exc.detail, "code": exc.status_code},
            status_code=exc.status_code)

    return app
