"""The nightly run: every connector, then every later stage."""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path

from prefect import flow, get_run_logger

from connectors.folder import DropFolder
from flows.ingest import _run_id, run_connectors
from flows.runtime import close_runtime, open_runtime


@contextmanager
def inbox_lock(home: Path):
    """One run at a time takes files from an inbox; a second run waits, then finds it done."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / "inbox.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@flow(name="nightly", log_prints=True)
def nightly(settle_seconds: float = 5.0) -> dict:
    rt = open_runtime()
    rt.run_id = _run_id() or rt.run_id
    s = rt.settings
    try:
        with inbox_lock(s.home_dir):
            folder = DropFolder(s.inbox_dir, s.processed_dir, s.rejected_dir, rt.archive.registry,
                                settle_seconds=settle_seconds)
            result = run_connectors(rt, [folder])
    finally:
        close_runtime(rt)
    get_run_logger().info("nightly %s: %s", rt.run_id, result["counts"])
    return result
