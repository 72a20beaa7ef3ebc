"""Tables people read: receipts of a run and the submissions register."""

from __future__ import annotations

from pathlib import PurePosixPath

from rich.table import Table
from rich.text import Text

from fulian.messages import doc_type_zh, reason_zh, short_unit, status_short

STATUS_STYLE = {"accepted": "green", "duplicate": "cyan", "superseded": "dim",
                "rejected": "red", "needs_review": "yellow"}


def submissions_table(rows: list[dict], title: str, show_path: bool = False) -> Table:
    table = Table(title=title, expand=False)
    table.add_column("序号", justify="right", no_wrap=True)
    table.add_column("文件", overflow="fold", ratio=3)
    table.add_column("单位", no_wrap=True)
    table.add_column("期间", no_wrap=True)
    table.add_column("类型", no_wrap=True)
    table.add_column("状态", no_wrap=True)
    table.add_column("说明", overflow="fold", ratio=2)
    for r in rows:
        # the name as received: an uploaded "[/bold]x.txt" holds a "/" that is not a folder
        name = r["source_path"] if show_path else (r.get("original_name") or PurePosixPath(r["source_path"]).name)
        style = STATUS_STYLE.get(r["status"], "")
        note = reason_zh(r["reason"]) if r.get("reason") else ("含个人信息" if r.get("pii") else "")
        # a Text is never read as markup: "[/bold]x.txt" or "[red]" in a name is shown as written
        table.add_row(str(r.get("id", "")), Text(name), short_unit(r.get("unit")), r.get("period") or "",
                      doc_type_zh(r.get("doc_type")), Text(status_short(r["status"]), style=style), Text(note))
    return table
