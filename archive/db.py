"""Engines, sessions and the single-writer transaction.

SQLite: WAL, a long busy timeout and BEGIN IMMEDIATE, so two processes queue
instead of failing. PostgreSQL: a transaction-scoped advisory lock. Either way
one writer at a time appends to the audit chain, which keeps it linear.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

_BEGIN_MODE: ContextVar[str] = ContextVar("sqlite_begin_mode", default="")
MIGRATIONS = Path(__file__).with_name("migrations")
WRITER_LOCK_KEY = 7_234_001  # PostgreSQL advisory lock id of the archive writer


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 120, "check_same_thread": False})
        _sqlite_setup(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=120000")  # first: the pragmas below may wait for a lock
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        conn.exec_driver_sql(f"BEGIN {_BEGIN_MODE.get()}".strip())


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to head; a cheap revision check when it is already there."""
    head = ScriptDirectory.from_config(alembic_config(str(engine.url))).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return
    token = _BEGIN_MODE.set("IMMEDIATE")  # SQLite: take the write lock first, or two new runs deadlock
    try:
        _upgrade(engine)
    finally:
        _BEGIN_MODE.reset(token)


def _upgrade(engine: Engine) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITER_LOCK_KEY + 1})
        cfg = alembic_config(engine.url.render_as_string(hide_password=False))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class Database:
    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def reader(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    @contextmanager
    def writer(self) -> Iterator[Session]:
        """A transaction holding the archive's single write lock; commits on success."""
        with self.exclusive() as session:
            if self.dialect == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITER_LOCK_KEY})
            yield session

    @contextmanager
    def exclusive(self) -> Iterator[Session]:
        """A write transaction without the archive's lock, for short bookkeeping (claims).

        SQLite: it begins with the database's single write lock (BEGIN IMMEDIATE), so what it
        reads stays true until it commits. PostgreSQL: a plain transaction; row locks do the rest.
        """
        with self._sessions() as session:
            token = _BEGIN_MODE.set("IMMEDIATE")
            try:
                session.connection()  # begins now, taking SQLite's write lock
            finally:
                _BEGIN_MODE.reset(token)
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()
