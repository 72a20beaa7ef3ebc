"""A batch's scratch folder: files the run made and owns until the batch is recorded.

ZIP members inflated one at a time (never held in memory at once) and copies of files over
the size limit (the bytes that were digested, for quarantine) live in
FULIAN_HOME/unpacked/<pid>-…; the folder goes with `Batch.discard` once the batch is
recorded, and folders of runs that died are removed when a later batch makes its own.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

SCRATCH = "unpacked"


class Scratch:
    """One batch's folder, made on first use (most batches need none)."""

    def __init__(self, home: Path):
        self.home, self.path, self._n = home, None, 0

    def _next(self) -> Path:
        if self.path is None:
            self.path = new_scratch(self.home)
        self._n += 1
        return self.path / f"{self._n:06d}"

    def new_folder(self) -> Path:
        folder = self._next()
        folder.mkdir()
        return folder

    def new_file(self) -> Path:
        return self._next()


def new_scratch(home: Path) -> Path:
    """A fresh folder; folders left by runs that died are removed first (a live run's pid
    keeps its own)."""
    root = home / SCRATCH
    root.mkdir(parents=True, exist_ok=True)
    for old in root.iterdir():
        pid = old.name.split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's: alive
        return True
    return True
