"""Issue 14: kill -9 of a run leaves no orphans. The extraction workers and the per-command
Prefect server die with the `fulian` process that started them, whatever killed it.

Only the run's own process is killed (not its group, as a shell's Ctrl-C or `kill -9 -PGID`
would): what survives it is found by a marker variable every descendant inherits.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from fulian.samples.hostile import many_page_scan
from tests.conftest import ROOT, fulian_cmd
from tests.test_cli_runs import fill_inbox

pytestmark = [pytest.mark.slow]


def carrying(marker: str) -> list[int]:
    """Live processes whose environment holds `marker` (ours: same user, /proc readable)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:  # gone, or not ours
            continue
    return found


def recorded(db: Path) -> int:
    try:
        with contextlib.closing(sqlite3.connect(db)) as con:
            return con.execute("SELECT count(*) FROM submissions").fetchone()[0]
    except sqlite3.Error:  # not created yet
        return 0


def kill_and_expect_nothing_left(proc: subprocess.Popen, marker: str, within: float = 5.0) -> None:
    """kill -9 of `proc` alone (not its group); then no process carrying `marker` may remain."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + within
    while carrying(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [_cmdline(pid) for pid in carrying(marker)]
    assert not left, f"processes outlived the one killed: {left}"


def _clean(marker: str) -> None:
    """Whatever a failed test left behind: only processes carrying this test's marker."""
    for pid in carrying(marker):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:120].decode()
    except OSError:
        return f"{pid} (gone)"


def test_kill_9_of_a_nightly_run_leaves_no_process_behind(tmp_path: Path) -> None:
    inbox, home = tmp_path / "inbox", tmp_path / "home"
    fill_inbox(inbox, 12)
    for n in range(2):  # first in the walk: both workers are busy with OCR (≈25 s each) at the kill
        (inbox / f"扫描件{n}.pdf").write_bytes(many_page_scan(6))
    marker = f"FULIAN_ORPHAN_TEST={uuid.uuid4().hex}"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update({"FULIAN_HOME": str(home), "FULIAN_INBOX": str(inbox), "FULIAN_WORKERS": "2",
                "FULIAN_DATABASE_URL": f"sqlite:///{home / 'fulian.db'}", "FULIAN_BATCH_SIZE": "4",
                "FULIAN_PREFECT_SERVER": "ephemeral", marker.split("=")[0]: marker.split("=")[1]})
    proc = subprocess.Popen(fulian_cmd("nightly", "--settle", "0"), cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        # mid-run: the run, its server and both workers exist, and the workers have started
        while time.monotonic() < deadline and proc.poll() is None and len(carrying(marker)) < 4:
            time.sleep(0.1)
        time.sleep(5)
        assert proc.poll() is None and recorded(home / "fulian.db") == 0, "not mid-run: nothing tested"
        assert len(carrying(marker)) >= 4, "no server and workers seen: nothing was tested"
        kill_and_expect_nothing_left(proc, marker)
    finally:
        _clean(marker)


MIDDLE = """
import sys, time
from pathlib import Path
from extract.legacy import _run_soffice
_run_soffice([Path(p) for p in sys.argv[2:]], Path(sys.argv[1]), "ods", 120)
"""


def test_a_dead_worker_takes_its_libreoffice_with_it(tmp_path: Path) -> None:
    """soffice starts oosplash, which starts soffice.bin: a PDEATHSIG on soffice reached only
    oosplash, and soffice.bin converted on with no one waiting. The worker (here a process
    calling the worker's own conversion) is killed -9 mid-conversion."""
    from fulian.samples.bad import sample_sheet
    from fulian.samples.office import write_xlsx

    sources = [str(write_xlsx(tmp_path / f"表{i}.xlsx", sample_sheet())) for i in range(40)]
    out = tmp_path / "out"
    out.mkdir()
    marker = f"FULIAN_ORPHAN_TEST={uuid.uuid4().hex}"
    env = {**os.environ, marker.split("=")[0]: marker.split("=")[1]}
    proc = subprocess.Popen([sys.executable, "-c", MIDDLE, str(out), *sources], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any("soffice.bin" in _cmdline(p) for p in carrying(marker)):
            time.sleep(0.1)
        assert any("soffice.bin" in _cmdline(p) for p in carrying(marker)), "soffice.bin never started"
        kill_and_expect_nothing_left(proc, marker)
    finally:
        _clean(marker)
        shutil.rmtree(f"/tmp/fulian-lo-{proc.pid}", ignore_errors=True)  # its exit hook never ran
