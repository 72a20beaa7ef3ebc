"""Drop folder and command-line paths.

A folder named after a unit claims that unit (the deepest such folder wins). The
inbox connector moves a file out of the inbox only after the archive has
committed it, into processed/ or rejected/, so a crash at any moment loses
nothing and the next run finishes the job. Paths given to `fulian ingest` are
read where they are and left alone.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

from connectors.base import Incoming, iso_utc, receipt_key
from schemas.units import UnitRegistry

SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def claim_from_folders(relative: Path, registry: UnitRegistry) -> str | None:
    for folder in reversed(relative.parent.parts):
        unit = registry.by_name(folder) or registry.find(folder)
        if unit:
            return unit.code
    return None


def walk_files(root: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name not in SKIP_NAMES and not name.startswith("."):
                yield Path(dirpath) / name


def scan_paths(paths: list[Path], registry: UnitRegistry, source: str = "cli",
               settle_seconds: float = 0.0) -> list[Incoming]:
    """Every file under the given files/folders, as Incoming items (no reading yet)."""
    items: list[Incoming] = []
    cutoff = time.time() - settle_seconds
    for given in paths:
        given = given.resolve()
        files = [given] if given.is_file() else list(walk_files(given))
        root = given.parent if given.is_file() else given
        for path in files:
            st = path.stat()
            if settle_seconds and st.st_mtime > cutoff:
                continue  # still being written, probably: next run takes it
            rel = path.relative_to(root)
            uri = path.as_uri()
            items.append(Incoming(
                source=source, source_uri=uri, source_path=rel.as_posix(), original_name=path.name,
                received_at=iso_utc(st.st_mtime), size=st.st_size,
                receipt=receipt_key(source, uri, st.st_size, st.st_mtime_ns),
                claimed_unit=claim_from_folders(rel, registry), path=path,
            ))
    return items


class PathsConnector:
    """Files named on the command line: read in place, never moved."""

    name = "cli"

    def __init__(self, paths: list[Path], registry: UnitRegistry):
        self.paths, self.registry = paths, registry

    def scan(self) -> list[Incoming]:
        return scan_paths(self.paths, self.registry, source=self.name)

    def acknowledge(self, item: Incoming, outcome: str) -> None:
        return None


class DropFolder:
    """FULIAN_INBOX: scanned recursively; archived files leave it."""

    name = "folder"

    def __init__(self, inbox: Path, processed: Path, rejected: Path, registry: UnitRegistry,
                 settle_seconds: float = 5.0):
        self.inbox, self.processed, self.rejected = inbox, processed, rejected
        self.registry, self.settle = registry, settle_seconds

    def scan(self) -> list[Incoming]:
        self.inbox.mkdir(parents=True, exist_ok=True)
        check_inbox(self.inbox, self.processed.parent)
        return scan_paths([self.inbox], self.registry, source=self.name,
                          settle_seconds=self.settle)

    def acknowledge(self, item: Incoming, outcome: str) -> None:
        if item.path is None or not item.path.exists():
            return
        base = self.rejected if outcome == "rejected" else self.processed
        target = _free_name(base / time.strftime("%Y%m%d") / item.source_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(item.path), str(target))


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


def _free_name(target: Path) -> Path:
    n, candidate = 1, target
    while candidate.exists():
        candidate = target.with_name(f"{target.stem}~{n}{target.suffix}")
        n += 1
    return candidate
