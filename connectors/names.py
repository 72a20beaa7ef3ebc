"""File names from outside as text the archive can store and show, and the ones never to trust.

Names reach us as bytes: GBK from old Windows shares and ZIP tools, sometimes neither
UTF-8 nor GBK. They are decoded (UTF-8, then GB18030), control characters replaced, and
the raw bytes kept as hex when the decoding was not plain UTF-8, so nothing is lost. A
name is only ever metadata: a path with `..`, a root, or a hidden (dot) part is recorded
and rejected as `unsafe_name`, never used to place a file.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import PurePosixPath

UNSAFE = "unsafe_name"


def text_of(raw: bytes) -> str:
    """Bytes of a name as text: UTF-8, else GB18030 (a superset of GBK), else UTF-8 with marks."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def printable(name: str) -> str:
    """Control characters (NUL, newlines, escapes) would break logs, tables and terminals."""
    return "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in name)


def os_name(name: str) -> tuple[str, str | None]:
    """A name as the OS gave it (undecodable bytes as surrogates) → (safe text, raw hex or None)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        return printable(text_of(raw)), raw.hex()
    safe = printable(name)
    return safe, (None if safe == name else name.encode("utf-8").hex())


def unsafe(name: str) -> str | None:
    """Why a relative name must not be trusted, or None. Backslashes count as separators
    (Windows ZIP tools write them)."""
    normal = name.replace("\\", "/")
    path = PurePosixPath(normal)
    if not normal.strip("/ "):
        return "empty name"
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        return "absolute path"
    if ".." in path.parts:
        return "parent folder (..) in the name"
    if any(p.startswith(".") for p in path.parts):
        return "hidden (dot) name"
    return None
