"""What people take from `fulian` outputs, run as the real command: filters that match nothing
because the input is wrong are errors, CSV that Excel opens, Beijing times, Chinese words from
the one vocabulary, a review with nothing to change writes nothing."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from schemas.vocabulary import load_vocabulary
from tests.conftest import ROOT, fulian_cmd, run_cli
from tests.test_cli_runs import fill_inbox

pytestmark = [pytest.mark.xdist_group("prefect"), pytest.mark.slow]


@pytest.fixture(scope="module")
def env(prefect_api: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One archive for the module: three work reports and an empty file, ingested once."""
    tmp = tmp_path_factory.mktemp("outputs")
    drop = tmp / "drop"
    fill_inbox(drop, 3)
    (drop / "空.docx").write_bytes(b"")
    env = {"FULIAN_HOME": str(tmp / "home"), "FULIAN_DATABASE_URL": "", "PREFECT_API_URL": prefect_api,
           "FULIAN_WORKERS": "1"}
    run_cli("ingest", str(drop), env=env)
    return env


def rows(env: dict, *args: str) -> list[dict]:
    return json.loads(run_cli(*args, "--format", "json", env=env).stdout)


def test_status_filter_takes_codes_and_the_words_tables_print(env: dict) -> None:
    rejected = rows(env, "submissions", "--status", "rejected")
    assert [r["source_path"] for r in rejected] == ["空.docx"]
    assert rows(env, "submissions", "--status", "拒收") == rejected
    assert rows(env, "submissions", "--status", "已拒收（隔离保存）") == rejected
    bad = run_cli("submissions", "--status", "done", env=env, check=False)
    assert bad.returncode == 2 and "没有这种状态：done" in bad.stderr and "needs_review（待审核）" in bad.stderr


def test_wrong_year_or_unit_is_an_error_not_an_empty_table(env: dict) -> None:
    for command in ("indicators", "quality", "completeness"):
        proc = run_cli(command, "--year", "13", env=env, check=False)
        assert proc.returncode == 2 and "四位数" in proc.stderr, proc.stderr
    proc = run_cli("submissions", "--unit", "不存在的街道", env=env, check=False)
    assert proc.returncode == 2 and "找不到单位：不存在的街道" in proc.stderr
    short = rows(env, "submissions", "--unit", "解放路")
    assert short == rows(env, "submissions", "--unit", "解放路街道妇联") and len(short) == 1


def test_csv_for_excel_utf8_with_bom_or_gb18030(env: dict) -> None:
    def raw(*extra: str) -> bytes:
        return subprocess.run(fulian_cmd("submissions", "--format", "csv", *extra), cwd=ROOT,
                              capture_output=True, env={**os.environ, **env}, check=True).stdout

    utf8 = raw()
    assert utf8.startswith(b"\xef\xbb\xbfid,source_path,")
    gb = raw("--encoding", "gb18030")
    assert not gb.startswith(b"\xef\xbb\xbf")
    assert gb.decode("gb18030") == utf8.decode("utf-8-sig")
    assert "解放路街道妇联" in gb.decode("gb18030")


def test_log_shows_chinese_actions_and_beijing_minutes(env: dict) -> None:
    out = run_cli("log", "--limit", "200", env={**env, "COLUMNS": "250"}, check=True).stdout
    assert "收件登记" in out and "submission.recorded" not in out
    assert "时间（北京时间）" in out and re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d ", out)
    events = rows(env, "log", "--limit", "200")
    assert {e["action"] for e in events} >= {"submission.recorded"}
    assert all(re.search(r"[+-]\d\d:\d\d$", e["at"]) for e in events)  # JSON keeps the offset


def test_units_show_levels_in_chinese(env: dict) -> None:
    out = run_cli("units", env={**env, "COLUMNS": "200"}).stdout
    assert "街道" in out and " street " not in out
    assert {u["level"] for u in rows(env, "units")} >= {"district", "street"}


def test_review_with_nothing_to_change_says_so_and_writes_no_event(env: dict) -> None:
    accepted = rows(env, "submissions", "--status", "accepted")[0]
    before = len(rows(env, "log", "--limit", "100000"))
    proc = run_cli("review", str(accepted["id"]), "--unit", accepted["unit"],
                   "--period", accepted["period"], env=env)
    assert "没有需要更改的内容" in proc.stdout
    assert len(rows(env, "log", "--limit", "100000")) == before


def test_one_vocabulary_everywhere() -> None:
    from fulian import messages
    from quality import completeness_grid, completeness_notices

    vocab = load_vocabulary()
    assert vocab.short("submission_status") == messages.STATUS_SHORT
    assert vocab.long("submission_status") == messages.STATUS
    assert vocab.long("completeness_status") == completeness_grid.STATUS_CN
    notices = {k: v for k, v in completeness_notices.STATUS_CN.items() if k is not None}
    assert notices == vocab.short("completeness_status")
    doc = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    for code in ("accepted", "duplicate", "superseded", "rejected", "needs_review"):
        assert f"`{code}`（{vocab.short('submission_status')[code]}）" in doc


def test_backlog_received_at_is_used_shown_and_recorded(prefect_api: str, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    fill_inbox(drop, 2)
    env = {"FULIAN_HOME": str(tmp_path / "home"), "FULIAN_DATABASE_URL": "", "PREFECT_API_URL": prefect_api,
           "FULIAN_WORKERS": "1"}
    bad = run_cli("ingest", str(drop), "--received-at", "2013/12/20", env=env, check=False)
    assert bad.returncode == 2 and "时间写法不对" in bad.stderr
    out = run_cli("ingest", str(drop), "--received-at", "2013-12-20", env=env).stdout
    assert "2013-12-20 00:00（北京时间，由 --received-at 指定）" in out
    got = rows(env, "submissions")
    assert {r["received_at"] for r in got} == {"2013-12-19T16:00:00+00:00"}
    recorded = [e for e in rows(env, "log", "--action", "submission.recorded")]
    assert recorded and all(e["details"]["channel"]["received_at_given"] == "2013-12-19T16:00:00+00:00"
                            for e in recorded)
