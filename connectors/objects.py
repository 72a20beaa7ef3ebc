"""Object storage as an intake channel: every object under a prefix (any fsspec URL).

`FULIAN_OBJECTS_URL` names the intake prefix (`s3://bucket/inbox/`, `file:///srv/inbox/`,
any fsspec URL), `FULIAN_OBJECTS_OPTIONS` the storage options (endpoint_url, key,
secret, ...). Objects are listed recursively; a folder below the prefix named after a unit
claims it, as in the drop folder (the deepest such folder wins).

Receipt: (URL of the object, ETag when the store has one, size, last-modified): the same
object gives the same receipt on every run, a re-upload to the same key a new one.
`received_at` is the object's last-modified time.

Acknowledge: object stores have no atomic move, so the object is copied to
`<done>/<YYYYMMDD of receipt>/<path below the prefix>` and removed only once the copy is
there. The done location is `FULIAN_OBJECTS_DONE_PREFIX` beside the intake prefix
(`s3://bucket/inbox/` → `s3://bucket/processed/`), inside the bucket when the intake is
the bucket's root, or a full URL on the same store; it is never scanned. A crash between
copy and removal is finished by the next run: a copy of the same size already there is
taken as done, so nothing is copied twice.

Remote objects are read when the pipeline reads the item (`Incoming.read`), not at scan;
those above `spool_above` bytes (the size limit) are fetched to a temporary file at scan, so
the pipeline digests and rejects them from disk instead of memory. `close()` removes it.
"""

from __future__ import annotations

import logging
import os
import posixpath
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import fsspec
from fsspec.implementations.local import LocalFileSystem

from connectors.base import Incoming, receipt_key
from connectors.folder import SKIP_NAMES, claim_from_folders
from schemas.settings import Settings
from schemas.units import UnitRegistry

log = logging.getLogger(__name__)

_ETAG_KEYS = ("ETag", "etag", "md5Hash", "content_md5")
_TIME_KEYS = ("LastModified", "last_modified", "mtime", "updated", "created", "creation_time")


@dataclass
class StoredObject(Incoming):
    """An object read from the store only when the pipeline asks for its bytes."""

    fs: Any = field(default=None, repr=False, compare=False)
    key: str = ""

    def read(self) -> bytes:
        if self.data is None and self.path is None:
            return self.fs.cat_file(self.key)  # FileNotFoundError: another run took it
        return super().read()


def modified_at(info: dict) -> datetime | None:
    """The last-modified time of a listing entry, whatever the backend calls it."""
    for key in _TIME_KEYS:
        value = info.get(key)
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        if isinstance(value, int | float):
            return datetime.fromtimestamp(value, UTC)
        if isinstance(value, str) and value:
            try:
                parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


