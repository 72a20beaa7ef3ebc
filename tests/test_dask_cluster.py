"""Extraction on a Dask cluster, on loopback: a scheduler and two workers started by the test,
a PostgreSQL database created by it, the `fulian ingest` command with FULIAN_DASK_ADDRESS.

One Dask worker is killed with kill -9 (its whole process group: the machine is lost) while it
holds a batch; the scheduler runs that batch again on the other one and the run completes:
every file archived exactly once, none lost, the audit chain and every blob verified.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bench._common import dask_cluster as cluster
from tests.conftest import ROOT, fulian_cmd, run_cli
from tests.test_cli_runs import fill_inbox

pytestmark = [pytest.mark.xdist_group("prefect"), pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def dask_cluster(tmp_path: Path) -> Iterator[tuple[str, dict[str, subprocess.Popen]]]:
    """A Dask scheduler and two one-thread workers (w1, w2), each in its own session."""
    with cluster(["w1", "w2"], tmp_path / "dask-logs") as started:
        yield started


def _recorded(url: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            return c.execute(text("SELECT receipt, sha256, status FROM submissions")).all()
    except Exception:  # noqa: BLE001 - the schema is not there before the run migrates
        return []
    finally:
        engine.dispose()


def _busy_worker(address: str) -> str | None:
    """The name of a worker running a task right now."""
    from distributed import Client

    with Client(address, timeout=10) as client:
        names = {a: w["name"] for a, w in client.scheduler_info()["workers"].items()}
        busy = [names[a] for a, keys in client.processing().items() if keys and a in names]
    return busy[0] if busy else None


def _batches_extracted(address: str) -> int:
    from distributed import Client

    def count(dask_scheduler) -> int:  # noqa: ANN001 - runs on the scheduler
        prefix = dask_scheduler.task_prefixes.get("extract_batch")
        return prefix.state_counts["memory"] if prefix is not None else 0  # tasks that finished

    with Client(address, timeout=10) as client:
        return client.run_on_scheduler(count)


def test_ingest_on_a_dask_cluster_survives_a_killed_worker(
        pg_url: str, prefect_api: str, dask_cluster: tuple, tmp_path: Path) -> None:
    address, procs = dask_cluster
    inbox = tmp_path / "inbox"
    n = fill_inbox(inbox, 100)
    env = {**os.environ, "FULIAN_HOME": str(tmp_path / "home"), "FULIAN_DATABASE_URL": pg_url,
           "FULIAN_DASK_ADDRESS": address, "FULIAN_BATCH_SIZE": "5", "FULIAN_WORKERS": "1",
           "PREFECT_API_URL": prefect_api}
    run = subprocess.Popen(fulian_cmd("ingest", str(inbox)), cwd=ROOT, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        victim, deadline = None, time.time() + 300
        while victim is None and time.time() < deadline and run.poll() is None:
            if len(_recorded(pg_url)) >= 10:
                victim = _busy_worker(address)
            time.sleep(0.05)
        assert victim is not None, "the run ended before a worker could be killed mid-batch"
        os.killpg(procs[victim].pid, signal.SIGKILL)  # the worker, its nanny and its pool
        procs[victim].wait()
        _, err = run.communicate(timeout=300)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 0, err[-3000:]
    rows = _recorded(pg_url)
    assert len(rows) == n, "every file archived"
    assert len({r[0] for r in rows}) == n and len({r[1] for r in rows}) == n, "each exactly once"
    assert {r[2] for r in rows} == {"accepted"}
    assert _batches_extracted(address) >= n // 5, "the batches were extracted on the cluster"
    run_cli("verify", env=env)  # exit 1 on any chain or blob problem


KILLER = "致命文件"
INJECT = '''
import os

if os.environ.get("FULIAN_TEST_KILL_ON"):  # only the Dask workers of the test below
    import flows.prepare as _prepare

    _real = _prepare.apply_results

    def apply_results(batch, results):
        if any(os.environ["FULIAN_TEST_KILL_ON"] in r.original_name for r in batch.to_extract):
            os._exit(139)  # the Dask worker itself dies, as on a crash outside the pool
        return _real(batch, results)

    _prepare.apply_results = apply_results
'''


def test_a_file_that_kills_dask_workers_is_rejected_and_its_batch_mates_archived(
        prefect_api: str, tmp_path: Path) -> None:
    """A fault injected into the Dask workers (sitecustomize): a batch holding the hostile file
    kills every worker it is sent to. The scheduler gives up on it (KilledWorker, one retry
    allowed), its files go one per task, a batch-mate that only shared a dying worker is sent
    again alone, and the culprit is rejected `corrupt`; the run goes on."""
    from tests.test_killer_file import _submissions

    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(INJECT, encoding="utf-8")
    inbox = tmp_path / "inbox"
    n = fill_inbox(inbox, 10)
    victim = next(inbox.rglob("*第3期*"))
    victim.rename(victim.with_name(f"工作信息第3期{KILLER}.docx"))
    workers_env = {"PYTHONPATH": os.pathsep.join([str(inject), os.environ.get("PYTHONPATH", str(ROOT))]),
                   "FULIAN_TEST_KILL_ON": KILLER, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"}
    with cluster(["w1", "w2"], tmp_path / "dask-logs", env=workers_env) as (address, _):
        run_cli("ingest", str(inbox), env={"FULIAN_HOME": str(tmp_path / "home"),
                                           "FULIAN_DASK_ADDRESS": address, "FULIAN_BATCH_SIZE": "5",
                                           "PREFECT_API_URL": prefect_api})
    rows = {r[0]: r for r in _submissions(tmp_path / "home" / "fulian.db")}
    assert len(rows) == n
    bad = rows.pop(f"工作信息第3期{KILLER}.docx")
    assert bad[1:3] == ("rejected", "corrupt") and "killed the Dask workers" in bad[3]
    assert {r[1] for r in rows.values()} == {"accepted"}, "its batch-mates are archived"
    assert "exited with status 139" in (tmp_path / "dask-logs" / "w1.log").read_text() + \
        (tmp_path / "dask-logs" / "w2.log").read_text(), "the workers did die"
