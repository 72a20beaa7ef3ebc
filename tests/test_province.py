"""Two machines on loopback: one PostgreSQL, one S3 blob store (moto), one shared inbox.

Each "machine" is a `fulian nightly` process with its own FULIAN_HOME (so no file lock is
shared: only the database is). One is killed with kill -9 mid-run; the other and a later run
finish the job: every file archived exactly once, none lost, the audit chain and every blob
(read back from the object store) verified.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import ROOT, fulian_cmd, new_bucket, run_cli
from tests.test_cli_runs import fill_inbox, remaining

pytestmark = [pytest.mark.xdist_group("prefect"), pytest.mark.slow, pytest.mark.postgres]
LEASE = 4.0


def _recorded(url: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            return c.execute(text("SELECT receipt, sha256, status, run_id FROM submissions")).all()
    except Exception:  # noqa: BLE001 - the schema is not there before the first run migrates
        return []
    finally:
        engine.dispose()


def _machine(name: str, tmp_path: Path, shared: dict) -> dict:
    return {**os.environ, **shared, "FULIAN_HOME": str(tmp_path / name)}


def test_two_machines_share_an_inbox_one_killed(pg_url: str, s3_options: dict, prefect_api: str,
                                                 tmp_path: Path) -> None:
    fs, bucket = new_bucket(s3_options)
    inbox = tmp_path / "inbox"
    n = fill_inbox(inbox, 36)
    shared = {"FULIAN_DATABASE_URL": pg_url, "FULIAN_BLOB_URL": f"s3://{bucket}/archive",
              "FULIAN_BLOB_OPTIONS": json.dumps(s3_options), "FULIAN_INBOX": str(inbox),
              "FULIAN_WORKERS": "1", "FULIAN_BATCH_SIZE": "4", "FULIAN_CLAIM_LEASE": str(LEASE),
              "PREFECT_API_URL": prefect_api}
    doomed = subprocess.Popen(fulian_cmd("nightly", "--settle", "0"), cwd=ROOT,
                              env=_machine("m1", tmp_path, shared), start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    survivor = subprocess.Popen(fulian_cmd("nightly", "--settle", "0"), cwd=ROOT,
                                env=_machine("m2", tmp_path, shared),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 400
        while time.time() < deadline and doomed.poll() is None and len(_recorded(pg_url)) < 12:
            time.sleep(0.1)
        assert doomed.poll() is None, "the first machine finished before it could be killed"
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait()
        _, err = survivor.communicate(timeout=600)
        assert survivor.returncode == 0, err
    finally:
        for p in (doomed, survivor):
            if p.poll() is None:
                p.kill()
    runs = {r[3] for r in _recorded(pg_url)}
    assert len(runs) == 2, "both machines recorded files"

    time.sleep(LEASE + 1)  # the dead machine's leases run out (on one host its death is seen at once)
    run_cli("nightly", "--settle", "0", env=_machine("m2", tmp_path, shared))
    rows = _recorded(pg_url)
    assert len(rows) == n and len({r[0] for r in rows}) == n and len({r[1] for r in rows}) == n
    assert {r[2] for r in rows} == {"accepted"}
    assert remaining(inbox) == []
    assert len(fs.find(f"{bucket}/archive/objects")) == n
    run_cli("verify", env=_machine("m2", tmp_path, shared))  # exit 1 on any chain or blob problem
