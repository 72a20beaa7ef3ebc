"""Issue 14: file names are shown as written, never read as Rich markup."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from fulian.samples.hostile import good_docx
from fulian.views import submissions_table
from tests.conftest import run_cli
from tests.hostile import write_batch


def test_markup_in_a_file_name_is_shown_not_interpreted() -> None:
    rows = [{"id": 1, "source_path": "[/bold]x.txt", "original_name": "[/bold]x.txt", "status": "rejected",
             "reason": "corrupt"},
            {"id": 2, "source_path": "[red]通知[/red].docx", "original_name": "[red]通知[/red].docx",
             "status": "accepted", "reason": None}]
    out = io.StringIO()
    Console(file=out, width=240, color_system=None).print(submissions_table(rows, title="本次收件"))
    text = out.getvalue()
    assert "[/bold]x.txt" in text and "[red]通知[/red].docx" in text


@pytest.mark.xdist_group("prefect")
def test_every_command_that_prints_names_shows_markup_as_written(prefect_api: str, sqlite_home: Path,
                                                                  tmp_path: Path) -> None:
    """Real `fulian` commands over names that are Rich markup: a folder "[" holding "bold]x.docx"
    gives the path "[/bold]x.docx" (a closing tag with nothing open: it crashed the table)."""
    drop = tmp_path / "drop"
    write_batch(drop, {}, goods=2)
    name, data = good_docx("泉城路", 7)
    (drop / "[red]泉城路总结.docx").write_bytes(data)
    (drop / "[").mkdir()
    (drop / "[" / "bold]x.docx").write_bytes(good_docx("千佛山", 8)[1])
    env = {"PREFECT_API_URL": prefect_api, "COLUMNS": "400"}
    outputs = {"ingest": run_cli("ingest", str(drop), env=env)}
    for args in (("submissions",), ("log", "--limit", "200"), ("indicators", "--year", "2013"), ("pending",),
                 ("catalog", "unmatched"), ("quality", "--year", "2013"), ("completeness", "--year", "2013")):
        outputs[" ".join(args)] = run_cli(*args, env=env)
    for what, proc in outputs.items():
        assert "Traceback" not in proc.stderr and "MarkupError" not in proc.stderr, (what, proc.stderr)
    for what, shown in (("ingest", "bold]x.docx"), ("submissions", "[/bold]x.docx"), ("log --limit 200", "bold]x.docx")):
        text = outputs[what].stdout  # the run's table shows names, the register paths
        assert "[red]泉城路总结.docx" in text and shown in text, (what, text[-3000:])
