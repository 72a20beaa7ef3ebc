"""Two Prefect process workers of one pool, on loopback: the `nightly` deployment of
prefect.yaml, a PostgreSQL database, one shared inbox and blob store.

Each worker is a "machine" with its own FULIAN_HOME and takes one run at a time; two runs are
started and each worker picks one up. One worker is killed with kill -9, with the flow run it
was executing: the other run completes, and the next run finishes the job: every file archived
exactly once, none lost, the audit chain and every blob verified.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

from tests.conftest import ROOT, run_cli
from tests.test_cli_runs import fill_inbox, remaining
from tests.test_dask_cluster import _recorded

pytestmark = [pytest.mark.xdist_group("prefect"), pytest.mark.slow, pytest.mark.postgres]


def _prefect(*args: str, env: dict) -> str:
    proc = subprocess.run([sys.executable, "-m", "prefect", "--no-prompt", *args], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"prefect {' '.join(args)}:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def _busy(worker: subprocess.Popen) -> list[psutil.Process]:
    """The flow-run processes a worker started (empty while it waits for work)."""
    try:
        return psutil.Process(worker.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _runs(pool: str) -> list:
    """This test's flow runs: the session's Prefect server also holds every other test's runs."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return [r for r in client.read_flow_runs() if r.work_pool_name == pool]


def _states(pool: str) -> list[str]:
    return [f"{r.name}: {r.state.type if r.state else None} {r.state.message if r.state else ''}"
            for r in _runs(pool)]


def _completed_runs(pool: str) -> int:
    return sum(1 for r in _runs(pool) if r.state and r.state.is_completed())


def test_two_prefect_workers_one_killed(pg_url: str, prefect_api: str, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    n = fill_inbox(inbox, 32)
    pool = f"fulian-{uuid.uuid4().hex[:6]}"
    env = {**os.environ, "PREFECT_API_URL": prefect_api, "FULIAN_PROJECT_DIR": str(ROOT),
           "FULIAN_DATABASE_URL": pg_url, "FULIAN_INBOX": str(inbox),
           "FULIAN_BLOB_URL": str(tmp_path / "blobs"), "FULIAN_WORKERS": "1",
           "FULIAN_BATCH_SIZE": "4", "FULIAN_CLAIM_LEASE": "4",
           "PREFECT_WORKER_QUERY_SECONDS": "1", "PREFECT_WORKER_HEARTBEAT_SECONDS": "5"}
    _prefect("work-pool", "create", pool, "--type", "process", env=env)
    _prefect("deploy", "--name", "nightly", "--pool", pool, env=env)  # prefect.yaml's nightly
    workers = {name: subprocess.Popen(
        [sys.executable, "-m", "prefect", "worker", "start", "--pool", pool, "--name", name,
         "--type", "process", "--limit", "1"], env={**env, "FULIAN_HOME": str(tmp_path / name)},
        cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / f"{name}.log", "wb"))  # noqa: SIM115
        for name in ("w1", "w2")}
    try:
        for _ in range(2):
            _prefect("deployment", "run", "nightly/nightly", "--param", "settle_seconds=0", env=env)
        deadline = time.time() + 400
        while time.time() < deadline and not (all(_busy(w) for w in workers.values())
                                              and len(_recorded(pg_url)) >= 8):
            time.sleep(0.2)
        assert all(_busy(w) for w in workers.values()), "each worker took one of the two runs"
        doomed = workers["w1"]
        for p in [*_busy(doomed), psutil.Process(doomed.pid)]:  # the machine is lost: all of it
            p.send_signal(signal.SIGKILL)
        doomed.wait()
        deadline = time.time() + 300
        while time.time() < deadline and _completed_runs(pool) < 1:
            time.sleep(0.5)
        assert _completed_runs(pool) == 1, (f"the surviving worker's run completed: {_states(pool)}\n"
                                        + (tmp_path / "w2.log").read_text()[-3000:])
    finally:
        for w in workers.values():
            if w.poll() is None:
                for p in _busy(w):
                    p.send_signal(signal.SIGKILL)
                os.killpg(w.pid, signal.SIGKILL)
                w.wait()
    run_cli("nightly", "--settle", "0", env={**env, "FULIAN_HOME": str(tmp_path / "w2")})
    rows = _recorded(pg_url)
    assert len(rows) == n and len({r[0] for r in rows}) == n and len({r[1] for r in rows}) == n
    assert {r[2] for r in rows} == {"accepted"}
    assert remaining(inbox) == []
    run_cli("verify", env={**env, "FULIAN_HOME": str(tmp_path / "w2")})
