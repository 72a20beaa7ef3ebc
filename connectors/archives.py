"""Files packed in a ZIP archive by the sender ("材料打包.zip"): each member is a receipt of its own.

The archive's size and ratio were checked (extract.sniff) before this opens it. Member
names from Chinese Windows are GBK bytes without ZIP's UTF-8 flag, which Python reads as
CP437; they are decoded back. A member's name is kept as metadata only, never a path.

Members are streamed to files in a scratch folder, one at a time (`spool_member`): the
process never holds a package's inflated members at once, only the package itself.

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
from pathlib import Path, PurePosixPath

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


CHUNK = 1 << 20


def spool_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path,
                 limit: int) -> tuple[int, tuple[str, str] | None]:
    """Inflate one member into `target`, at most `limit` bytes; its size, or why it failed
    (the file is then removed). zipfile itself stops at the declared size and checks the CRC."""
    try:
        with zf.open(info) as src, open(target, "xb") as dst:
            size = 0
            while chunk := src.read(min(CHUNK, limit + 1 - size)):
                dst.write(chunk)
                size += len(chunk)
                if size > limit:
                    break
    except NotImplementedError as exc:  # deflate64, implode, …
        failed = ("unsupported", f"ZIP compression method {info.compress_type}: {exc}")
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error) as exc:
        failed = ("corrupt", f"ZIP member unreadable: {type(exc).__name__}: {exc}"[:300])
    else:
        if size <= limit:
            return size, None
        failed = ("too_large", f"ZIP member inflates to more than {limit} bytes")
    target.unlink(missing_ok=True)
    return 0, failed


def expand_zip(container: Incoming, data: bytes, registry: UnitRegistry, scratch: Path,
               limit: int) -> Expanded:
    """One Incoming per file inside, its bytes in a file under `scratch` (owned by the run,
    removed with the folder after the batch); a folder inside that names a unit claims it.
    A member over `limit` bytes (the size limit) is rejected `too_large` with its stored bytes.
    """
    out = Expanded()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, struct.error) as exc:
        out.problem = f"ZIP directory unreadable: {exc}"
        return out
    seen: dict[str, int] = {}
    scratch.mkdir(parents=True, exist_ok=True)
    with zf:
        for n, info in enumerate(zf.infolist()):
            if info.is_dir():
                continue
            name, raw_hex = member_name(info)
            seen[name] = seen.get(name, 0) + 1
            why = unsafe(name)
            body = scratch / f"{n:06d}"
            size, failed = spool_member(zf, info, body, limit)
            if failed and failed[0] != "too_large":
                out.unreadable += 1
            elif why:
                failed = (UNSAFE, why)
            key = name if seen[name] == 1 else f"{name}#{seen[name]}"  # a name may repeat in a ZIP
            spooled = (body, size) if body.exists() else None
            out.members.append(_member(container, name, key, raw_hex, spooled, failed, data, info,
                                       registry))
    return out


def _member(container: Incoming, name: str, key: str, raw_hex: str | None,
            spooled: tuple[Path, int] | None, failed: tuple[str, str] | None, data: bytes,
            info: zipfile.ZipInfo, registry: UnitRegistry) -> Incoming:
    """`spooled`: the inflated member's file and size; None: its stored bytes are kept."""
    path = PurePosixPath(name.replace("\\", "/"))
    content = None if spooled else stored_bytes(data, info)
    meta = {"container": container.receipt}
    if raw_hex:
        meta["name_bytes_hex"] = raw_hex
    claimed = None if failed and failed[0] == UNSAFE else claim_from_folders(path, registry)
    return Incoming(
        source=container.source, source_uri=f"{container.source_uri}!/{key}",
        source_path=f"{container.source_path}/{key}", original_name=path.name or name,
        received_at=container.received_at, size=spooled[1] if spooled else len(content or b""),
        receipt=receipt_key(container.receipt, key), claimed_unit=claimed or container.claimed_unit,
        path=spooled[0] if spooled else None, owned=spooled is not None, data=content, meta=meta,
        reject=failed)
