"""The upload spool: files received by the web face, waiting for the next run to archive them.

Each upload is two files in FULIAN_HOME/spool: `<uuid>` (the bytes) and `<uuid>.json`
(original name, unit code, received_at, note, size, sha256). Both are written to a
temporary name, fsynced, then renamed, the JSON last: a `<uuid>.json` exists only when
its bytes are complete, so a crash mid-upload leaves at most a `.tmp-*` file that no
scan picks up. The submitted name is metadata only, never a path on disk.
After the archive has recorded an upload, both files move to spool/done/.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from connectors.base import Incoming, receipt_key
from schemas.units import UnitRegistry

TMP_PREFIX = ".tmp-"
STALE_TMP = 3600.0  # seconds: an upload still being written is younger than this


def spool_dir(home: Path) -> Path:
    return home / "spool"


class TooLarge(Exception):
    """The upload exceeded the size limit while it was streaming in."""


@dataclass
class Spooled:
    id: str
    original_name: str
    unit: str | None
    received_at: str
    note: str
    size: int
    sha256: str

    @property
    def receipt(self) -> str:
        return receipt_key("upload", self.id)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class SpoolWriter:
    """Streams one upload into the spool; `commit` publishes it, `abort` leaves nothing."""

    def __init__(self, spool_dir: Path, max_size: int):
        spool_dir.mkdir(parents=True, exist_ok=True)
        self.dir, self.max_size = spool_dir, max_size
        self.id = str(uuid.uuid4())
        self.tmp = spool_dir / f"{TMP_PREFIX}{self.id}"
        self.fh = open(self.tmp, "wb")  # noqa: SIM115 - closed by commit/abort
        self.size, self.sha = 0, hashlib.sha256()

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_size:
            raise TooLarge(self.size)
        self.sha.update(chunk)
        self.fh.write(chunk)

    def commit(self, original_name: str, unit: str | None, note: str = "") -> Spooled:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        meta = Spooled(self.id, original_name, unit, datetime.now(UTC).isoformat(timespec="seconds"),
                       note, self.size, self.sha.hexdigest())
        os.replace(self.tmp, self.dir / self.id)
        tmp_json = self.dir / f"{TMP_PREFIX}{self.id}.json"
        with open(tmp_json, "w", encoding="utf-8") as fh:
            json.dump(meta.__dict__, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_json, self.dir / f"{self.id}.json")
        _fsync_dir(self.dir)
        return meta

    def abort(self) -> None:
        self.fh.close()
        self.tmp.unlink(missing_ok=True)


def read_spooled(meta_path: Path) -> Spooled | None:
    try:
        raw = json.loads(meta_path.read_text(encoding="utf-8"))
        return Spooled(**{k: raw[k] for k in Spooled.__dataclass_fields__})
    except (OSError, ValueError, KeyError, TypeError):
        return None  # unreadable metadata: left in place for a person to look at


def pending(spool_dir: Path) -> list[Spooled]:
    """Uploads waiting in the spool, oldest first."""
    if not spool_dir.is_dir():
        return []
    found = [read_spooled(p) for p in spool_dir.glob("*.json") if not p.name.startswith(TMP_PREFIX)]
    return sorted((s for s in found if s and (spool_dir / s.id).is_file()),
                  key=lambda s: (s.received_at, s.id))


def spool_usage(spool: Path) -> int:
    """Bytes waiting in the spool: uploads not yet archived and uploads being written
    (spool/done/, already archived, is not counted)."""
    total = 0
    for entry in os.scandir(spool) if spool.is_dir() else []:
        try:
            if entry.is_file(follow_symlinks=False):
                total += entry.stat(follow_symlinks=False).st_size
        except FileNotFoundError:
            continue  # archived or swept meanwhile
    return total


def sweep_stale(spool: Path, older_than: float = STALE_TMP) -> int:
    """Remove `.tmp-*` files a crashed or truncated upload left behind (never complete,
    never recorded, so nothing is lost); uploads still being written are younger."""
    cutoff, removed = time.time() - older_than, 0
    for tmp in spool.glob(f"{TMP_PREFIX}*") if spool.is_dir() else []:
        try:
            if tmp.lstat().st_mtime < cutoff:
                tmp.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # another run swept it first
    return removed


class SpoolConnector:
    """Uploads in the spool, as Incoming items; archived ones move to spool/done/."""

    name = "upload"

    def __init__(self, spool_dir: Path, registry: UnitRegistry):
        self.dir, self.registry = spool_dir, registry

    def scan(self) -> list[Incoming]:
        self._finish_moves()
        sweep_stale(self.dir)
        items = []
        for s in pending(self.dir):
            unit = s.unit if s.unit and self.registry.get(s.unit) else None
            items.append(Incoming(
                source=self.name, source_uri=f"upload:{s.id}", source_path=s.original_name,
                original_name=s.original_name, received_at=s.received_at, size=s.size,
                receipt=s.receipt, claimed_unit=unit, path=self.dir / s.id,
                meta={"upload_id": s.id, "note": s.note, "sha256": s.sha256}))
        return items

    def _finish_moves(self) -> None:
        """A crash between the two moves of `acknowledge` left the JSON behind: move it too."""
        done = self.dir / "done"
        for meta in self.dir.glob("*.json") if done.is_dir() else []:
            stem = meta.name.removesuffix(".json")
            if not (self.dir / stem).exists() and (done / stem).exists():
                shutil.move(str(meta), str(done / meta.name))

    def acknowledge(self, item: Incoming, outcome: str) -> None:
        upload_id = item.meta.get("upload_id")
        if not upload_id:
            return
        done = self.dir / "done"
        done.mkdir(parents=True, exist_ok=True)
        for name in (upload_id, f"{upload_id}.json"):  # bytes first: the JSON marks it pending
            src = self.dir / name
            if src.exists():
                shutil.move(str(src), str(done / name))
