"""The write-once blob store on a real S3 API (moto's server on loopback, started here).

Conditional puts (If-None-Match: *) keep a blob from ever being replaced, even by two writers
at once; fixity reads the blobs back from the object store; quarantine lives there too.
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from archive.blobstore import BlobStore
from archive.digests import bare, digest_both
from archive.fixity import verify_archive
from archive.intake import Received, record_batch, store_blobs
from archive.store import Archive
from schemas.settings import Settings
from tests.conftest import new_bucket


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def s3_store(s3_options: dict) -> tuple[BlobStore, object, str]:
    fs, bucket = new_bucket(s3_options)
    return BlobStore(f"s3://{bucket}/archive", s3_options), fs, bucket


def test_put_is_write_once(s3_store: tuple) -> None:
    store, fs, bucket = s3_store
    data = "区妇联2013年工作总结".encode()
    sha = _sha(data)
    assert store.put(sha, data) is True
    assert store.put(sha, data) is False
    assert store.put(sha, b"other bytes under the same name") is False  # never replaced
    assert store.read(sha) == data
    key = f"{bucket}/archive/objects/sha256/{sha[:2]}/{sha[2:4]}/{sha}"
    assert fs.cat_file(key) == data


def test_two_writers_at_once_one_wins_and_nothing_is_overwritten(s3_store: tuple,
                                                                 s3_options: dict) -> None:
    """Each writer has its own client and its HEAD says "absent": only the store's
    conditional put can decide, and it lets exactly one through."""
    store, _, _ = s3_store
    sha = "ab" * 32
    writers = 6
    gate = threading.Barrier(writers)

    def write(n: int) -> bool:
        mine = BlobStore(store.url, {**s3_options, "skip_instance_cache": True})
        gate.wait()
        return mine.put(sha, f"writer {n}".encode())

    with ThreadPoolExecutor(writers) as pool:
        won = list(pool.map(write, range(writers)))
    assert won.count(True) == 1
    assert store.read(sha) == f"writer {won.index(True)}".encode()


def test_conditional_put_refuses_even_without_the_head_check(s3_store: tuple) -> None:
    store, _, _ = s3_store
    sha = "cd" * 32
    assert store.put(sha, b"first") is True
    with pytest.raises(FileExistsError):  # what the store says to a second PUT of the key
        store.fs.pipe_file(store.path(sha), b"second", mode="create")
    assert store.read(sha) == b"first"


def test_put_file_streams_and_keeps_areas_apart(s3_store: tuple, tmp_path: Path) -> None:
    store, _, _ = s3_store
    src = tmp_path / "big.pdf"
    src.write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 400)
    sha = _sha(src.read_bytes())
    assert store.put_file(sha, src, area="quarantine") is True
    assert store.put_file(sha, src, area="quarantine") is False
    assert store.exists(sha, "quarantine") and not store.exists(sha, "objects")
    assert b"".join(store.chunks(sha, "quarantine")) == src.read_bytes()


def _received(name: str, data: bytes, reason: str | None = None) -> Received:
    sha, sm3 = digest_both([data])
    return Received(receipt=_sha(name.encode()), source="cli", source_uri=f"file:///in/{name}",
                    source_path=name, original_name=name, received_at="2026-12-01T00:00:00+00:00",
                    size=len(data), sha256=bare(sha), sm3=bare(sm3), data=data, reason=reason)


def test_archive_on_s3_records_quarantines_and_passes_fixity(s3_options: dict,
                                                              tmp_path: Path) -> None:
    fs, bucket = new_bucket(s3_options)
    archive = Archive(Settings(home=tmp_path, blob_url=f"s3://{bucket}/fulian",
                               blob_options=s3_options))
    items = [_received("总结.txt", "甸柳街道妇联2013年工作总结".encode()),
             _received("报表.txt", "姚家街道妇联报表".encode()),
             _received("坏文件.pdf", b"%PDF-1.4 broken", reason="corrupt")]
    store_blobs(archive.blobs, items)
    with archive.db.writer() as s:
        outcomes = record_batch(s, archive.audit(s), items, "run-s3")
    assert [o.status for o in outcomes].count("rejected") == 1
    assert fs.exists(f"{bucket}/fulian/quarantine/sha256/{items[2].sha256[:2]}/"
                     f"{items[2].sha256[2:4]}/{items[2].sha256}")
    assert verify_archive(archive).ok

    tampered, lost = items[0].sha256, items[1].sha256
    fs.pipe_file(archive.blobs.path(tampered), b"flipped")  # someone with the bucket's keys
    fs.rm_file(archive.blobs.path(lost))
    archive.blobs.fs.invalidate_cache()
    report = verify_archive(archive)
    assert sorted((p.sha256, p.problem) for p in report.blob_problems) == sorted(
        [(tampered, "sha256_mismatch"), (tampered, "sm3_mismatch"), (lost, "missing")])
    archive.close()
