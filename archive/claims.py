"""Claims: which process is working on which file, kept in the database under a lease.

Several workers on several machines scan the same inbox. Before reading a file a worker
claims its receipt; a receipt another live worker holds is skipped, so no two workers take
the same file. A claim is a lease: it expires `lease` seconds after it was taken or last
renewed, so the files of a worker that died (kill -9, a lost machine) are taken over by the
next claimer (at once when the dead holder was a process of the claimer's own machine), and `attempts` says how many workers have held it (a file that killed two
workers can be quarantined instead of retried forever). Release drops the row once the
archive has recorded the file: claims are bookkeeping, the record is the submission.

PostgreSQL: new claims with INSERT … ON CONFLICT DO NOTHING, takeovers of expired leases with
SELECT … FOR UPDATE SKIP LOCKED, so claimers never wait on each other's expired rows; times
come from the database's clock, not the machines'. SQLite (one machine): the same statements
run inside BEGIN IMMEDIATE, which holds the database's single write lock.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from archive.audit import now_iso
from archive.db import Database
from archive.models import Claim

CHUNK = 500  # keys per statement: below SQLite's bound on variables, short PostgreSQL locks


_HOST = socket.gethostname()


def default_holder() -> str:
    """host:pid:random — unique per process, readable in the table."""
    return f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _alive_here(holder: str) -> bool:
    """Whether a holder of this machine is still running: a crashed run on the same machine
    need not wait out its lease. A reused pid reads as alive: then the lease decides."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != _HOST or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def database_now(session: Session) -> float:
    """Epoch seconds by the database's clock (PostgreSQL), the only clock all machines share."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        return float(session.execute(text("SELECT extract(epoch FROM clock_timestamp())")).scalar_one())
    return time.time()  # SQLite lives on one machine: its clock is the database's


class Claims:
    """Claims of one holder (one process) on a database."""

    def __init__(self, db: Database, holder: str | None = None, lease: float = 600.0):
        if lease <= 0:
            raise ValueError(f"lease must be positive, got {lease}")
        self.db, self.lease = db, lease
        self.holder = holder or default_holder()

    def take(self, keys: Iterable[str], limit: int | None = None) -> dict[str, int]:
        """Claim keys that are free or whose lease expired; {key: attempts} of those now held.

        Keys are tried in the order given, `limit` at most. A key this holder already holds
        is renewed and counted as held.
        """
        wanted = list(dict.fromkeys(keys))
        got: dict[str, int] = {}
        i = 0
        while i < len(wanted):
            room = CHUNK if limit is None else min(CHUNK, limit - len(got))
            if room <= 0:
                break
            got.update(self._take_chunk(wanted[i:i + room]))
            i += room
        return got

    def _take_chunk(self, keys: list[str]) -> dict[str, int]:
        with self.db.exclusive() as s:
            now = database_now(s)
            got = self._takeover(s, keys, now, now + self.lease)
            got.update(self._insert_new(s, [k for k in keys if k not in got], now + self.lease))
        return {k: got[k] for k in keys if k in got}

    def _takeover(self, s: Session, keys: list[str], now: float, until: float) -> dict[str, int]:
        """Rows of these keys that are expired, already ours, or held by a process of this
        machine that is gone; locked without waiting for anyone."""
        rows = s.execute(
            select(Claim.key, Claim.holder, Claim.attempts, Claim.expires_at)
            .where(Claim.key.in_(keys), (Claim.expires_at < now) | (Claim.holder == self.holder)
                   | Claim.holder.startswith(f"{_HOST}:", autoescape=True))
            .order_by(Claim.key)
            .with_for_update(skip_locked=True)
        ).all()
        mine = {k: a for k, h, a, _ in rows if h == self.holder}
        dead = {k: a + 1 for k, h, a, until_then in rows  # their holder's lease ran out, or it died
                if h != self.holder and (until_then < now or not _alive_here(h))}
        if dead:
            s.execute(update(Claim).where(Claim.key.in_(list(dead)))
                      .values(holder=self.holder, expires_at=until, attempts=Claim.attempts + 1,
                              claimed_at=now_iso()))
        if mine:
            s.execute(update(Claim).where(Claim.key.in_(list(mine))).values(expires_at=until))
        return mine | dead

    def _insert_new(self, s: Session, keys: list[str], until: float) -> dict[str, int]:
        if not keys:
            return {}
        dialect = postgresql if s.bind.dialect.name == "postgresql" else sqlite  # type: ignore[union-attr]
        at = now_iso()
        rows = [{"key": k, "holder": self.holder, "expires_at": until, "attempts": 1,
                 "claimed_at": at} for k in sorted(keys)]  # one lock order: no deadlocks
        stmt = dialect.insert(Claim).values(rows).on_conflict_do_nothing(
            index_elements=[Claim.key]).returning(Claim.key)
        return dict.fromkeys(s.execute(stmt).scalars(), 1)

    def renew(self, keys: Sequence[str]) -> set[str]:
        """Extend the lease of keys this holder still holds; those it lost are missing."""
        kept: set[str] = set()
        for i in range(0, len(keys), CHUNK):
            with self.db.exclusive() as s:
                until = database_now(s) + self.lease
                kept.update(s.execute(
                    update(Claim).where(Claim.key.in_(keys[i:i + CHUNK]), Claim.holder == self.holder)
                    .values(expires_at=until).returning(Claim.key)).scalars())
        return kept

    def release(self, keys: Iterable[str]) -> int:
        """Let go of keys (done, or given back); only this holder's claims are touched."""
        keys, n = list(keys), 0
        for i in range(0, len(keys), CHUNK):
            with self.db.exclusive() as s:
                n += s.execute(delete(Claim).where(Claim.key.in_(keys[i:i + CHUNK]),
                                                   Claim.holder == self.holder)).rowcount
        return n


def earlier(db: Database, keys: Sequence[str]) -> dict[str, int]:
    """Keys some holder claimed and did not release (it is at work, or died): {key: attempts}."""
    out: dict[str, int] = {}
    for i in range(0, len(keys), CHUNK):
        with db.reader() as s:
            out.update(s.execute(select(Claim.key, Claim.attempts)
                                 .where(Claim.key.in_(keys[i:i + CHUNK]))).all())
    return out


def held(db: Database) -> list[dict]:
    """Every claim in the table, for reports and tests: key, holder, expires_at, attempts."""
    with db.reader() as s:
        rows = s.execute(select(Claim).order_by(Claim.key)).scalars().all()
        return [{"key": r.key, "holder": r.holder, "expires_at": r.expires_at,
                 "attempts": r.attempts} for r in rows]
