"""Numbers typed on the command line (fulian.params): full-width digits are digits, and a
value no command can use is a usage error (exit 2, one Chinese sentence), never an exit-70
"unexpected error" from a database overflow or a NaN reaching a NOT NULL column."""

from __future__ import annotations

import inspect
import json
import os
import socket
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, fulian_cmd, run_cli
from tests.test_cli_errors import env, fail, make_archive  # noqa: F401 - env is a fixture


@pytest.mark.parametrize("args", [
    ("log", "--limit", "99999999999999999999"),  # was exit 70: OverflowError in SQLite
    ("log", "--limit", "-1"),  # was: every event (SQLite reads LIMIT -1 as no limit)
    ("review", "99999999999999999999", "--unit", "泉城路"),  # was exit 70: OverflowError
    ("packet", "--year", "99999"),  # was exit 70: ValueError from date()
    ("packet", "bonus", "--year", "2013", "--unit", "泉城路", "--points", "nan", "--reason", "x"),  # was 70
    ("catalog", "unmatched", "--year", "-1"),  # was an empty table
    ("nightly", "--settle", "nan"),
    ("web", "--port", "99999"),  # was a uvicorn traceback
])
def test_unusable_numbers_are_usage_errors(args: tuple[str, ...], env: dict) -> None:  # noqa: F811
    make_archive(Path(env["FULIAN_HOME"]))
    assert "的值无效" in fail(*args, env=env, code=2)


def test_full_width_digits_are_read_as_digits(env: dict) -> None:  # noqa: F811
    """A Chinese input method types ２０１３; it was refused as "应为整数"."""
    make_archive(Path(env["FULIAN_HOME"]))
    proc = run_cli("indicators", "--year", "２０１３", "--format", "json", env=env, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []
    proc = run_cli("log", "--limit", "３", "--format", "json", env=env, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)) <= 3


def test_web_on_a_busy_port_says_so(env: dict) -> None:  # noqa: F811
    """uvicorn logged the bind error and exited 3, the code for "no archive here"."""
    make_archive(Path(env["FULIAN_HOME"]))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert "端口已被占用" in fail("web", "--port", str(port), env=env, code=2)


def _commands(group) -> list:  # noqa: ANN001
    found = [c.callback for c in group.registered_commands]
    for sub in group.registered_groups:
        found += [sub.typer_instance.registered_callback.callback] if sub.typer_instance.registered_callback else []
        found += _commands(sub.typer_instance)
    return found


def test_every_numeric_parameter_goes_through_fulian_params() -> None:
    """The class, not the instances: a new `int`/`float` option without a parser fails here."""
    from fulian.cli import app

    functions = _commands(app)
    assert len(functions) > 15
    plain = []
    for fn in functions:
        for name, p in inspect.signature(fn).parameters.items():
            if any(word in str(p.annotation) for word in ("int", "float")) \
                    and getattr(p.default, "parser", None) is None:
                plain.append(f"{fn.__module__}.{fn.__name__}({name})")
    assert plain == []


def test_an_empty_path_is_not_the_working_folder(env: dict, tmp_path: Path) -> None:  # noqa: F811
    """`fulian ingest "$DIR"` with DIR unset archived every file under the working folder."""
    cwd = tmp_path / "work"
    cwd.mkdir()
    (cwd / "私人笔记.txt").write_text("不该归档的文件", encoding="utf-8")
    proc = subprocess.run(fulian_cmd("ingest", ""), capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env}, cwd=cwd)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "路径为空" in proc.stderr and "Traceback" not in proc.stderr
    assert not Path(env["FULIAN_HOME"]).exists()  # nothing was archived, no archive made


@pytest.mark.parametrize("when", ["0001-01-01", "9999-12-31 23:59"])
def test_received_at_outside_any_plausible_year_is_a_usage_error(when: str, env: dict, tmp_path: Path) -> None:  # noqa: F811
    """0001-01-01 overflowed converting Beijing time to UTC: exit 70."""
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    assert "时间写法不对" in fail("ingest", str(tmp_path / "a.txt"), "--received-at", when, env=env, code=2)


def test_received_at_in_full_width_digits_is_read() -> None:
    from fulian.readable import parse_local_time

    assert parse_local_time("２０１３－１２－２０") == parse_local_time("2013-12-20") \
        == "2013-12-19T16:00:00+00:00"


def test_account_names_with_control_characters_are_refused(env: dict) -> None:  # noqa: F811
    """`user add $'a\\nb'` made an account whose name forged a second line in lists and logs."""
    proc = subprocess.run(fulian_cmd("user", "add", "张丽\n管理员", "--role", "admin", "--password-stdin"),
                          capture_output=True, text=True, timeout=120, env={**os.environ, **env},
                          cwd=ROOT, input="长长的密码长长的密码\n")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "控制字符" in proc.stderr


def test_passwd_of_an_unknown_account_says_so_before_asking(env: dict) -> None:  # noqa: F811
    """It asked for the new password twice first; with no terminal that ended as 已中断 (130)."""
    make_archive(Path(env["FULIAN_HOME"]))
    proc = subprocess.run(fulian_cmd("user", "passwd", "没有的人"), capture_output=True, text=True,
                          timeout=120, env={**os.environ, **env}, cwd=ROOT, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "没有这个账号：没有的人" in proc.stderr and "密码" not in proc.stdout