class ObjectStore:
    """Scans an fsspec prefix; an archived object leaves it for the done location."""

    def __init__(self, url: str, registry: UnitRegistry, *, options: dict | None = None,
                 done_prefix: str = "processed/", spool_above: int | None = None):
        self.fs, root = fsspec.core.url_to_fs(url, **(options or {}))
        self.root = root.rstrip("/")
        self.registry = registry
        self.local = isinstance(self.fs, LocalFileSystem)
        protocol = self.fs.protocol
        self.name = protocol if isinstance(protocol, str) else protocol[0]
        self.done = self._done_root(done_prefix)
        self.spool_above = spool_above  # larger remote objects are fetched to disk at scan
        self._spool: Path | None = None

    @classmethod
    def from_settings(cls, s: Settings, registry: UnitRegistry) -> ObjectStore | None:
        if not s.objects_url:
            return None
        return cls(s.objects_url, registry, options=s.objects_options,
                   done_prefix=s.objects_done_prefix, spool_above=s.max_file_size)

    def __enter__(self) -> ObjectStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._spool is not None:
            shutil.rmtree(self._spool, ignore_errors=True)
            self._spool = None

    def _done_root(self, prefix: str) -> str:
        if "://" in prefix:
            return self.fs._strip_protocol(prefix).rstrip("/")
        parent = posixpath.dirname(self.root)
        if not parent or parent == self.root:  # the intake is a bucket's root: done inside it
            parent = self.root
        return posixpath.join(parent, prefix.strip("/"))

    def _scanned(self, key: str) -> bool:
        name = posixpath.basename(key)
        done = key == self.done or key.startswith(self.done + "/")
        return not done and not name.startswith(".") and name not in SKIP_NAMES and bool(name)

    def scan(self) -> list[Incoming]:
        self.fs.invalidate_cache()  # listings are cached by s3fs and others: see the store now
        try:
            listing = self.fs.find(self.root, detail=True)
        except FileNotFoundError:
            return []
        items: list[Incoming] = []
        for key in sorted(listing):
            info = listing[key]
            if info.get("type", "file") == "file" and self._scanned(key):
                items.append(self._item(key, info))
        return items

    def _item(self, key: str, info: dict) -> Incoming:
        rel = posixpath.relpath(key, self.root)
        at = modified_at(info) or datetime.now(UTC)
        etag = next((str(info[k]).strip('"') for k in _ETAG_KEYS if info.get(k)), "")
        uri = self.fs.unstrip_protocol(key)
        return StoredObject(
            source=self.name, source_uri=uri, source_path=rel, original_name=posixpath.basename(key),
            received_at=at.astimezone(UTC).isoformat(timespec="seconds"), size=int(info["size"]),
            receipt=receipt_key(self.name, uri, etag, info["size"], at.isoformat()),
            claimed_unit=claim_from_folders(Path(rel), self.registry),
            path=Path(key) if self.local else self._spooled(key, int(info["size"])),
            fs=self.fs, key=key,
            meta={"etag": etag} if etag else {})

    def _spooled(self, key: str, size: int) -> Path | None:
        """Too large to hold in memory: a local copy the pipeline digests from disk (and rejects)."""
        if self.spool_above is None or size <= self.spool_above:
            return None
        if self._spool is None:
            self._spool = Path(tempfile.mkdtemp(prefix="fulian-objects-"))
        handle, name = tempfile.mkstemp(dir=self._spool, suffix=posixpath.splitext(key)[1])
        os.close(handle)
        self.fs.get_file(key, name)
        return Path(name)

    def acknowledge(self, item: Incoming, outcome: str) -> None:
        """The archive holds the item: copy it to the done location, then remove it."""
        key = getattr(item, "key", "") or posixpath.join(self.root, item.source_path)
        if not self.local and item.path is not None:
            item.path.unlink(missing_ok=True)  # the spooled copy
        try:
            self._move(key, item)
        except OSError as exc:  # recorded anyway: the next run sees "already" and retries
            log.warning("could not move %s to %s: %s", key, self.done, exc)

    def _move(self, key: str, item: Incoming) -> None:
        self.fs.invalidate_cache()
        if not self.fs.exists(key):
            return  # moved by an earlier acknowledge
        day = item.received_at[:10].replace("-", "")
        target = posixpath.join(self.done, day, item.source_path)
        if not self._same(target, key, item):
            target = self._free(target)
            self.fs.makedirs(posixpath.dirname(target), exist_ok=True)
            self.fs.copy(key, target)
            self.fs.invalidate_cache()
        if self._same(target, key, item):  # never remove what was not copied
            self.fs.rm_file(key)

    def _same(self, target: str, key: str, item: Incoming) -> bool:
        """The target holds this object: same size, and the same ETag or the same bytes."""
        try:
            info = self.fs.info(target)
        except FileNotFoundError:
            return False
        if int(info["size"]) != item.size:
            return False
        etag = next((str(info[k]).strip('"') for k in _ETAG_KEYS if info.get(k)), "")
        if etag and etag == item.meta.get("etag"):
            return True  # (a copy of a multipart upload may get another ETag: compare bytes)
        return self.fs.cat_file(target) == self.fs.cat_file(key)

    def _free(self, target: str) -> str:
        stem, ext = posixpath.splitext(target)
        n, candidate = 1, target
        while self.fs.exists(candidate):
            candidate, n = f"{stem}~{n}{ext}", n + 1
        return candidate
