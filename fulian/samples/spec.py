"""Plain descriptions of sample documents, independent of any file format.

Writers in office.py / pdfs.py render these; content builders (demo, corpus,
bulk) produce them. Keeping content apart from format lets one text be written
as docx, doc, PDF or a scanned page with the same ground truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Cell = str | int | float | None
# (first_row, first_col, last_row, last_col), 0-based, inclusive, in the grid they belong to
Merge = tuple[int, int, int, int]


@dataclass
class TableSpec:
    """A table: header rows first, then data rows; merges are in the combined grid."""

    header: list[list[Cell]]
    rows: list[list[Cell]]
    merges: list[Merge] = field(default_factory=list)

    @property
    def grid(self) -> list[list[Cell]]:
        return [*self.header, *self.rows]

    @property
    def width(self) -> int:
        return max((len(r) for r in self.grid), default=0)


@dataclass
class DocSpec:
    """A letter-like document: title, body (paragraphs and tables), signature block."""

    title: str
    body: list[str | TableSpec] = field(default_factory=list)
    doc_number: str | None = None  # 历下妇发〔2013〕12号, printed above the title
    header: str | None = None  # page header text (often the unit name)
    footer: str | None = None
    signature: list[str] = field(default_factory=list)  # right-aligned closing lines
    title_style: str = "title"  # title | heading | bold | plain

    def all_text(self) -> str:
        parts: list[str] = [self.doc_number or "", self.title, self.header or "", self.footer or ""]
        for item in self.body:
            if isinstance(item, TableSpec):
                parts.extend("" if c is None else str(c) for r in item.grid for c in r)
            else:
                parts.append(item)
        parts.extend(self.signature)
        return "\n".join(p for p in parts if p)


@dataclass
class SheetSpec:
    """One worksheet: a merged title row, a (multi-row) header, data rows, note lines."""

    name: str
    table: TableSpec
    title: str | None = None  # merged across the table width in the first row
    notes_before: list[str] = field(default_factory=list)  # e.g. 填报单位：… line under the title
    notes_after: list[str] = field(default_factory=list)  # e.g. 填报人/填报日期 lines
    col_widths: list[float] = field(default_factory=list)

    def layout(self) -> tuple[list[tuple[int, int, Cell]], list[Merge]]:
        """Absolute (row, col, value) cells and merges, 0-based, as they land on the sheet."""
        cells: list[tuple[int, int, Cell]] = []
        merges: list[Merge] = []
        row, width = 0, max(self.table.width, 1)
        if self.title:
            cells.append((row, 0, self.title))
            if width > 1:
                merges.append((row, 0, row, width - 1))
            row += 1
        for note in self.notes_before:
            cells.append((row, 0, note))
            row += 1
        top = row
        for r, values in enumerate(self.table.grid):
            cells.extend((top + r, c, v) for c, v in enumerate(values) if v is not None)
        merges.extend((top + a, b, top + c, d) for a, b, c, d in self.table.merges)
        row = top + len(self.table.grid)
        for note in self.notes_after:
            cells.append((row, 0, note))
            row += 1
        return cells, merges


@dataclass
class Workbook:
    sheets: list[SheetSpec]
