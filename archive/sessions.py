"""Server-side web sessions and login attempts.

The cookie carries a random token; only its SHA-256 is stored, so a copy of the
database does not let anyone log in. Sessions end after an idle time and a maximum age.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update

from archive.audit import AuditLog
from archive.models_accounts import LoginAttempt, User, WebSession
from archive.store import Archive

SEEN_GRANULARITY = 60.0  # seconds: refresh `seen` at most this often (one write a minute)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


@dataclass
class Live:
    user: User
    csrf: str


def load(archive: Archive, token: str, idle_seconds: float, max_seconds: float) -> Live | None:
    """The session's user and CSRF token, if the session is live and the user enabled."""
    now = time.time()
    key = token_hash(token)
    with archive.db.reader() as s:
        found = s.execute(select(WebSession, User).join(User, User.id == WebSession.user_id)
                          .where(WebSession.token_hash == key)).first()
    if found is None:
        return None
    ws, user = found
    if user.disabled or now - ws.seen > idle_seconds or now - ws.created > max_seconds:
        end(archive, token)
        return None
    if now - ws.seen > SEEN_GRANULARITY:
        with archive.db.writer() as s:
            s.execute(update(WebSession).where(WebSession.token_hash == key).values(seen=now))
    return Live(user, ws.csrf)


def end(archive: Archive, token: str) -> None:
    with archive.db.writer() as s:
        s.execute(delete(WebSession).where(WebSession.token_hash == token_hash(token)))


def failures(archive: Archive, account: str, address: str, window: float) -> tuple[int, int]:
    """Failed logins of this account and from this address within the last `window` seconds."""
    since = time.time() - window
    base = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.at >= since, LoginAttempt.ok.is_(False))
    with archive.db.reader() as s:
        by_account = s.execute(base.where(LoginAttempt.account == account)).scalar() or 0
        by_address = s.execute(base.where(LoginAttempt.address == address)).scalar() or 0
    return by_account, by_address


def record_login(archive: Archive, account: str, address: str, user: User | None,
                 refused: bool = False) -> str | None:
    """Store the attempt and its audit event; on success a new session's token."""
    now = time.time()
    with archive.db.writer() as s:
        s.add(LoginAttempt(at=now, account=account[:64], address=address[:64], ok=user is not None))
        log = AuditLog(s, f"web:{account[:64]}")
        if user is None:
            log.add("web.login_refused" if refused else "web.login_failed", f"user:{account[:64]}",
                    address=address)
            s.flush()
            log.flush()
            return None
        token = secrets.token_urlsafe(32)
        s.add(WebSession(token_hash=token_hash(token), user_id=user.id,
                         csrf=secrets.token_urlsafe(32), created=now, seen=now))
        log.add("web.login", f"user:{user.name}", address=address, role=user.role)
        s.flush()
        log.flush()
        return token
