"""`fulian demo` — what a new user sees first — does what the README says, twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fulian.samples.demo import ROLES
from tests.conftest import run_cli

pytestmark = [pytest.mark.xdist_group("prefect"), pytest.mark.slow]


def test_nightly_refuses_an_inbox_that_is_a_code_checkout(prefect_api: str, tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"  # never the real repository: a failure would empty it
    (checkout / ".git").mkdir(parents=True)
    (checkout / "README.md").write_text("# a project\n", encoding="utf-8")
    proc = run_cli("nightly", "--settle", "0", env={"FULIAN_HOME": str(tmp_path / "home"),
                                                    "FULIAN_INBOX": str(checkout),
                                                    "PREFECT_API_URL": prefect_api}, check=False)
    assert proc.returncode == 2 and "拒绝处理此收件箱" in proc.stderr
    assert (checkout / "README.md").exists()


def test_demo_archives_rejects_and_flags_then_is_a_no_op(prefect_api: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"FULIAN_HOME": str(home), "FULIAN_DATABASE_URL": f"sqlite:///{home / 'fulian.db'}",
           "PREFECT_API_URL": prefect_api, "FULIAN_INBOX": ""}
    first = run_cli("demo", env=env)
    assert "已归档" in first.stdout and "拒收" in first.stdout and "待审核" in first.stdout
    rows = {r["source_path"]: r for r in json.loads(run_cli("submissions", "--format", "json", env=env).stdout)}
    status = {role: (rows[path]["status"], rows[path]["reason"]) for role, path in ROLES.items()}
    assert status["duplicate_original"] == ("accepted", None)
    assert status["duplicate_copy"] == ("duplicate", None)
    assert status["correction_original"] == ("superseded", None)
    assert status["correction_revised"] == ("accepted", None)
    assert status["corrupt"] == ("rejected", "corrupt")
    assert status["encrypted"] == ("rejected", "encrypted")
    assert status["unknown_unit"] == ("needs_review", "unit_unknown")
    assert status["scanned"] == ("accepted", None)
    assert rows[ROLES["new_community"]]["unit"] == "芙蓉街社区妇联"
    assert not any(p.is_file() for p in (home / "inbox").rglob("*"))

    second = run_cli("demo", env=env)
    assert "没有需要处理的新文件" in second.stdout
    assert len(json.loads(run_cli("submissions", "--format", "json", env=env).stdout)) == len(rows)
    run_cli("verify", env=env)
