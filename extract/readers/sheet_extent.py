"""How big a spreadsheet's sheets really are (xlsx, xls, ods), found before any reader allocates them.

Readers build a rectangle from the first to the last cell: a sheet with one cell in A1 and
one in XFD1048576 (a few hundred bytes zipped) becomes 17 billion cells in memory. The
cell references are scanned in the sheet XML as a stream, and a sheet whose rectangle is
larger than a real return could be is refused `too_large` before it is read.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile

from schemas.extraction import ExtractError

MAX_CELLS = 5_000_000  # a big register is 20,000 rows × 30 columns = 600,000
_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})([0-9]{1,7})"')
_CHUNK = 1 << 20


def column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def sheet_extent(stream: io.BufferedIOBase) -> tuple[int, int]:
    """(rows, columns) of the rectangle spanned by the cells of one sheet XML stream."""
    rows, cols = [1 << 30, 0], [1 << 30, 0]
    tail = b""
    while chunk := stream.read(_CHUNK):
        buf = tail + chunk
        for m in _REF.finditer(buf):
            c, r = column_number(m.group(1)), int(m.group(2))
            rows[0], rows[1] = min(rows[0], r), max(rows[1], r)
            cols[0], cols[1] = min(cols[0], c), max(cols[1], c)
        tail = buf[-256:]  # a reference cut by the chunk boundary is found in the next round
    if not rows[1]:
        return 0, 0
    return rows[1] - rows[0] + 1, cols[1] - cols[0] + 1


def check_xlsx_extent(data: bytes, max_cells: int = MAX_CELLS) -> None:
    """Raise too_large for a sheet whose cells span more than `max_cells`."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return  # the reader says why it is unreadable
    with zf:
        for name in zf.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with zf.open(name) as fh:
                rows, cols = sheet_extent(fh)
            _refuse(name, rows, cols, max_cells)


def _refuse(where: str, rows: int, cols: int, max_cells: int) -> None:
    if rows * cols > max_cells:
        raise ExtractError("too_large", f"{where} spans {rows} rows × {cols} columns "
                                        f"({rows * cols} cells > {max_cells})")


# BIFF (xls) records holding one cell, each starting with its row and column (u16, u16);
# MULRK and MULBLANK hold a run of cells and end with the run's last column.
_CELL_RECORDS = {0x00FD, 0x0203, 0x027E, 0x0201, 0x0006, 0x0205, 0x0204, 0x00D6, 0x0406}
_RUN_RECORDS = {0x00BD, 0x00BE}
_BOF, _EOF, _DIMENSIONS = 0x0809, 0x000A, 0x0200


def check_xls_extent(data: bytes, max_cells: int = MAX_CELLS) -> None:
    """Raise too_large for an .xls sheet whose cells, or whose declared dimensions (the
    DIMENSIONS record), span more than `max_cells`: calamine builds that rectangle (a 6 KB
    file with cells in A1 and IV65536 took 1.2 GB). The workbook stream is walked record by
    record; no cell value is read."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            stream = ole.openstream(name).read() if name else b""
    except (OSError, ValueError, IndexError, struct.error):
        return  # not a readable compound file: the reader says why
    sheet, pos = 0, 0
    span = _Span()
    while pos + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4:pos + 4 + size]
        pos += 4 + size
        if kind == _BOF:
            sheet, span = sheet + 1, _Span()
        elif kind == _DIMENSIONS and len(body) >= 10:
            rows, cols = _declared(body)
            _refuse(f"sheet {sheet - 1} (declared)", rows, cols, max_cells)
        elif kind in _CELL_RECORDS and len(body) >= 4:
            span.add(*struct.unpack_from("<HH", body))
        elif kind in _RUN_RECORDS and len(body) >= 6:
            row, first = struct.unpack_from("<HH", body)
            span.add(row, first)
            span.add(row, struct.unpack_from("<H", body, len(body) - 2)[0])
        elif kind == _EOF:
            _refuse(f"sheet {sheet - 1}", *span.size(), max_cells)


def _declared(body: bytes) -> tuple[int, int]:
    """(rows, columns) of a DIMENSIONS record: 32-bit rows in BIFF8 (14 bytes), 16-bit before."""
    if len(body) >= 14:
        first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", body)
    else:
        first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", body)
    return max(0, last_row - first_row), max(0, last_col - first_col)


class _Span:
    """The rectangle from the first to the last cell seen."""

    def __init__(self) -> None:
        self.rows, self.cols = [1 << 30, -1], [1 << 30, -1]

    def add(self, row: int, col: int) -> None:
        self.rows = [min(self.rows[0], row), max(self.rows[1], row)]
        self.cols = [min(self.cols[0], col), max(self.cols[1], col)]

    def size(self) -> tuple[int, int]:
        if self.rows[1] < 0:
            return 0, 0
        return self.rows[1] - self.rows[0] + 1, self.cols[1] - self.cols[0] + 1


MAX_ODS_XML = 200 << 20  # content.xml inflated: a 20,000 × 30 register is ≈30 MB
_ODS_TAG = re.compile(rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*)>")
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="(\d+)"')
_COLS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d+)"')


def check_ods_extent(data: bytes, max_cells: int = MAX_CELLS, max_xml: int = MAX_ODS_XML) -> None:
    """Raise too_large for an .ods whose content.xml inflates beyond `max_xml`, or whose
    sheet, once repeated rows and cells are expanded (calamine expands them: 2,000 × 2,000
    repeats took 258 MB), spans more than `max_cells` non-empty cells' rectangle. Empty
    repeats (LibreOffice ends every sheet with a million blank rows) do not count."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        info = zf.getinfo("content.xml")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return  # the reader says why it is unreadable
    with zf:
        if info.file_size > max_xml:
            raise ExtractError("too_large", f"content.xml inflates to {info.file_size} bytes > {max_xml}")
        with zf.open(info) as fh:
            _scan_ods(fh, max_cells)


def _scan_ods(stream: io.BufferedIOBase, max_cells: int) -> None:
    sheet, row, col, rows_rep, used_row, last_row, last_col = 0, 0, 0, 1, False, 0, 0
    tail = b""
    while chunk := stream.read(_CHUNK):
        buf = tail + chunk
        cut = buf.rfind(b">") + 1  # a tag cut by the chunk boundary is read with the next one
        for m in _ODS_TAG.finditer(buf, 0, cut):
            closing, tag, attrs = m.group(1), m.group(2), m.group(3)
            if tag == b"table" and not closing:
                sheet, row, last_row, last_col = sheet + 1, 0, 0, 0
            elif tag == b"table" and closing:
                _refuse(f"sheet {sheet}", last_row, last_col, max_cells)
            elif tag == b"table-row" and not closing:
                rep = _ROWS_REPEATED.search(attrs)
                rows_rep, col, used_row = int(rep.group(1)) if rep else 1, 0, False
                if attrs.endswith(b"/"):  # an empty row
                    row += rows_rep
            elif tag == b"table-row":
                if used_row:
                    last_row = row + rows_rep
                row += rows_rep
            elif not closing:  # a cell
                rep = _COLS_REPEATED.search(attrs)
                n = int(rep.group(1)) if rep else 1
                if b"office:value-type=" in attrs:
                    used_row, last_col = True, max(last_col, col + n)
                    _refuse(f"sheet {sheet}", row + rows_rep, col + n, max_cells)
                col += n
        tail = buf[cut:]
