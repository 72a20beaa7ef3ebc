"""A run's claims: it works only on files no live worker holds, and keeps its leases alive.

Every run (on any machine) claims the receipts it scanned before reading them; what another
live run holds is left to it. A background thread renews the leases while the run lives, so a
run killed with kill -9 stops renewing and its files are taken over by the next run once the
lease has expired. What a run recorded, or could not finish, is released when it ends.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator

from archive.claims import Claims, earlier
from archive.db import Database
from connectors.base import Incoming

log = logging.getLogger(__name__)


class RunClaims:
    """Claims of one run, renewed every third of the lease by a daemon thread."""

    def __init__(self, db: Database, lease: float):
        self.claims = Claims(db, lease=lease)
        self.held: set[str] = set()
        self.attempts: dict[str, int] = {}  # of what this run took: how many holders it has had
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._renew_forever, name="claims-heartbeat",
                                        daemon=True)

    def __enter__(self) -> RunClaims:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        self.release(list(self.held))

    def take(self, items: list[Incoming], limit: int | None = None) -> list[Incoming]:
        """Items this run now holds (`limit` at most), in their order; others belong to live runs."""
        got = self.claims.take((i.receipt for i in items), limit=limit)
        with self._lock:
            self.held |= set(got)
            self.attempts.update(got)
        return [i for i in items if i.receipt in got]

    def batches(self, items: list[Incoming], size: int) -> Iterator[list[Incoming]]:
        """Batches of up to `size` items, each claimed only when it is asked for: runs on
        several machines share one inbox batch by batch instead of the first taking it all."""
        rest = list(items)
        while rest:
            batch = self.take(rest, limit=size)
            if not batch:
                return
            last = rest.index(batch[-1])
            rest = rest[last + 1:]
            yield batch

    def left_over(self, items: list[Incoming]) -> tuple[list[Incoming], list[Incoming]]:
        """(items another run claimed and did not finish: it is at work, or it died holding
        them; the others)."""
        before = earlier(self.claims.db, [i.receipt for i in items])
        return [i for i in items if i.receipt in before], [i for i in items if i.receipt not in before]

    def release(self, receipts: Iterable[str]) -> None:
        receipts = list(receipts)
        with self._lock:
            self.held -= set(receipts)
        self.claims.release(receipts)

    def _renew_forever(self) -> None:
        while not self._stop.wait(self.claims.lease / 3):
            with self._lock:
                keys = list(self.held)
            if not keys:
                continue
            try:
                lost = set(keys) - self.claims.renew(keys)
            except Exception as exc:  # noqa: BLE001 - the database may come back before the lease ends
                log.warning("could not renew %d claims: %s", len(keys), exc)
                continue
            with self._lock:  # taken over after a stall: recording stays idempotent
                self.held -= lost
