"""Claims in the database: concurrent claimers in separate processes, leases that expire.

Run on SQLite and on a throwaway PostgreSQL database (the `db_url` fixture).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.claims import Claims, held
from archive.db import Database

ROOT = Path(__file__).resolve().parents[1]
KEYS = [f"receipt-{i:04d}" for i in range(300)]


def _claimer(url: str, holder: str, start, out) -> None:  # noqa: ANN001
    """One worker: claim a few keys at a time until none are left, working a little on each."""
    db = Database(url)
    claims = Claims(db, holder=holder, lease=600)
    mine: list[str] = []
    start.wait()
    while got := claims.take([k for k in KEYS if k not in mine], limit=5):
        mine += list(got)  # kept, not released: a released key is free for anyone again
        time.sleep(0.005)  # the work between two claims
    out.put((holder, mine))
    db.dispose()


def test_two_processes_never_claim_the_same_key(db_url: str) -> None:
    Database(db_url).dispose()  # the schema, before the claimers race
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_claimer, args=(db_url, name, start, out), daemon=True)
             for name in ("a", "b")]
    for p in procs:
        p.start()
    try:
        results = dict(out.get(timeout=120) for _ in procs)
        for p in procs:
            p.join(timeout=30)
            assert p.exitcode == 0
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
    a, b = results["a"], results["b"]
    assert len(a) == len(set(a)) and len(b) == len(set(b))
    assert not set(a) & set(b)
    assert sorted(a + b) == KEYS
    assert a and b  # both really ran at the same time
    assert {c["holder"] for c in held(Database(db_url))} == {"a", "b"}


def test_take_in_order_with_limit_skipping_what_others_hold(db_url: str) -> None:
    db = Database(db_url)
    first, second = Claims(db, holder="first"), Claims(db, holder="second")
    assert first.take(["k1", "k3"]) == {"k1": 1, "k3": 1}
    assert second.take(["k1", "k2", "k3", "k4", "k5"], limit=2) == {"k2": 1, "k4": 1}
    assert first.take(["k1", "k2"]) == {"k1": 1}  # its own: renewed, still one attempt
    assert second.release(["k1", "k2"]) == 1  # never another holder's claim
    assert [c["key"] for c in held(db)] == ["k1", "k3", "k4"]
    assert first.take(["k2"]) == {"k2": 1}


def test_expired_lease_is_taken_over_and_counted(db_url: str) -> None:
    db = Database(db_url)
    slow, next_run = Claims(db, holder="slow", lease=1.0), Claims(db, holder="next", lease=60)
    assert slow.take(["x", "y"]) == {"x": 1, "y": 1}
    assert next_run.take(["x", "y"]) == {}
    assert slow.renew(["x", "y"]) == {"x", "y"}
    time.sleep(1.3)
    assert next_run.take(["x", "y"]) == {"x": 2, "y": 2}
    assert slow.renew(["x", "y"]) == set()  # it lost them, and is told so
    assert slow.release(["x", "y"]) == 0
    assert {c["holder"] for c in held(db)} == {"next"}


HOLD_AND_HANG = """
import sys, time
from archive.claims import Claims, default_holder
from archive.db import Database
holder = default_holder() if sys.argv[2] == "this-machine" else sys.argv[2]
got = Claims(Database(sys.argv[1]), holder=holder, lease=float(sys.argv[3])).take(["a", "b", "c"])
print(sorted(got), flush=True)
time.sleep(600)
"""


def _hold_then_die(db_url: str, holder: str, lease: float) -> None:
    """A process that claims a, b, c and is killed with SIGKILL while holding them."""
    Database(db_url).dispose()
    proc = subprocess.Popen([sys.executable, "-c", HOLD_AND_HANG, db_url, holder, str(lease)],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "['a', 'b', 'c']"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def test_lease_of_a_killed_holder_expires(db_url: str) -> None:
    _hold_then_die(db_url, "another-machine:4242:doomed", 2.0)
    survivor = Claims(Database(db_url), holder="survivor")
    assert survivor.take(["a", "b", "c", "d"]) == {"d": 1}
    deadline = time.monotonic() + 10
    got: dict[str, int] = {}
    while not got and time.monotonic() < deadline:
        time.sleep(0.25)
        got = survivor.take(["a", "b", "c"])
    assert got == {"a": 2, "b": 2, "c": 2}


def test_dead_holder_on_this_machine_is_taken_over_at_once(db_url: str) -> None:
    _hold_then_die(db_url, "this-machine", 600)
    assert Claims(Database(db_url), holder="next").take(["a", "b", "c"]) == {"a": 2, "b": 2, "c": 2}


def test_lease_must_be_positive(sqlite_home: Path) -> None:
    with pytest.raises(ValueError, match="lease must be positive"):
        Claims(Database(f"sqlite:///{sqlite_home / 'c.db'}"), lease=0)
