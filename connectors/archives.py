"""Files packed in a ZIP archive by the sender ("材料打包.zip"): each member is a receipt of its own.

The archive's size and ratio were checked (extract.sniff) before this opens it. Member
names from Chinese Windows are GBK bytes without ZIP's UTF-8 flag, which Python reads as
CP437; they are decoded back. A member's name is kept as metadata only, never a path.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from connectors.base import Incoming, receipt_key
from connectors.folder import claim_from_folders
from schemas.units import UnitRegistry

UTF8_FLAG = 0x800
SKIP_PARTS = ("__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini")


def member_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def is_plain_zip(data: bytes | None) -> bool:
    return bool(data) and data[:4] == b"PK\x03\x04"


def expand_zip(container: Incoming, data: bytes, registry: UnitRegistry) -> list[Incoming]:
    """One Incoming per file inside; a folder inside that names a unit claims it.

    Members are read whole: the total was bounded by the bomb check, and one larger than
    the size limit is then rejected `too_large` like any other file.
    """
    members: list[Incoming] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            name = member_name(info)
            path = PurePosixPath(name)
            if info.is_dir() or any(p in SKIP_PARTS or p.startswith(".") for p in path.parts):
                continue
            body = zf.read(info)
            members.append(Incoming(
                source=container.source, source_uri=f"{container.source_uri}!/{name}",
                source_path=f"{container.source_path}/{name}", original_name=path.name,
                received_at=container.received_at, size=len(body),
                receipt=receipt_key(container.receipt, name),
                claimed_unit=claim_from_folders(path, registry) or container.claimed_unit,
                data=body, meta={"container": container.receipt}))
    return members
