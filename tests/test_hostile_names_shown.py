"""Issue 14: file names are shown as written, never read as Rich markup."""

from __future__ import annotations

import io

from rich.console import Console

from fulian.views import submissions_table


def test_markup_in_a_file_name_is_shown_not_interpreted() -> None:
    rows = [{"id": 1, "source_path": "[/bold]x.txt", "original_name": "[/bold]x.txt", "status": "rejected",
             "reason": "corrupt"},
            {"id": 2, "source_path": "[red]通知[/red].docx", "original_name": "[red]通知[/red].docx",
             "status": "accepted", "reason": None}]
    out = io.StringIO()
    Console(file=out, width=240, color_system=None).print(submissions_table(rows, title="本次收件"))
    text = out.getvalue()
    assert "[/bold]x.txt" in text and "[red]通知[/red].docx" in text
