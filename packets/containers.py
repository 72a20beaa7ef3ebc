"""Stable bytes for zip containers (XLSX, DOCX, the bag's ZIP): the same content, the same file.

Libraries stamp the time of writing into zip entries and document properties; here
every entry gets one fixed time, a fixed mode and the order it was written in, and the
core properties' created/modified dates are set to that time.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime

_CORE_DATE = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def zip_entries(entries: Iterable[tuple[str, bytes]], when: datetime) -> bytes:
    """A deflated zip of (name, bytes) in the given order, every entry stamped `when`."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix: the same bytes whichever system builds it
            dst.writestr(info, data, compresslevel=6)
    return buf.getvalue()


def pin_office_zip(data: bytes, when: datetime) -> bytes:
    """An OOXML file rewritten with fixed entry times and core-property dates."""
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        entries = [(i.filename, src.read(i.filename)) for i in src.infolist()]
    fixed = [(n, _CORE_DATE.sub(rb"\g<1>" + iso + rb"\g<2>", d) if n == "docProps/core.xml" else d)
             for n, d in entries]
    return zip_entries(fixed, when)
