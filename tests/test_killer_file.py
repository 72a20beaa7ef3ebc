"""A file whose reading kills the process that holds it is quarantined after two deaths,
never retried forever, and the files that were in flight with it are archived.

The fault is injected, not mocked: a `sitecustomize` module on the run's PYTHONPATH wraps the
real sniffer so that it ends the process (os._exit, as a crash in a C parser would) when it
meets the hostile file's name. Everything else is the real `fulian ingest` on a real archive.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import ROOT, fulian_cmd, run_cli
from tests.test_cli_runs import fill_inbox

pytestmark = [pytest.mark.xdist_group("prefect"), pytest.mark.slow]

KILLER = "致命文件"
INJECT = f'''
import os
import extract.sniff as _sniff

_real = _sniff.sniff


def sniff(data, name, **kw):
    if {KILLER!r} in name:
        os._exit(139)  # what a segfault in a parser looks like from outside: no cleanup at all
    return _real(data, name, **kw)


_sniff.sniff = sniff
'''


def _submissions(db: Path) -> list[tuple]:
    if not db.exists():
        return []
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as c:
            return c.execute(text("SELECT original_name, status, reason, detail, sha256 "
                                  "FROM submissions")).all()
    finally:
        engine.dispose()


def test_a_file_that_kills_its_worker_twice_is_quarantined(prefect_api: str, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    n = fill_inbox(inbox, 7)
    killer = next(inbox.rglob("*第3期*"))
    killer.rename(killer.with_name(f"工作信息第3期{KILLER}.docx"))
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(INJECT, encoding="utf-8")
    env = {**os.environ, "FULIAN_HOME": str(tmp_path / "home"), "FULIAN_WORKERS": "1",
           "FULIAN_BATCH_SIZE": "4", "PYTHONPATH": os.pathsep.join(
               [str(inject), os.environ.get("PYTHONPATH", str(ROOT))])}
    db = tmp_path / "home" / "fulian.db"

    deaths = 0
    for _ in range(2):  # each run dies when it reaches the hostile file
        run = subprocess.run(fulian_cmd("ingest", str(inbox)), cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 139, run.stderr[-2000:]
        deaths += 1
    after_two = {r[0] for r in _submissions(db)}
    assert not any(KILLER in name for name in after_two), "it was never recorded as read"

    run = subprocess.run(fulian_cmd("ingest", str(inbox)), cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)  # the third holder
    assert run.returncode == 0, run.stderr[-2000:]
    rows = {r[0]: r for r in _submissions(db)}
    assert len(rows) == n, "every file recorded once"
    bad = rows[f"工作信息第3期{KILLER}.docx"]
    assert bad[1:3] == ("rejected", "corrupt")
    assert f"{deaths} workers died" in bad[3]
    assert {r[1] for name, r in rows.items() if KILLER not in name} == {"accepted"}, \
        "its batch-mates are archived"
    sha = bad[4]
    kept = tmp_path / "home" / "blobs" / "quarantine" / "sha256" / sha[:2] / sha[2:4] / sha
    assert kept.read_bytes() == (inbox / killer.parent.name / bad[0]).read_bytes()

    run_cli("ingest", str(inbox), env=env)  # never read again: its receipt is recorded
    assert len(_submissions(db)) == n
    run_cli("verify", env=env)
