"""Spreadsheets (xlsx, xls, ods): calamine for speed, openpyxl when number formats matter.

Calamine reads values and merged ranges ten times faster than openpyxl but drops number
formats, so a cell showing "95%" would come back as 0.95. When an xlsx declares percent
styles (checked cheaply in xl/styles.xml) openpyxl reads it instead.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from extract.document import ReadResult
from extract.readers.grid import (
    Grid,
    cell_blocks,
    clean_cell,
    column_letter,
    header_top,
    split_tables,
    to_table,
)
from extract.readers.sheet_extent import check_ods_extent, check_xls_extent, check_xlsx_extent
from schemas.extraction import ExtractError

_PERCENT_FMT = re.compile(r'<numFmt [^>]*numFmtId="(\d+)"[^>]*formatCode="[^"]*%', re.I)
_XF_FMT = re.compile(r'<xf [^>]*numFmtId="(\d+)"')


class _Discard:
    """xlrd's log, dropped (see _xlrd_percent_sheets)."""

    def write(self, text: str) -> int:
        return len(text)


_QUIET = _Discard()


def read_sheets(data: bytes, kind: str) -> ReadResult:
    sheets = None
    # before any reader builds the rectangle in memory
    {"xlsx": check_xlsx_extent, "xls": check_xls_extent, "ods": check_ods_extent}.get(kind, _no_check)(data)
    if kind == "xlsx" and _uses_percent_styles(data):
        sheets = _openpyxl_sheets(data)
    elif kind == "xls":
        sheets = _xlrd_percent_sheets(data)
    if sheets is None:
        sheets = _calamine_sheets(data)
    result = ReadResult(kind=kind)
    for name, grid in sheets:
        _add_sheet(result, name, grid)
    result.title = next((b.text for b in result.blocks if b.kind == "title"), None)
    return result


def _no_check(data: bytes) -> None:
    return None


def _add_sheet(result: ReadResult, name: str, grid: Grid) -> None:
    letters = [column_letter(c) for c in range(grid.width)]

    def where(r: int, c: int) -> str:
        return f"{name}!{letters[c]}{r + 1}"

    parts = [(a, part) for a, part in split_tables(grid) if _is_tabular(part)]
    for n, (first, part) in enumerate(parts, 1):
        def where_in(r: int, c: int, first: int = first) -> str:
            return where(r + first, c)

        location = name if n == 1 else f"{name}(表{n})"
        table = to_table(part, location, where_in)
        if table is not None:
            result.tables.append(table)
    top = parts[0][0] + header_top(parts[0][1]) if parts else None
    result.blocks.extend(cell_blocks(grid, where, table_top=top))


def _is_tabular(part: Grid) -> bool:
    """At least two rows with two or more cells: not a lone note or title."""
    return sum(1 for r in range(len(part.rows)) if len(part.anchors(r)) >= 2) >= 2


def cell_text(value: object, number_format: str | None = None) -> str:
    """A cell value as the text a person sees (integers without '.0', dates as ISO)."""
    if type(value) is str:
        return clean_cell(value)
    if value is None:
        return ""
    if not number_format:
        if type(value) is float:
            return str(int(value)) if value.is_integer() else format(value, ".15g")
        if type(value) is int:
            return str(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        if number_format and "%" in number_format:
            return _number(value * 100) + "%"
        return _number(value)
    return clean_cell(str(value))


def _number(value: float) -> str:
    if isinstance(value, int):
        return str(value)  # never in exponent form: long codes stay whole
    if value.is_integer():
        return str(int(value))
    return format(value, ".15g")  # Excel shows at most 15 significant digits


def _calamine_sheets(data: bytes) -> list[tuple[str, Grid]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in book.sheets_metadata:
            if not str(meta.visible).endswith(".Visible") or "WorkSheet" not in str(meta.typ):
                continue  # hidden sheets hold lookup lists; chart sheets hold no cells
            sheet = book.get_sheet_by_name(meta.name)
            rows = [[cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []]
            sheets.append((meta.name, Grid(rows, merges)))
        return sheets
    except (MemoryError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine's own errors, and pyo3 panics (not Exceptions)
        raise ExtractError("corrupt", f"spreadsheet unreadable: {exc}") from exc


def _openpyxl_sheets(data: bytes) -> list[tuple[str, Grid]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises KeyError/ValueError on damaged parts
        raise ExtractError("corrupt", f"xlsx unreadable: {exc}") from exc
    sheets = []
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        rows = [[cell_text(c.value, c.number_format) for c in row]
                for row in ws.iter_rows(min_row=1, min_col=1)]
        merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
                  for m in ws.merged_cells.ranges]
        sheets.append((ws.title, Grid(rows, merges)))
    return sheets


def _xlrd_percent_sheets(data: bytes) -> list[tuple[str, Grid]] | None:
    """An .xls using percent formats, read by xlrd with its formats; None when it uses none.

    Only the workbook globals are parsed to decide (on_demand), so the common case costs
    little before calamine reads the file.
    """
    import xlrd

    try:
        # xlrd's warnings about a damaged file go to stdout by default: in a worker that is the
        # terminal of whoever runs `fulian nightly` (bench/fuzz.py printed hundreds)
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True,
                                  logfile=_QUIET, verbosity=0)
    except Exception:  # xlrd rejects what calamine may still read: let calamine decide
        return None
    formats = book.format_map
    # Style XFs (Excel's built-in "Percent" style among them) are in every file; only
    # cell XFs say that a cell shows a percentage.
    percent = {i for i, xf in enumerate(book.xf_list) if not xf.is_style
               and "%" in getattr(formats.get(xf.format_key), "format_str", "")}
    if not percent:
        return None
    sheets = []
    for index, name in enumerate(book.sheet_names()):
        sheet = book.sheet_by_index(index)
        if sheet.visibility:
            continue  # hidden or very hidden
        rows = [[_xlrd_text(sheet.cell(r, c), book, percent) for c in range(sheet.ncols)]
                for r in range(sheet.nrows)]
        merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
        sheets.append((name, Grid(rows, merges)))
    return sheets


def _xlrd_text(cell, book, percent: set[int]) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return cell_text(cell.value, "%" if cell.xf_index in percent else None)
    if cell.ctype == xlrd.XL_CELL_DATE:
        return cell_text(xlrd.xldate_as_datetime(cell.value, book.datemode))
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return cell_text(cell.value)
    return ""  # empty, blank, error


def _uses_percent_styles(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            styles = archive.read("xl/styles.xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return False
    percent_ids = {"9", "10"} | set(_PERCENT_FMT.findall(styles))
    xfs = styles.split("<cellXfs", 1)[-1]
    return any(i in percent_ids for i in _XF_FMT.findall(xfs))
