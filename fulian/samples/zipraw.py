"""A ZIP written by hand from already-deflated entries.

Lets the bulk writers compress a package's fixed parts once, and the zip bomb
declare a gigabyte it never compresses.
"""

from __future__ import annotations

import io
import struct
import zlib

Entry = tuple[str, bytes, int, int]  # name, raw deflate data, crc32, uncompressed size
_TIME, _DATE = 0x4800, 0x4394  # 2013-12-20 09:00 in DOS format


def deflate(name: str, data: bytes, level: int = 6) -> Entry:
    comp = zlib.compressobj(level, zlib.DEFLATED, -15)
    return name, comp.compress(data) + comp.flush(), zlib.crc32(data), len(data)


def zip_bytes(entries: list[Entry]) -> bytes:
    """Local headers + data, central directory, end record (UTF-8 names, no ZIP64)."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, crc, size in entries:
        raw = name.encode("utf-8")
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, _TIME, _DATE,
                              crc, len(data), size, len(raw), 0) + raw + data)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, _TIME, _DATE,
                                  crc, len(data), size, len(raw), 0, 0, 0, 0, 0, offset) + raw)
    cd = central.getvalue()
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(cd), out.tell(), 0)
    return out.getvalue() + cd + end
