"""Files packed in a ZIP archive by the sender ("材料打包.zip"): each member is a receipt of its own.

The archive's size and ratio were checked (extract.sniff) before this opens it. Member
names from Chinese Windows are GBK bytes without ZIP's UTF-8 flag, which Python reads as
CP437; they are decoded back. A member's name is kept as metadata only, never a path.

Each member is read on its own: one with a bad CRC, a damaged deflate stream, a method
Python cannot inflate (deflate64) or a local header that disagrees with the directory is
recorded as rejected with its stored bytes, and the other members go on. Members with
unsafe names (`..`, a root, a dot part) are recorded as rejected `unsafe_name`.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from connectors.base import Incoming, receipt_key
from connectors.folder import claim_from_folders
from connectors.names import UNSAFE, printable, text_of, unsafe
from schemas.units import UnitRegistry

UTF8_FLAG = 0x800
LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")


def member_name(info: zipfile.ZipInfo) -> tuple[str, str | None]:
    """The member's name as text, and its raw bytes' hex when they were not UTF-8."""
    if info.flag_bits & UTF8_FLAG:
        return printable(info.filename), None
    raw = info.filename.encode("cp437", errors="replace")
    name = printable(text_of(raw))
    return name, (None if raw.isascii() else raw.hex())


def is_plain_zip(data: bytes | None) -> bool:
    return bool(data) and data[:4] == b"PK\x03\x04"


@dataclass
class Expanded:
    members: list[Incoming] = field(default_factory=list)
    unreadable: int = 0  # members that could not be read (CRC, deflate, method, header)
    problem: str | None = None  # why the package itself could not be opened


def stored_bytes(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes as stored in the package (compressed): what is kept of one that
    cannot be inflated, so the quarantine holds evidence, not nothing."""
    try:
        head = LOCAL_HEADER.unpack_from(data, info.header_offset)
    except struct.error:
        return b""
    start = info.header_offset + LOCAL_HEADER.size + head[9] + head[10]
    return data[start:start + info.compress_size]


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes | None, tuple[str, str] | None]:
    try:
        return zf.read(info), None
    except NotImplementedError as exc:  # deflate64, implode, …
        return None, ("unsupported", f"ZIP compression method {info.compress_type}: {exc}")
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error) as exc:
        return None, ("corrupt", f"ZIP member unreadable: {type(exc).__name__}: {exc}"[:300])


def expand_zip(container: Incoming, data: bytes, registry: UnitRegistry) -> Expanded:
    """One Incoming per file inside; a folder inside that names a unit claims it.

    Members are read whole: the total was bounded by the bomb check, and one larger than
    the size limit is then rejected `too_large` like any other file.
    """
    out = Expanded()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, struct.error) as exc:
        out.problem = f"ZIP directory unreadable: {exc}"
        return out
    seen: dict[str, int] = {}
    with zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            name, raw_hex = member_name(info)
            seen[name] = seen.get(name, 0) + 1
            why = unsafe(name)
            body, failed = read_member(zf, info)
            if failed:
                out.unreadable += 1
            elif why:
                failed = (UNSAFE, why)
            key = name if seen[name] == 1 else f"{name}#{seen[name]}"  # a name may repeat in a ZIP
            out.members.append(_member(container, name, key, raw_hex, body, failed, data, info, registry))
    return out


def _member(container: Incoming, name: str, key: str, raw_hex: str | None, body: bytes | None,
            failed: tuple[str, str] | None, data: bytes, info: zipfile.ZipInfo,
            registry: UnitRegistry) -> Incoming:
    path = PurePosixPath(name.replace("\\", "/"))
    content = body if body is not None else stored_bytes(data, info)
    meta = {"container": container.receipt}
    if raw_hex:
        meta["name_bytes_hex"] = raw_hex
    claimed = None if failed and failed[0] == UNSAFE else claim_from_folders(path, registry)
    return Incoming(
        source=container.source, source_uri=f"{container.source_uri}!/{key}",
        source_path=f"{container.source_path}/{key}", original_name=path.name or name,
        received_at=container.received_at, size=len(content),
        receipt=receipt_key(container.receipt, key),
        claimed_unit=claimed or container.claimed_unit, data=content, meta=meta, reject=failed)
