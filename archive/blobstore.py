"""Write-once, content-addressed blob storage.

Blobs live at <root>/<area>/sha256/ab/cd/<hex>; `area` is "objects" for archived
content and "quarantine" for rejected files. A blob is written to a temporary
name, fsynced and linked into place atomically; an existing blob is never
touched again. fsspec URLs other than local paths (s3://…) use the same layout.

On object storage a blob is written with a conditional put (If-None-Match: *, fsspec's
mode="create"): the store itself refuses to replace an object, so two machines writing the
same digest at once cannot overwrite each other, and the write-once rule does not rest on
a check-then-write race. The size is read back after the put: an upload that failed
quietly must not be followed by a row that names it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import fsspec

AREAS = ("objects", "quarantine", "packets")
CHUNK = 1 << 20


def blob_key(sha256_hex: str, area: str = "objects") -> str:
    return f"{area}/sha256/{sha256_hex[:2]}/{sha256_hex[2:4]}/{sha256_hex}"


class BlobStore:
    def __init__(self, url: str, options: dict | None = None):
        self.url = url
        self.fs, self.root = fsspec.core.url_to_fs(url, **(options or {}))
        protocols = self.fs.protocol if isinstance(self.fs.protocol, tuple) else (self.fs.protocol,)
        self.local = "file" in protocols

    def path(self, sha256_hex: str, area: str = "objects") -> str:
        return f"{self.root.rstrip('/')}/{blob_key(sha256_hex, area)}"

    def exists(self, sha256_hex: str, area: str = "objects") -> bool:
        return self.fs.exists(self.path(sha256_hex, area))

    def put(self, sha256_hex: str, data: bytes, area: str = "objects", sync: bool = True) -> bool:
        """Store data under its digest; False when it was already there (never overwritten)."""
        target = self.path(sha256_hex, area)
        if self.local:
            return _put_local(Path(target), data, sync)
        return self._put_remote(target, len(data), lambda: self.fs.pipe_file(target, data,
                                                                            mode="create"))

    def put_file(self, sha256_hex: str, src: Path, area: str = "objects", sync: bool = True) -> bool:
        """Like put, streamed from a file (for content too large to hold in memory)."""
        target = self.path(sha256_hex, area)
        if not self.local:
            return self._put_remote(target, src.stat().st_size,
                                    lambda: self.fs.put_file(str(src), target, mode="create"))
        if self.fs.exists(target):
            return False
        target_path = Path(target)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = target_path.parent / f".tmp-{uuid.uuid4().hex}"
        with open(tmp, "wb") as fh:
            _copy_stream(src, fh)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        return _link_into_place(tmp, target_path, sync)

    def _put_remote(self, target: str, size: int, write: Callable[[], object]) -> bool:
        """A conditional put; False when the object was there already (it is never replaced)."""
        if self.fs.exists(target):  # the common case costs a HEAD, not an upload
            return False
        try:
            write()
        except FileExistsError:  # another writer got there between our HEAD and our PUT
            return False
        self.fs.invalidate_cache(target)
        stored = self.fs.info(target)["size"]  # FileNotFoundError when the upload was lost
        if stored != size:
            raise OSError(f"blob {target}: {stored} bytes stored, {size} sent")
        return True

    def flush(self) -> None:
        """Make every blob written so far durable (data and directory entries)."""
        if self.local:
            os.sync()

    def open(self, sha256_hex: str, area: str = "objects"):
        return self.fs.open(self.path(sha256_hex, area), "rb")

    def read(self, sha256_hex: str, area: str = "objects") -> bytes:
        with self.open(sha256_hex, area) as fh:
            return fh.read()

    def chunks(self, sha256_hex: str, area: str = "objects") -> Iterator[bytes]:
        with self.open(sha256_hex, area) as fh:
            while chunk := fh.read(CHUNK):
                yield chunk


def _put_local(target: Path, data: bytes, sync: bool) -> bool:
    if target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".tmp-{uuid.uuid4().hex}"
    with open(tmp, "wb") as fh:
        fh.write(data)
        if sync:
            fh.flush()
            os.fsync(fh.fileno())
    return _link_into_place(tmp, target, sync)


def _link_into_place(tmp: Path, target: Path, sync: bool) -> bool:
    os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        os.link(tmp, target)  # atomic, and fails instead of overwriting
        created = True
    except FileExistsError:
        created = False
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    if created and sync:
        _fsync_dir(target.parent)
    return created


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_stream(src: Path, fh) -> None:  # noqa: ANN001
    with open(src, "rb") as inp:
        while chunk := inp.read(CHUNK):
            fh.write(chunk)
