"""What a reader returns: text blocks with locations and tables as DataFrames.

Readers (extract/readers/) turn bytes of one detected kind into a `ReadResult`;
the semantic steps (unit, period, type, indicators) work only on `ReadResult`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Block:
    text: str
    location: str  # human-readable, Chinese: "第2页第5段", "第3段", "页眉", "Sheet1!A1"
    kind: str = "paragraph"  # paragraph, heading, header, footer, table_cell, ocr_line, title
    page: int | None = None
    style: str | None = None  # e.g. Word style name ("Title", "Heading 1")


@dataclass
class Table:
    frame: pd.DataFrame  # header flattened to one string per column; cells as text
    location: str  # "表1" (docx), "Sheet1" (xlsx), "第2页表1" (pdf)
    cells: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> "Sheet1!C7"
    header_rows: int = 1

    def cell_location(self, row: int, col: int) -> str:
        """Where the frame's cell (row, col) sits in the source, for evidence."""
        return self.cells.get((row, col), f"{self.location}第{row + 1}行第{col + 1}列")


@dataclass
class ReadResult:
    kind: str  # docx, doc, pdf, pdf_scanned, xlsx, xls, csv, html, image, txt
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    pages: int | None = None
    ocr: bool = False
    title: str | None = None  # document title if the format carries one (docx core props, first heading)
    warnings: list[str] = field(default_factory=list)
    # OCR: block location -> (character, recogniser score 0..1) of its text, for confidence
    ocr_scores: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks if b.text)
