"""Local accounts of the web face: argon2id password hashes, roles, one unit per unit user.

Every change is an audit event in the same transaction; disabling a user or changing a
password ends that user's sessions at once.
"""

from __future__ import annotations

import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from archive.audit import AuditLog, now_iso
from archive.models import Unit as UnitRow
from archive.models_accounts import ROLES, User, WebSession
from archive.store import Archive

MIN_PASSWORD = 10
HASHER = PasswordHasher()  # argon2id, the library's current recommended cost
# Verified when the name is unknown, so a missing account takes as long as a wrong password.
_DUMMY_HASH = HASHER.hash("fulian-no-such-account")


class AccountError(ValueError):
    """A refused account change; `code` names why (English), for a Chinese message."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}")
        self.code, self.detail = code, detail


def require_user(session: Session, name: str) -> User:
    """The account, or AccountError("no_such_user")."""
    return _user(session, name)


def _user(session: Session, name: str) -> User:
    user = session.execute(select(User).where(User.name == name)).scalar()
    if user is None:
        raise AccountError("no_such_user", name)
    return user


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("password_too_short", str(MIN_PASSWORD))


def _check_role(session: Session, role: str, unit: str | None) -> None:
    if role not in ROLES:
        raise AccountError("no_such_role", role)
    if (role == "unit") != bool(unit):
        raise AccountError("unit_needs_unit" if role == "unit" else "unit_only_for_unit_role", role)
    if unit and session.execute(select(UnitRow.code).where(UnitRow.code == unit)).scalar() is None:
        raise AccountError("no_such_unit", unit)


def add_user(session: Session, log: AuditLog, name: str, password: str, role: str,
             unit: str | None = None) -> User:
    name = name.strip()
    # A newline or escape in a name would forge lines in logs and lists (`user list`, audit).
    if not name or len(name) > 64 or any(unicodedata.category(c) == "Cc" for c in name):
        raise AccountError("bad_name", name)
    if session.execute(select(User.id).where(User.name == name)).scalar() is not None:
        raise AccountError("user_exists", name)
    _check_role(session, role, unit)
    _check_password(password)
    at = now_iso()
    user = User(name=name, password_hash=HASHER.hash(password), role=role, unit_code=unit,
                disabled=False, created_at=at, changed_at=at)
    session.add(user)
    session.flush()
    log.add("user.added", f"user:{name}", role=role, unit=unit)
    return user


def set_password(session: Session, log: AuditLog, name: str, password: str) -> None:
    user = _user(session, name)
    _check_password(password)
    user.password_hash, user.changed_at = HASHER.hash(password), now_iso()
    _end_sessions(session, user.id)
    log.add("user.password_changed", f"user:{name}")


def set_disabled(session: Session, log: AuditLog, name: str, disabled: bool = True) -> None:
    user = _user(session, name)
    user.disabled, user.changed_at = disabled, now_iso()
    _end_sessions(session, user.id)
    log.add("user.disabled" if disabled else "user.enabled", f"user:{name}")


def _end_sessions(session: Session, user_id: int) -> None:
    session.flush()
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))


def verify_password(session: Session, name: str, password: str) -> User | None:
    """The enabled user with this name and password, or None (same work either way)."""
    user = session.execute(select(User).where(User.name == name)).scalar()
    try:
        HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return user if user is not None and not user.disabled else None


def needs_rehash(user: User) -> bool:
    return HASHER.check_needs_rehash(user.password_hash)


def list_users(archive: Archive) -> list[dict]:
    with archive.db.reader() as s:
        users = s.execute(select(User).order_by(User.name)).scalars().all()
    return [{"name": u.name, "role": u.role, "unit": u.unit_code, "disabled": u.disabled,
             "created_at": u.created_at, "changed_at": u.changed_at} for u in users]
