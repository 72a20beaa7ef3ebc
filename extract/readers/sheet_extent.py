"""How big an xlsx's sheets really are, found before any reader allocates them.

Readers build a rectangle from the first to the last cell: a sheet with one cell in A1 and
one in XFD1048576 (a few hundred bytes zipped) becomes 17 billion cells in memory. The
cell references are scanned in the sheet XML as a stream, and a sheet whose rectangle is
larger than a real return could be is refused `too_large` before it is read.
"""

from __future__ import annotations

import io
import re
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
            if rows * cols > max_cells:
                raise ExtractError("too_large", f"{name} spans {rows} rows × {cols} columns "
                                                f"({rows * cols} cells > {max_cells})")
