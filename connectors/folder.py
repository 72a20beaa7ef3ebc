"""Drop folder and command-line paths.

A folder named after a unit claims that unit (the deepest such folder wins). The
inbox connector moves a file out of the inbox only after the archive has
committed it, into processed/ or rejected/, so a crash at any moment loses
nothing and the next run finishes the job. Paths given to `fulian ingest` are
read where they are and left alone.

The drop folder is not a trusted place. Only regular files are read, opened without
following links and without blocking (a FIFO or device would hang the night, a link to
/dev/zero would fill memory, a link out of the inbox would archive someone else's file).
Every entry is recorded: links, FIFOs, sockets and devices as `unsupported` (left where
they are), hidden (dot) names as `unsafe_name`, names in GBK bytes decoded and kept.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import time
from collections.abc import Iterable
from pathlib import Path

from connectors.base import Incoming, folder_fd, iso_utc, open_regular, receipt_key
from connectors.names import UNSAFE, os_name, unsafe
from schemas.units import UnitRegistry

SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}  # object-store listings (connectors/objects.py)


def claim_from_folders(relative: Path, registry: UnitRegistry) -> str | None:
    for folder in reversed(relative.parent.parts):
        unit = registry.by_name(folder) or registry.find(folder)
        if unit:
            return unit.code
    return None


def walk_entries(root: Path) -> Iterable[Path]:
    """Every entry under root that is not a real folder: files, links (to folders too),
    FIFOs, sockets, devices. Links are never followed."""
    for dirpath, dirnames, filenames in os.walk(root):
        links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        dirnames[:] = sorted(d for d in dirnames if d not in links)
        for name in sorted(filenames + links):
            yield Path(dirpath) / name


def not_regular(st: os.stat_result) -> str | None:
    """Why an entry (lstat) is not read, or None for a regular file."""
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return None
    kinds = ((stat.S_ISLNK, "symbolic link"), (stat.S_ISFIFO, "FIFO (named pipe)"),
             (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
             (stat.S_ISBLK, "block device"), (stat.S_ISDIR, "folder"))
    return next((f"{label}: not read" for test, label in kinds if test(mode)), "not a regular file")


def _entry(path: Path, root: Path, source: str, registry: UnitRegistry, st: os.stat_result) -> Incoming:
    rel_raw = path.relative_to(root).as_posix()
    rel, raw_hex = os_name(rel_raw)
    why = not_regular(st)
    reject = ("unsupported", why) if why else ((UNSAFE, u) if (u := unsafe(rel)) else None)
    uri = path.as_uri()  # percent-encodes raw bytes: ASCII always
    return Incoming(
        source=source, source_uri=uri, source_path=rel, original_name=rel.rsplit("/", 1)[-1],
        received_at=iso_utc(st.st_mtime), size=st.st_size if not why else 0,
        receipt=receipt_key(source, uri, st.st_size, st.st_mtime_ns),
        claimed_unit=claim_from_folders(Path(rel), registry), path=path, root=root,
        meta={"name_bytes_hex": raw_hex} if raw_hex else {}, reject=reject, mtime_ns=st.st_mtime_ns)


def scan_paths(paths: list[Path], registry: UnitRegistry, source: str = "cli",
               settle_seconds: float = 0.0) -> list[Incoming]:
    """Every entry under the given files/folders, as Incoming items (no reading yet)."""
    items: list[Incoming] = []
    cutoff = time.time() - settle_seconds
    for given in paths:
        given = given.resolve()
        files = [given] if not given.is_dir() else list(walk_entries(given))
        root = given.parent if not given.is_dir() else given
        for path in files:
            try:
                st = path.lstat()
            except FileNotFoundError:
                continue  # taken away since the walk
            if settle_seconds and st.st_mtime > cutoff and stat.S_ISREG(st.st_mode):
                continue  # still being written, probably: next run takes it
            items.append(_entry(path, root, source, registry, st))
    return items


class PathsConnector:
    """Files named on the command line: read in place, never moved."""

    name = "cli"

    def __init__(self, paths: list[Path], registry: UnitRegistry, received_at: str | None = None):
        """`received_at` (ISO 8601, UTC): a backlog's receipt time given by a person instead of
        each file's modification time; recorded as such in the audit event."""
        self.paths, self.registry, self.received_at = paths, registry, received_at

    def scan(self) -> list[Incoming]:
        items = scan_paths(self.paths, self.registry, source=self.name)
        if self.received_at:
            for item in items:
                item.received_at = self.received_at
                item.meta["received_at_given"] = self.received_at
        return items

    def acknowledge(self, item: Incoming, outcome: str) -> None:
        return None


