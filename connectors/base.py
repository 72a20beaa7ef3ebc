"""What every connector yields: one received file, with what the channel knows about it."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePath
from typing import Protocol


def iso_utc(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def receipt_key(*parts: object) -> str:
    """A stable id for one receipt of one file, so a re-run never records it twice."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()


@dataclass
class Incoming:
    source: str  # folder, cli, imap, s3, upload
    source_uri: str
    source_path: str  # relative to the scanned root (folders included)
    original_name: str
    received_at: str  # ISO 8601, UTC
    size: int
    receipt: str
    claimed_unit: str | None = None  # unit code
    path: Path | None = None  # local file holding the bytes
    data: bytes | None = None  # or the bytes themselves (upload, mail)
    meta: dict = field(default_factory=dict)
    reject: tuple[str, str] | None = None  # (reason, detail): recorded as rejected, never parsed
    mtime_ns: int | None = None  # as scanned: a file changed since is still being written
    owned: bool = False  # `path` is a scratch copy this run made (a ZIP member): read it when needed
    root: Path | None = None  # the scanned folder holding `path`: opened from it, folder by folder

    def open(self):  # noqa: ANN201 - a binary file object
        """The file at `path`, never anything outside `root` (see open_beneath)."""
        assert self.path is not None
        if self.root is None:
            return open_regular(self.path)
        return open_beneath(self.root, self.path.relative_to(self.root))

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        with self.open() as fh:
            st = os.fstat(fh.fileno())
            if self.mtime_ns is not None and (st.st_mtime_ns, st.st_size) != (self.mtime_ns, self.size):
                raise StillWriting(f"{self.path} changed since it was scanned")
            return fh.read()


class NotRegular(OSError):
    """A link, FIFO, socket or device where a file was expected: never read."""


class StillWriting(OSError):
    """A file that changed between scan and read: the next run takes it."""


def open_regular(path: Path | str, dir_fd: int | None = None):  # noqa: ANN201 - a binary file object
    """Open for reading only if the entry itself is a regular file: links are not followed
    (O_NOFOLLOW), a FIFO or device does not block the open (O_NONBLOCK), and what was
    opened is checked, not what a name pointed to a moment before."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno in (40, 31):  # ELOOP (a link), EMLINK on some BSDs
            raise NotRegular(f"{path}: symbolic link") from exc
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotRegular(f"{path}: not a regular file")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def folder_fd(root: Path, folders: tuple[str, ...]) -> int:
    """A descriptor of root/folders…, each folder opened from the one before without following
    links: a folder swapped for a link after the scan (to /etc, to another inbox) is refused,
    where opening the joined path would have gone through it. The caller closes the fd."""
    try:
        fd = os.open(root, _DIR_FLAGS)
    except OSError as exc:
        raise _swapped(root, exc) from exc
    for name in folders:
        try:
            inner = os.open(name, _DIR_FLAGS, dir_fd=fd)
        except OSError as exc:
            os.close(fd)
            raise _swapped(root / name, exc) from exc
        os.close(fd)
        fd = inner
    return fd


def _swapped(path: Path, exc: OSError) -> OSError:
    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
        return NotRegular(f"{path}: a folder on the way is no longer a folder (a link?)")
    return exc


def open_beneath(root: Path, relative: PurePath):  # noqa: ANN201 - a binary file object
    """open_regular(root / relative), walking down from root by descriptors: nothing outside
    root is read even if a folder on the way is replaced by a link between scan and read."""
    fd = folder_fd(root, relative.parts[:-1])
    try:
        return open_regular(relative.name, dir_fd=fd)
    finally:
        os.close(fd)


class Connector(Protocol):
    name: str

    def scan(self) -> list[Incoming]: ...

    def acknowledge(self, item: Incoming, outcome: str) -> None:
        """Called once the archive holds the item (outcome: a status, or "already")."""
