"""What surrounds a cell or a stated number, for a person checking a finding (issue 12).

A statistician who reads "婴儿死亡率 0.252" wants to see the row's label, the column's
header and the cells around it (上年 2.44 beside it, 婴儿死亡数 5 above) to judge at once;
for a number stated in a sentence, the sentence. Pure: a ReadResult in, text out.
"""

from __future__ import annotations

from extract.document import ReadResult, Table
from extract.numbers import parse_number

# The keys of a neighbourhood, in the order people read them.
KEYS = ("label", "header", "cell", "above", "below", "left", "right", "sentence")


def _text(table: Table, r: int, c: int) -> str:
    frame = table.frame
    if not (0 <= r < frame.shape[0] and 0 <= c < frame.shape[1]):
        return ""
    value = frame.iat[r, c]
    text = "" if value is None else str(value).strip()
    return "" if text in ("nan", "None") else text


def _label(table: Table, r: int, c: int) -> str:
    """The row's label: its first cell left of the value that is text, not a number."""
    for col in range(c):
        text = _text(table, r, col)
        if text and parse_number(text) is None:
            return text
    return ""


def cell_neighbourhood(table: Table, r: int, c: int) -> dict[str, str]:
    header = str(table.frame.columns[c]).strip()
    return {
        "label": _label(table, r, c), "header": header, "cell": _text(table, r, c),
        "above": _text(table, r - 1, c) if r > 0 else header, "below": _text(table, r + 1, c),
        "left": _text(table, r, c - 1), "right": _text(table, r, c + 1),
    }


def neighbourhoods(result: ReadResult, locations: list[str]) -> dict[str, dict[str, str]]:
    """For each location that names a table cell of `result` ("Sheet1!C7", "表1第3行第2列"), its
    neighbourhood; for a paragraph's location, the paragraph. Locations not found are left out."""
    wanted = set(locations)
    out: dict[str, dict[str, str]] = {}
    for table in result.tables:
        rows, cols = table.frame.shape
        for r in range(rows):
            for c in range(cols):
                loc = table.cell_location(r, c)
                if loc in wanted and loc not in out:
                    out[loc] = cell_neighbourhood(table, r, c)
    for block in result.blocks:
        if block.location in wanted and block.location not in out and block.text.strip():
            out[block.location] = {"sentence": block.text.strip()[:500]}
    return out


def first_location(location: str) -> str:
    """A finding on several cells names them joined with "; ": the first is shown."""
    return (location or "").split(";")[0].strip()
