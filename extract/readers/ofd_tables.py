"""Tables on an OFD page, rebuilt from where its text objects sit.

OFD keeps no table structure: a table converted from Word or printed by a form system is a
set of text objects placed in rows and columns (its ruling lines are separate path objects).
Lines (runs on one baseline) that split into two or more cells at wide gaps, three or more
lines running, are a table when their cells start at shared column positions. The grid goes
through `page_table` like a PDF page's, its cells located 第N页表M第r行第c列, so the
two-plans and rights-sheet steps read it as they read a docx or xlsx table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from extract.document import Table
from extract.readers.grid import Grid, clean_cell, page_table

GAP = 1.5  # font sizes of empty space after a run's estimated end that start a new cell
ALIGN = 1.5  # font sizes within which cells of one column start
MIN_ROWS = 3  # header and two data rows at least
MIN_COLUMNS = 2


class Run(Protocol):
    x: float
    y: float
    size: float
    text: str


@dataclass
class _Cell:
    x: float
    end: float
    size: float
    text: str


def _width(text: str, size: float) -> float:
    """Estimated advance of a run: CJK and full-width characters one em, others about half."""
    return sum(size if ord(ch) >= 0x2E80 else 0.55 * size for ch in text)


def cells(line: Sequence[Run]) -> list[_Cell]:
    """A line's runs, left to right, joined where they touch and split at wide gaps."""
    out: list[_Cell] = []
    for run in sorted(line, key=lambda r: r.x):
        size = max(run.size, 1.0)
        if out and run.x - out[-1].end <= GAP * size:
            out[-1].text += run.text
            out[-1].end = max(out[-1].end, run.x + _width(run.text, size))
        else:
            out.append(_Cell(run.x, run.x + _width(run.text, size), size, run.text))
    return [c for c in out if c.text.strip()]


def _regions(split: list[list[_Cell]]) -> list[tuple[int, int]]:
    """[start, end) spans of lines forming a table: multi-cell lines running, with at most one
    single-cell line between two of them (an area heading such as 一、妇女与健康)."""
    spans, i = [], 0
    while i < len(split):
        if len(split[i]) < MIN_COLUMNS:
            i += 1
            continue
        j = i + 1
        while j < len(split):
            if len(split[j]) >= MIN_COLUMNS:
                j += 1
            elif j + 1 < len(split) and len(split[j]) == 1 and len(split[j + 1]) >= MIN_COLUMNS:
                j += 2
            else:
                break
        if sum(1 for k in range(i, j) if len(split[k]) >= MIN_COLUMNS) >= MIN_ROWS:
            spans.append((i, j))
        i = j
    return spans


def _anchors(rows: list[list[_Cell]]) -> list[float]:
    """Left edges of the columns: cell starts of multi-cell rows, clustered."""
    starts = sorted((c.x, c.size) for row in rows if len(row) >= MIN_COLUMNS for c in row)
    anchors: list[float] = []
    last = None
    for x, size in starts:
        if last is None or x - last > ALIGN * size:
            anchors.append(x)
        last = x
    return anchors


def _grid(rows: list[list[_Cell]]) -> Grid | None:
    anchors = _anchors(rows)
    if len(anchors) < MIN_COLUMNS:
        return None
    grid_rows = []
    for row in rows:
        texts = [""] * len(anchors)
        for cell in row:
            col = max((k for k, a in enumerate(anchors) if a <= cell.x + ALIGN * cell.size), default=0)
            texts[col] = clean_cell(f"{texts[col]} {cell.text}" if texts[col] else cell.text)
        grid_rows.append(texts)
    return Grid(grid_rows)


def page_tables(lines: list[Sequence[Run]], number: int, first: int = 1) -> list[Table]:
    """The tables of one page (lines top to bottom), numbered from `first`."""
    split = [cells(line) for line in lines]
    tables: list[Table] = []
    for start, end in _regions(split):
        grid = _grid(split[start:end])
        if grid is None:
            continue
        table = page_table(grid, number, first + len(tables))
        if table is not None:
            tables.append(table)
    return tables
