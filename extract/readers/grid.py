"""A rectangular cell grid with merges, turned into a `Table` with a flattened header.

Every tabular reader (docx, xlsx/xls, html, pdf, csv) builds a `Grid` and calls
`to_table`, so header detection and flattening behave the same for every format.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from extract.document import Block, Table

MAX_HEADER_ROWS = 4
CJK = r"\u2014\u2018-\u201d\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{CJK}])[ \t\u00a0]+(?=[{CJK}])")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


_UNUSUAL_SPACE = re.compile(r"[\r\n\t\u00a0\u3000]|  ")


def clean_cell(text: str) -> str:
    """One cell's text on one line: inner line breaks and padding gone."""
    text = text.strip()
    if " " not in text and not _UNUSUAL_SPACE.search(text):
        return text  # the common case: nothing to clean, skip the regex passes
    text = text.replace("\r", "\n").replace("\u00a0", " ")
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    joined = " ".join(parts)
    return _SPACES.sub(" ", _CJK_GAP.sub("", joined)).strip()


def join_cjk_gaps(text: str) -> str:
    """Remove spaces between two CJK characters (wrapping, OCR and HTML artefacts)."""
    return _CJK_GAP.sub("", text)


@dataclass
class Grid:
    """Cells as text, with merged ranges filled from their top-left cell."""

    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 incl.

    def __post_init__(self) -> None:
        width = max((len(r) for r in self.rows), default=0)
        self.rows = [list(r) + [""] * (width - len(r)) for r in self.rows]
        # merge continuations (not anchors) -> their merge's top-left cell
        self.covered: dict[tuple[int, int], tuple[int, int]] = {}
        self._anchors: dict[int, list[int]] = {}
        for r0, c0, r1, c1 in self.merges:
            value = self.rows[r0][c0] if r0 < len(self.rows) and c0 < width else ""
            for r in range(r0, min(r1, len(self.rows) - 1) + 1):
                for c in range(c0, min(c1, width - 1) + 1):
                    if (r, c) != (r0, c0):
                        self.rows[r][c] = value
                        self.covered[(r, c)] = (r0, c0)

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def anchors(self, r: int) -> list[int]:
        """Columns of row r holding their own non-empty text (not a merge continuation)."""
        found = self._anchors.get(r)
        if found is None:  # cached: header, split and block passes all ask for every row
            covered = self.covered
            found = [c for c, v in enumerate(self.rows[r]) if v and (r, c) not in covered]
            self._anchors[r] = found
        return found

    def anchor_of(self, r: int, c: int) -> tuple[int, int]:
        return self.covered.get((r, c), (r, c))


def split_tables(grid: Grid, gap: int = 2) -> list[tuple[int, Grid]]:
    """Tables stacked on one sheet, separated by `gap` or more empty rows: (first row, grid).

    Merges crossing a separation (none in practice) stay with the part they start in.
    """
    parts: list[tuple[int, int]] = []
    start, empty = None, 0
    for r, row in enumerate(grid.rows):
        if any(row):
            if start is None:
                start = r
            elif empty >= gap:
                parts.append((start, r - empty))
                start = r
            empty = 0
        else:
            empty += 1
    if start is not None:
        parts.append((start, len(grid.rows) - empty))
    out = []
    for a, b in parts:
        merges = [(r0 - a, c0, min(r1, b - 1) - a, c1)
                  for r0, c0, r1, c1 in grid.merges if a <= r0 < b]
        out.append((a, Grid([list(row) for row in grid.rows[a:b]], merges)))
    return out


