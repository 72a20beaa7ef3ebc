"""`fulian` as a user runs it: crash recovery, concurrent runs, the submissions contract."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from fulian.samples.office import write_docx
from fulian.samples.spec import DocSpec
from tests.conftest import ROOT, fulian_cmd, run_cli

pytestmark = [pytest.mark.xdist_group("prefect"), pytest.mark.slow]
STREETS = ["解放路", "千佛山", "趵突泉", "泉城路", "大明湖", "东关", "文东", "建新", "甸柳", "燕山"]


def fill_inbox(inbox: Path, n: int) -> int:
    for i in range(n):
        street = STREETS[i % len(STREETS)]
        folder = inbox / f"{street}街道妇联"
        folder.mkdir(parents=True, exist_ok=True)
        spec = DocSpec(title=f"{street}街道妇联2013年{i % 12 + 1}月工作信息（第{i}期）",
                       body=[f"2013年{i % 12 + 1}月，{street}街道妇联开展活动，参加妇女{100 + i}人。"])
        path = write_docx(folder / f"工作信息第{i}期.docx", spec)
        os.utime(path, (1385000000 + i, 1385000000 + i))
    return n


@pytest.fixture
def env(prefect_api: str, tmp_path: Path) -> dict:
    home = tmp_path / "home"
    return {"FULIAN_HOME": str(home), "FULIAN_INBOX": str(tmp_path / "inbox"), "FULIAN_WORKERS": "2",
            "FULIAN_DATABASE_URL": f"sqlite:///{home / 'fulian.db'}", "PREFECT_API_URL": prefect_api}


def archived(env: dict) -> list[tuple]:
    db = sqlite3.connect(Path(env["FULIAN_HOME"]) / "fulian.db")
    try:
        return db.execute("SELECT receipt, sha256, status FROM submissions").fetchall()
    finally:
        db.close()


def remaining(inbox: Path) -> list[Path]:
    return [p for p in inbox.rglob("*") if p.is_file()]


def test_kill_9_mid_batch_then_rerun_archives_each_file_once(env: dict, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    n = fill_inbox(inbox, 60)
    proc = subprocess.Popen(fulian_cmd("nightly", "--settle", "0"), cwd=ROOT, start_new_session=True,
                            env={**os.environ, **env, "FULIAN_BATCH_SIZE": "4"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        if (Path(env["FULIAN_HOME"]) / "fulian.db").exists() and len(_safe(env)) >= 8:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed: raise n"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = len(_safe(env))
    assert 0 < partial < n

    run_cli("nightly", "--settle", "0", env=env)
    rows = archived(env)
    assert len(rows) == n and len({r[0] for r in rows}) == n and len({r[1] for r in rows}) == n
    assert {r[2] for r in rows} == {"accepted"}
    assert remaining(inbox) == []
    run_cli("verify", env=env)


def _safe(env: dict) -> list[tuple]:
    try:
        return archived(env)
    except sqlite3.OperationalError:  # schema not created yet
        return []


def test_two_nightly_runs_at_once_lose_nothing_and_archive_nothing_twice(env: dict, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    n = fill_inbox(inbox, 30)
    procs = [subprocess.Popen(fulian_cmd("nightly", "--settle", "0"), cwd=ROOT,
                              env={**os.environ, **env, "FULIAN_BATCH_SIZE": "5"},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
    rows = archived(env)
    assert len(rows) == n and len({r[1] for r in rows}) == n
    assert {r[2] for r in rows} == {"accepted"}
    assert remaining(inbox) == []
    processed = [p for p in (Path(env["FULIAN_HOME"]) / "processed").rglob("*") if p.is_file()]
    assert len(processed) == n
    run_cli("verify", env=env)


def test_submissions_json_contract(env: dict, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    fill_inbox(drop, 3)
    (drop / "空.docx").write_bytes(b"")
    run_cli("ingest", str(drop), env=env)
    rows = json.loads(run_cli("submissions", "--format", "json", env=env).stdout)
    assert len(rows) == 4
    keys = {"id", "source_path", "sha256", "status", "reason", "unit", "period", "doc_type", "received_at",
            "pii"}
    assert all(set(r) == keys for r in rows)
    by = {r["source_path"]: r for r in rows}
    assert by["空.docx"]["status"] == "rejected" and by["空.docx"]["reason"] == "empty"
    info = by["解放路街道妇联/工作信息第0期.docx"]
    assert info["unit"] == "解放路街道妇联" and info["period"] == "2013-01"
    assert info["doc_type"] == "info_report" and info["status"] == "accepted"
    assert info["received_at"].startswith("2013-11-")
    assert sorted(r["id"] for r in rows) == [1, 2, 3, 4]
    csv_out = run_cli("submissions", "--format", "csv", env=env).stdout.splitlines()
    assert csv_out[0].split(",")[:4] == ["\ufeffid", "source_path", "sha256", "status"] and len(csv_out) == 5
