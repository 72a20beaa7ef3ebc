"""Plain text and delimited text (csv, tsv) in UTF-8, UTF-8 with BOM, UTF-16 or GB18030."""

from __future__ import annotations

import csv
import io

from extract.document import Block, ReadResult
from extract.readers.grid import Grid, cell_blocks, clean_cell, column_letter, to_table
from extract.sniff import decode_text
from schemas.extraction import ExtractError


def decode(data: bytes) -> str:
    decoded = decode_text(data)
    if decoded is None:
        raise ExtractError("corrupt", "text in no known encoding")
    return decoded[0]


def read_txt(data: bytes) -> ReadResult:
    result = ReadResult(kind="txt")
    for n, line in enumerate(decode(data).splitlines(), 1):
        text = line.strip()
        if text:
            result.blocks.append(Block(text=text, location=f"第{n}行"))
    return result


def read_csv(data: bytes) -> ReadResult:
    text = decode(data)
    try:
        delimiter = _delimiter(text)
        # A StringIO (not splitlines) keeps quoted cells with line breaks in one field.
        rows = [[clean_cell(v) for v in row]
                for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error:
        # Mostly a quote that never closes, swallowing the rest of the file into one field
        # (over csv's 128 KB limit): the lines are still worth keeping as text.
        result = read_txt(data)
        result.kind = "csv"
        result.warnings.append("csv_unparsable")
        return result
    grid = Grid(rows)

    def where(r: int, c: int) -> str:
        return f"{column_letter(c)}{r + 1}"  # as Excel shows it when the csv is opened

    result = ReadResult(kind="csv")
    table = to_table(grid, "表1", where)
    if table is not None:
        result.tables.append(table)
    result.blocks.extend(cell_blocks(grid, where))
    return result


def _delimiter(text: str) -> str:
    """The delimiter giving the most consistent field count (≥2) over the first lines."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_score = ",", -1.0
    for delimiter in (",", "\t", ";", "|"):
        counts = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
        if not counts:
            continue
        top = max(set(counts), key=counts.count)
        score = counts.count(top) / len(counts) if top >= 2 else 0.0
        if score > best_score:
            best, best_score = delimiter, score
    return best
