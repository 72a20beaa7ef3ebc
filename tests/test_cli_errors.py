"""`fulian` as a user meets its failures: one Chinese sentence, a documented exit code, no traceback.

Every test runs the real command in a subprocess; the failures are real too (a database
that is not there, a read-only mount, a user without permission).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, _pg_available, fulian_cmd, run_cli

HAN = re.compile(r"[\u4e00-\u9fff]")
EXIT_CODES = {"USAGE": 2, "NO_ARCHIVE": 3, "DB_UNREACHABLE": 4, "DB_URL": 5, "DB_MISSING": 6,
              "DISK_FULL": 7, "READ_ONLY": 8, "PERMISSION": 9, "INPUT_GONE": 10}


def fail(*args: str, env: dict, code: int) -> str:
    """Run a command that must fail with `code`; return its stderr, checked for Chinese, no traceback."""
    proc = run_cli(*args, env=env, check=False, timeout=120)
    assert proc.returncode == code, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr + proc.stdout
    assert HAN.search(proc.stderr), proc.stderr
    return proc.stderr


@pytest.fixture
def env(tmp_path: Path) -> dict:
    home = tmp_path / "home"
    return {"FULIAN_HOME": str(home), "FULIAN_DATABASE_URL": "", "PREFECT_API_URL": ""}


def make_archive(home: Path) -> None:
    """A real (empty) archive, made the way every command opens one."""
    code = ("from archive.store import Archive; from schemas.settings import Settings; "
            "Archive(Settings()).close()")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                   env={**os.environ, "FULIAN_HOME": str(home), "FULIAN_DATABASE_URL": ""})


def test_exit_codes_are_the_documented_ones() -> None:
    from fulian.errors import Exit

    assert {k: int(getattr(Exit, k)) for k in EXIT_CODES} == EXIT_CODES
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for member in Exit:
        assert re.search(rf"\|\s*`{int(member)}`\s*\|", doc), f"exit code {int(member)} not in docs/cli.md"


@pytest.mark.parametrize(("args", "expected"), [
    (("completenes",), "没有这个命令：completenes"),
    (("submissions", "--year", "2013"), "没有这个选项：--year"),
    (("indicators",), "缺少选项 --year"),
    (("indicators", "--year", "abc"), "应为整数"),
    (("submissions", "--format", "xml"), "不是可选的值"),
    (("review",), "缺少参数"),
    (("ingest", "/no/such/folder"), "路径 /no/such/folder 不存在"),
])
def test_argument_errors_are_chinese(args: tuple, expected: str, env: dict) -> None:
    err = fail(*args, env=env, code=2)
    assert expected in err
    assert not re.search(r"Usage|Error|Try '|Missing|Invalid", err), err


def test_help_has_no_english_frame_and_flags_take_no_value(env: dict) -> None:
    out = run_cli("completeness", "--help", env={**env, "COLUMNS": "160"}).stdout
    assert "用法：fulian completeness [选项]" in out and "显示此帮助并退出" in out
    assert "<bool>" not in out and "Usage" not in out and "Options" not in out
    notices = next(line for line in out.splitlines() if "--notices" in line)
    assert "<" not in notices


def test_read_command_on_a_folder_without_archive_says_so_and_creates_nothing(env: dict) -> None:
    for command in (("submissions",), ("verify",), ("log",), ("units",), ("indicators", "--year", "2013")):
        err = fail(*command, env=env, code=3)
        assert "没有存档" in err
    assert not Path(env["FULIAN_HOME"]).exists()


def test_archive_named_when_not_from_the_environment(tmp_path: Path, env: dict) -> None:
    other = tmp_path / "另一个存档"
    err = fail("--home", str(other), "submissions", env=env, code=3)
    assert f"使用存档：{other}（由 --home 指定）" in err
    quiet = {**env}
    quiet.pop("FULIAN_HOME")
    proc = subprocess.run(fulian_cmd("submissions"), cwd=tmp_path, capture_output=True, text=True,
                          env={**{k: v for k, v in {**os.environ, **quiet}.items() if k != "FULIAN_HOME"},
                               "PYTHONPATH": str(ROOT)})
    assert f"使用存档：{tmp_path / 'fulian-data'}（未设置 FULIAN_HOME，使用默认位置）" in proc.stderr
    assert proc.returncode == 3
    err_env = run_cli("log", env=env, check=False).stderr
    assert "使用存档" not in err_env


def test_wrong_database_url_scheme(env: dict) -> None:
    err = fail("submissions", env={**env, "FULIAN_DATABASE_URL": "postgres://u:secret@db/fulian"}, code=5)
    assert "postgresql+psycopg://u:***@db/fulian" in err and "secret" not in err


@pytest.mark.postgres
def test_database_missing_or_down(env: dict) -> None:
    if not _pg_available():
        pytest.skip("PostgreSQL not running")
    missing = "postgresql+psycopg://postgres@127.0.0.1:5432/fulian_no_such_db"
    assert "fulian_no_such_db 不存在" in fail("submissions", env={**env, "FULIAN_DATABASE_URL": missing}, code=6)
    down = "postgresql+psycopg://postgres@127.0.0.1:1/fulian"
    assert "连不上数据库" in fail("log", env={**env, "FULIAN_DATABASE_URL": down}, code=4)


def _mount(*args: str) -> None:
    proc = subprocess.run(["mount", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount here: {proc.stderr.strip()}")


def test_read_only_home(tmp_path: Path, env: dict) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to mount")
    source, target = tmp_path / "src", tmp_path / "ro"
    make_archive(source)
    target.mkdir()
    _mount("--bind", str(source), str(target))
    try:
        _mount("-o", "remount,ro,bind", str(target))
        err = fail("confirm-unit", "x", env={**env, "FULIAN_HOME": str(target)}, code=8)
        assert "只读" in err
    finally:
        subprocess.run(["umount", str(target)], check=False)


def test_permission_denied(tmp_path: Path, env: dict) -> None:
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to run as another user")
    home = tmp_path / "home"
    make_archive(home)
    home.chmod(0o700)
    tmp_path.chmod(0o755)
    cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *fulian_cmd("log")]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env, "HOME": str(tmp_path)})
    assert proc.returncode == 9, proc.stderr
    assert "没有权限" in proc.stderr and "Traceback" not in proc.stderr