def header_top(grid: Grid) -> int:
    """First row wide enough to be a header: titles and 填报单位 lines above it are skipped."""
    counts = [len(grid.anchors(r)) for r in range(len(grid.rows))]
    widest = max(counts, default=0)
    need = max(2, (widest + 1) // 2) if widest >= 2 else 1
    for r, n in enumerate(counts):
        if n >= need:
            return r
    return 0


def header_depth(grid: Grid, top: int) -> int:
    """Rows in the header: grown while a header merge reaches below it or spans sub-columns."""
    depth = 1
    changed = True
    while changed and depth < MAX_HEADER_ROWS and top + depth < len(grid.rows):
        changed = False
        bottom = top + depth - 1
        for r0, c0, r1, c1 in grid.merges:
            if not top <= r0 <= bottom:
                continue
            reach = r1 - top + 1
            # A horizontal merge in the last header row over cells that have their own
            # text below ("2013年" over "本期 | 同期") makes the next row a sub-header.
            spans_subcolumns = (r1 == bottom and c1 > c0 and
                                sum(1 for c in range(c0, c1 + 1) if grid.rows[r1 + 1][c]
                                    and (r1 + 1, c) not in grid.covered) >= 2)
            if spans_subcolumns:
                reach = max(reach, r1 - top + 2)
            if reach > depth:
                depth, changed = min(reach, MAX_HEADER_ROWS), True
    return min(depth, len(grid.rows) - top)


_NUMBER = re.compile(r"^[-+]?[\d,，.]+%?$")


def implicit_depth(grid: Grid, top: int) -> int:
    """Header rows when the format lost its merges (csv, unmerged PDF grids).

    The next row is a sub-header when it holds no numbers and fills columns whose cell
    above is blank right of a value ("2013年 | (blank)" over "本期 | 同期").
    """
    depth = 1
    while depth < MAX_HEADER_ROWS and top + depth < len(grid.rows):
        above, below = grid.rows[top + depth - 1], grid.rows[top + depth]
        if any(_NUMBER.match(v) for v in below if v):
            break
        spanned = [c for c in range(1, grid.width)
                   if not above[c] and any(above[:c]) and below[c]]
        if not spanned:
            break
        depth += 1
    return depth


def _header_rows(grid: Grid, top: int, depth: int) -> list[list[str]]:
    """Header rows with blanks right of a value filled from it (an implied merge)."""
    rows = [list(r) for r in grid.rows[top:top + depth]]
    for i, row in enumerate(rows[:-1]):
        below = rows[i + 1]
        for c in range(1, len(row)):
            if not row[c] and row[c - 1] and below[c] and (top + i, c) not in grid.covered:
                row[c] = row[c - 1]
    return rows


def flatten_header(grid: Grid, top: int, depth: int) -> list[str]:
    names: list[str] = []
    seen: dict[str, int] = {}
    rows = _header_rows(grid, top, depth)
    for c in range(grid.width):
        parts: list[str] = []
        for row in rows:
            value = row[c]
            if value and (not parts or parts[-1] != value):
                parts.append(value)
        name = "/".join(parts) or f"列{c + 1}"
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}({seen[name]})")
    return names


def to_table(grid: Grid, location: str, where: Callable[[int, int], str],
             *, header: bool = True, top: int | None = None) -> Table | None:
    """Build a Table; `where(r, c)` names a grid cell in the source ("Sheet1!C7").

    `top` is the header's first row when the caller already found it (header_top).
    """
    keep_cols = [c for c, column in enumerate(zip(*grid.rows, strict=True)) if any(column)]
    if not grid.rows or not keep_cols:
        return None
    if top is None:
        top = header_top(grid) if header else 0
    depth = 0
    if header:
        depth = max(header_depth(grid, top), implicit_depth(grid, top))
    names = flatten_header(grid, top, depth) if header else [f"列{c + 1}" for c in range(grid.width)]
    body_rows = [r for r in range(top + depth, len(grid.rows)) if any(grid.rows[r])]
    data = [[grid.rows[r][c] for c in keep_cols] for r in body_rows]
    frame = pd.DataFrame(data, columns=[names[c] for c in keep_cols], dtype=object)
    cells = {}
    for i, r in enumerate(body_rows):
        for j, c in enumerate(keep_cols):
            cells[(i, j)] = where(*grid.anchor_of(r, c))
    return Table(frame=frame, location=location, cells=cells, header_rows=depth)


def page_table(grid: Grid, page: int, index: int) -> Table | None:
    """Table number `index` of page `page`, its cells located 第N页表M第r行第c列 (PDF, OFD)."""
    location = f"第{page}页表{index}"
    return to_table(grid, location, lambda r, c: f"{location}第{r + 1}行第{c + 1}列")


def cell_blocks(grid: Grid, where: Callable[[int, int], str], table_top: int | None = None,
                ) -> list[Block]:
    """Each anchor cell as a block; lone lines above the table become title/paragraph."""
    blocks: list[Block] = []
    titled = False
    for r in range(len(grid.rows)):
        anchors = grid.anchors(r)
        lone = table_top is not None and r < table_top and len(anchors) == 1
        for c in anchors:
            kind = "table_cell"
            if lone:
                kind = "paragraph" if titled else "title"
                titled = True
            blocks.append(Block(text=grid.rows[r][c], location=where(r, c), kind=kind))
    return blocks


@lru_cache(maxsize=4096)
def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
