"""`fulian` start-up and stopping as a user sees them, run as the real command in a subprocess:
a new nested FULIAN_HOME, the local Prefect server started once and reused, a no-op ingest
without Prefect, Ctrl-C and SIGTERM in the middle of an ingest."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, fulian_cmd, run_cli
from tests.test_cli_runs import archived, fill_inbox

pytestmark = [pytest.mark.xdist_group("prefect"), pytest.mark.slow]


def test_new_home_local_server_started_once_reused_and_stopped(tmp_path: Path) -> None:
    home = tmp_path / "不存在" / "的" / "目录"
    drop = tmp_path / "drop"
    fill_inbox(drop, 2)
    env = {"FULIAN_HOME": str(home), "FULIAN_DATABASE_URL": "", "PREFECT_API_URL": "",
           "FULIAN_WORKERS": "1", "FULIAN_PREFECT_SERVER": "local"}
    try:
        first = run_cli("ingest", str(drop), env=env, timeout=600)
        assert "正在启动本机流程服务" in first.stderr and "本次处理 2 个文件" in first.stdout
        state = json.loads((home / "prefect" / "server.json").read_text())
        assert "Traceback" not in first.stderr + first.stdout

        again = run_cli("ingest", str(drop), env=env)
        assert "没有需要处理的新文件" in again.stdout
        fill_inbox(drop, 3)  # one more file: a flow run on the same server
        third = run_cli("ingest", str(drop), env=env)
        assert "本次处理 1 个文件" in third.stdout and "正在启动本机流程服务" not in third.stderr
        assert json.loads((home / "prefect" / "server.json").read_text())["pid"] == state["pid"]
        assert str(state["pid"]) in run_cli("server", "status", env=env).stdout
    finally:
        stopped = run_cli("server", "stop", env=env, check=False)
    assert stopped.returncode == 0 and "已停止" in stopped.stdout
    with pytest.raises(ProcessLookupError):
        os.kill(state["pid"], 0)


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT count(*) FROM submissions").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupt_mid_ingest_stops_soon_says_what_was_kept_and_loses_nothing(
        prefect_api: str, tmp_path: Path, sig: signal.Signals, code: int) -> None:
    home, drop = tmp_path / "home", tmp_path / "drop"
    n = fill_inbox(drop, 40)
    env = {"FULIAN_HOME": str(home), "FULIAN_DATABASE_URL": "", "PREFECT_API_URL": prefect_api,
           "FULIAN_WORKERS": "2", "FULIAN_BATCH_SIZE": "4"}
    proc = subprocess.Popen(fulian_cmd("ingest", str(drop)), cwd=ROOT, env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None and _count(home / "fulian.db") < 4:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted: raise n"
    sent = time.monotonic()
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # what Ctrl-C does: the whole foreground group
    else:
        os.kill(proc.pid, sig)  # what `kill` or a service manager does
    out, err = proc.communicate(timeout=120)
    took = time.monotonic() - sent
    assert proc.returncode == code, err
    assert took < 5 * _load_factor(), f"stopped after {took:.1f} s"
    assert "已中断" in err and "已保存在存档中" in err and "下次运行时会重新处理" in err
    for noise in ("Traceback", "httpx", "prefect", "Crash", "Error", "KeyboardInterrupt"):
        assert noise not in err + out, err
    kept = len(archived(env))
    assert 0 < kept < n
    run_cli("ingest", str(drop), env=env)
    rows = archived(env)
    assert len(rows) == n and len({r[0] for r in rows}) == n
    run_cli("verify", env=env)


def _load_factor() -> float:
    """5 s on a quiet machine; a machine shared by many runs is allowed proportionally more."""
    return max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))


def test_configured_inbox_that_is_gone_is_an_error_not_an_empty_run(prefect_api: str, tmp_path: Path) -> None:
    gone = tmp_path / "share" / "收件"  # a network share that is not mounted
    env = {"FULIAN_HOME": str(tmp_path / "home"), "FULIAN_DATABASE_URL": "", "FULIAN_INBOX": str(gone),
           "PREFECT_API_URL": prefect_api}
    proc = run_cli("nightly", "--settle", "0", env=env, check=False)
    assert proc.returncode == 10, proc.stderr
    assert f"找不到 {gone}" in proc.stderr and "网络共享" in proc.stderr and "Traceback" not in proc.stderr
    assert not gone.exists()


def test_full_disk_is_one_sentence_and_loses_nothing(prefect_api: str, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small disk")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount here: {mounted.stderr.strip()}")
    try:
        drop = tmp_path / "drop"
        fill_inbox(drop, 2)
        (drop / "大文件.pdf").write_bytes(os.urandom(4 * 1024 * 1024))
        env = {"FULIAN_HOME": str(disk / "home"), "FULIAN_DATABASE_URL": "", "PREFECT_API_URL": prefect_api,
               "FULIAN_WORKERS": "1"}
        proc = run_cli("ingest", str(drop), env=env, check=False)
        assert proc.returncode == 7, proc.stdout + proc.stderr
        assert "磁盘已满" in proc.stderr and "Traceback" not in proc.stderr + proc.stdout
        assert sorted(p.name for p in drop.rglob("*") if p.is_file()) == sorted(  # inputs untouched
            ["大文件.pdf", "工作信息第0期.docx", "工作信息第1期.docx"])
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