class DropFolder:
    """FULIAN_INBOX: scanned recursively; archived files leave it."""

    name = "folder"

    def __init__(self, inbox: Path, processed: Path, rejected: Path, registry: UnitRegistry,
                 settle_seconds: float = 5.0, create: bool = True):
        self.inbox, self.processed, self.rejected = inbox, processed, rejected
        self.registry, self.settle, self.create = registry, settle_seconds, create

    def scan(self) -> list[Incoming]:
        if not self.create and not self.inbox.is_dir():
            # a configured inbox that is gone (a network share not mounted): creating it would
            # make an empty local folder and report "nothing new" every night
            raise FileNotFoundError(errno.ENOENT, "inbox is gone", str(self.inbox))
        self.inbox.mkdir(parents=True, exist_ok=True)
        check_inbox(self.inbox, self.processed.parent)
        return scan_paths([self.inbox], self.registry, source=self.name,
                          settle_seconds=self.settle)

    def acknowledge(self, item: Incoming, outcome: str) -> None:
        if item.path is None:
            return
        base = self.rejected if outcome == "rejected" else self.processed
        move_out(item, _free_name(base / time.strftime("%Y%m%d") / item.source_path))


class InboxError(RuntimeError):
    """An inbox the nightly run must not empty: it would sweep up things that are not submissions."""


def check_inbox(inbox: Path, home: Path) -> None:
    """Refuse an inbox that holds the archive itself, a code checkout, or a whole home or disk."""
    inbox, home = inbox.resolve(), home.resolve()
    if home == inbox or inbox in home.parents:
        raise InboxError(f"inbox {inbox} contains the data folder {home}")
    if inbox == Path(inbox.anchor) or inbox == Path.home().resolve():
        raise InboxError(f"inbox {inbox} is a root or home folder")
    if (inbox / ".git").exists() or (inbox / "pyproject.toml").exists():
        raise InboxError(f"inbox {inbox} is a code checkout, not a drop folder")


def move_out(item: Incoming, target: Path) -> None:
    """Move a scanned file to `target`, reaching it by descriptors from the scanned root (as
    it is read): a folder on the way swapped for a link leaves everything where it is, so no
    file outside the inbox is ever moved. Gone, or a link/FIFO/device: left where it is."""
    assert item.path is not None
    root = item.root or item.path.parent
    rel = item.path.relative_to(root)
    try:
        fd = folder_fd(root, rel.parts[:-1])
    except OSError:  # NotRegular (swapped) or gone
        return
    try:
        if not stat.S_ISREG(os.stat(rel.name, dir_fd=fd, follow_symlinks=False).st_mode):
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(rel.name, target, src_dir_fd=fd)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            with open_regular(rel.name, dir_fd=fd) as src, open(target, "xb") as dst:
                shutil.copyfileobj(src, dst)  # another file system: copy, then remove
            os.unlink(rel.name, dir_fd=fd)
    except FileNotFoundError:
        return
    finally:
        os.close(fd)


def _free_name(target: Path) -> Path:
    n, candidate = 1, target
    while candidate.exists():
        candidate = target.with_name(f"{target.stem}~{n}{target.suffix}")
        n += 1
    return candidate
