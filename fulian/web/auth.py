"""Who is asking: every request but the login page and static files needs a live session.

`guard` runs before every route (an app-wide dependency), so a new route is
protected without remembering to be. It also checks the CSRF token of every
form post; multipart uploads carry theirs inside the stream, which the upload
route checks before it keeps a byte (see `MULTIPART_ROUTES`).
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from archive import sessions
from archive.scope import Viewer, viewer_for

COOKIE = "fulian_session"
LOGIN_COOKIE = "fulian_login"  # CSRF token of the login form (no session yet)
PUBLIC = ("/login", "/static/")
MULTIPART_ROUTES = ("/upload",)
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


class LoginRequired(Exception):
    """No live session: pages redirect to the login form, the API answers 401."""


def is_public(path: str) -> bool:
    return path == "/login" or path.startswith("/static/")


def _settings(request: Request):  # noqa: ANN202
    return request.app.state.web.settings


def _live(request: Request) -> sessions.Live | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    st = _settings(request)
    return sessions.load(request.app.state.web.archive, token, st.web_idle_minutes * 60.0,
                         st.web_session_hours * 3600.0)


def _same_origin(request: Request) -> bool:
    """A browser names the page a post comes from; another site's page is refused."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return origin.split("://", 1)[-1] == request.headers.get("host", "")


def tokens_match(given: str | None, expected: str | None) -> bool:
    return bool(given and expected) and hmac.compare_digest(str(given), str(expected))


async def guard(request: Request) -> None:
    path = request.url.path
    if request.method in UNSAFE and not _same_origin(request):
        raise HTTPException(403, "请求来源不符，已拒绝。请从本系统的页面提交。")
    if is_public(path):
        if request.method in UNSAFE:
            form = await request.form()
            if not tokens_match(form.get("csrf"), request.cookies.get(LOGIN_COOKIE)):
                raise HTTPException(403, "表单已过期，请刷新页面后重新提交。")
        return
    live = await run_in_threadpool(_live, request)
    if live is None:
        raise LoginRequired()
    request.state.viewer = await run_in_threadpool(viewer_for, request.app.state.web.archive, live.user)
    request.state.csrf = live.csrf
    if request.method in UNSAFE:
        await _check_form_token(request, live.csrf)


async def _check_form_token(request: Request, expected: str) -> None:
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data") and request.url.path in MULTIPART_ROUTES:
        return  # checked by the route, from the stream, before anything is kept
    if not ctype.startswith("application/x-www-form-urlencoded"):
        raise HTTPException(400, "请通过本系统的页面提交表单。")
    form = await request.form()
    if not tokens_match(form.get("csrf"), expected):
        raise HTTPException(403, "表单已过期，请刷新页面后重新提交。")


def viewer(request: Request) -> Viewer:
    return request.state.viewer


def require(allowed: bool) -> None:
    if not allowed:
        raise HTTPException(403, "您的账号没有此项权限。")


def new_login_token() -> str:
    return secrets.token_urlsafe(24)


def audit(request: Request, action: str, subject: str, **details: object) -> None:
    """An audit event in the archive's chain, in the viewer's name, with the address it came from."""
    from archive.audit import AuditLog

    archive = request.app.state.web.archive
    with archive.db.writer() as s:
        log = AuditLog(s, viewer(request).actor)
        log.add(action, subject, address=client_address(request), **details)
        log.flush()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "?"
