"""Ruled tables on one PDF page via pdfplumber, merged cells resolved from cell boxes."""

from __future__ import annotations

from extract.document import Table
from extract.readers.grid import Grid, clean_cell, page_table


def page_tables(page, number: int) -> list[Table]:
    """Tables of a pdfplumber page, located "第N页表M"."""
    tables: list[Table] = []
    for found in page.find_tables():
        grid = _grid(found)
        if len(grid.rows) < 2 or grid.width < 2:
            continue  # a box or a single ruled line, not a table
        table = page_table(grid, number, len(tables) + 1)
        if table is not None:
            tables.append(table)
    return tables


def _grid(found) -> Grid:
    """pdfplumber gives None where a merged cell covers a grid slot: find which one."""
    texts = found.extract()
    rows = [[clean_cell(v or "") for v in row] for row in texts]
    xs = _column_spans(found)
    merges: list[tuple[int, int, int, int]] = []
    anchors: dict[tuple, tuple[int, int]] = {}
    for r, row in enumerate(found.rows):
        for c, box in enumerate(row.cells):
            if box is not None:
                anchors[tuple(box)] = (r, c)
    extent: dict[tuple[int, int], list[int]] = {}
    for r, row in enumerate(found.rows):
        for c, box in enumerate(row.cells):
            if box is not None or c >= len(xs) or xs[c] is None:
                continue
            cx, cy = (xs[c][0] + xs[c][1]) / 2, (row.bbox[1] + row.bbox[3]) / 2
            owner = next((pos for b, pos in anchors.items()
                          if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]), None)
            if owner is not None:
                span = extent.setdefault(owner, [owner[0], owner[1]])
                span[0], span[1] = max(span[0], r), max(span[1], c)
    for (r0, c0), (r1, c1) in extent.items():
        merges.append((r0, c0, r1, c1))
    return Grid(rows, merges)


def _column_spans(found) -> list[tuple[float, float] | None]:
    width = max((len(row.cells) for row in found.rows), default=0)
    spans: list[tuple[float, float] | None] = [None] * width
    for row in found.rows:
        for c, box in enumerate(row.cells):
            # The narrowest box in a column is an unmerged cell: its x-range is the column.
            if box is not None and (spans[c] is None or
                                    box[2] - box[0] < spans[c][1] - spans[c][0]):
                spans[c] = (box[0], box[2])
    return spans
