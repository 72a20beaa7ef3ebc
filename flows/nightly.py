"""The nightly run: every connector, then every later stage."""

from __future__ import annotations

import fcntl
from contextlib import ExitStack, contextmanager
from pathlib import Path

from prefect import flow, get_run_logger

from connectors.folder import DropFolder
from connectors.mailbox import Mailbox
from connectors.objects import ObjectStore
from connectors.spool import SpoolConnector, spool_dir
from flows.ingest import _run_id, run_connectors
from flows.runtime import Runtime, close_runtime, open_runtime


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


def channels(rt: Runtime, settle_seconds: float, stack: ExitStack) -> list:
    """The drop folder and the web-upload spool, plus the mailbox and object store when configured."""
    s, registry = rt.settings, rt.archive.registry
    found = [DropFolder(s.inbox_dir, s.processed_dir, s.rejected_dir, registry,
                        settle_seconds=settle_seconds, create=s.inbox is None),
             SpoolConnector(spool_dir(s.home_dir), registry)]
    for make in (Mailbox.from_settings, ObjectStore.from_settings):
        connector = make(s, registry)
        if connector is not None:
            found.append(stack.enter_context(connector))
    return found


@flow(name="nightly", log_prints=True)
def nightly(settle_seconds: float = 5.0) -> dict:
    rt = open_runtime()
    rt.run_id = _run_id() or rt.run_id
    try:
        with inbox_lock(rt.settings.home_dir), ExitStack() as stack:
            result = run_connectors(rt, channels(rt, settle_seconds, stack))
    finally:
        close_runtime(rt)
    get_run_logger().info("nightly %s: %s", rt.run_id, result["counts"])
    return result
