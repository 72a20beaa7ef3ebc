"""Shared output: --format json|csv|table, the same way for every listing command."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from enum import StrEnum

from rich.console import Console
from rich.table import Table
from rich.text import Text


def _width(stream) -> int | None:  # noqa: ANN001
    """Piped output gets 120 columns instead of rich's 80, unless COLUMNS says otherwise."""
    return None if stream.isatty() or os.environ.get("COLUMNS") else 120


# No markup: what is printed holds file names, snippets and people's input, where "[/bold]x.txt"
# would crash a command and "[red]" be eaten. Styles are given as Text styles or `style=`.
console = Console(width=_width(sys.stdout), markup=False)
err_console = Console(stderr=True, width=_width(sys.stderr), markup=False)


class Format(StrEnum):
    json = "json"
    csv = "csv"
    table = "table"


class Encoding(StrEnum):
    """CSV for Excel: UTF-8 with a byte-order mark (Excel on Chinese Windows then reads UTF-8),
    or GB18030, which every Chinese Excel opens without one."""

    utf8 = "utf-8"
    gb18030 = "gb18030"


def emit(rows: list[dict], fmt: Format, columns: list[tuple[str, str]] | None = None,
         title: str | None = None, encoding: Encoding = Encoding.utf8) -> None:
    """rows as JSON (all fields), CSV (all fields) or a rich table of (key, Chinese header) columns."""
    if fmt == Format.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt == Format.csv:
        sys.stdout.flush()
        text = to_csv(rows)
        sys.stdout.buffer.write(text.encode("utf-8-sig" if encoding == Encoding.utf8 else "gb18030"))
        sys.stdout.buffer.flush()
    else:
        cols = columns or [(k, k) for k in (rows[0] if rows else {})]
        table = Table(title=title, show_lines=False)
        for _, header in cols:
            table.add_column(header, overflow="fold")
        for row in rows:  # cells as Text: a "[/bold]" or "[red]" in a name or snippet is shown, not read as markup
            table.add_row(*(Text("" if row.get(k) is None else str(row.get(k))) for k, _ in cols))
        console.print(table)


def to_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    if rows:
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                             for k, v in row.items()})
    return buf.getvalue()
