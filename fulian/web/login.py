"""Login and logout; failed and refused logins are counted per account and per address."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from archive import sessions
from archive.accounts import verify_password
from fulian.web.auth import COOKIE, LOGIN_COOKIE, audit, client_address, new_login_token

router = APIRouter()


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def safe_next(target: str) -> str:
    """Only a path of this site: never another host (`//host`, `/\\host`) after login."""
    ok = target.startswith("/") and not target.startswith(("//", "/\\")) and "\\" not in target
    return target if ok else "/"


def login_form(request: Request, status: int = 200, error: str | None = None,
               name: str = "", next_url: str = "/") -> HTMLResponse:
    token = new_login_token()
    response = request.app.state.templates.TemplateResponse(
        request, "login.html", {"csrf": token, "error": error, "name": name,
                                "next": safe_next(next_url)}, status_code=status)
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request),
                        path="/login")
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:  # noqa: A002 - the query name
    return login_form(request, next_url=next)


def _attempt(request: Request, name: str, password: str) -> tuple[str | None, int, str]:
    """(session token, HTTP status, error message)."""
    archive, st = request.app.state.web.archive, request.app.state.web.settings
    address = client_address(request)
    by_account, by_address = sessions.failures(archive, name, address, st.login_window_minutes * 60.0)
    if by_account >= st.login_max_failures or by_address >= st.login_max_failures_address:
        sessions.record_login(archive, name, address, None, refused=True)
        return None, 429, f"登录失败次数过多，请 {st.login_window_minutes} 分钟后再试。"
    with archive.db.reader() as s:
        user = verify_password(s, name, password)
    token = sessions.record_login(archive, name, address, user)
    return token, 303, "用户名或密码不正确，或账号已停用。"


@router.post("/login")
def login(request: Request, name: str = Form(""), password: str = Form(""),
          next: str = Form("/")) -> Response:  # noqa: A002
    name = name.strip()[:64]
    token, status, error = _attempt(request, name, password)
    if token is None:
        return login_form(request, 401 if status == 303 else status, error, name, next)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax", secure=_secure(request),
                        max_age=request.app.state.web.settings.web_session_hours * 3600)
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    token = request.cookies.get(COOKIE, "")
    await run_in_threadpool(audit, request, "web.logout", f"user:{request.state.viewer.name}")
    await run_in_threadpool(sessions.end, request.app.state.web.archive, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response
