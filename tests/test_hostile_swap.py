"""Issue 14: the drop folder's parent-folder swap race. Between the scan and the read (or the
move out), the inbox or a folder in it is replaced by a link to somewhere else. Files are
reached by descriptors from the inbox, one folder at a time, never following a link: the
file outside is never read, archived or moved; the entry is recorded `unsupported`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors.folder import DropFolder
from flows.prepare import read_one
from schemas.settings import Settings
from schemas.units import load_registry

SECRET = b"outside the inbox: must never be read"


def _setup(tmp_path: Path) -> tuple[DropFolder, Path, Path]:
    inbox, outside = tmp_path / "inbox", tmp_path / "outside"
    (inbox / "解放路街道妇联").mkdir(parents=True)
    (inbox / "解放路街道妇联" / "总结.txt").write_bytes("2013年解放路街道妇联工作总结".encode())
    (outside / "解放路街道妇联").mkdir(parents=True)
    (outside / "解放路街道妇联" / "总结.txt").write_bytes(SECRET)
    (outside / "总结.txt").write_bytes(SECRET)
    home = tmp_path / "home"
    drop = DropFolder(inbox, home / "processed", home / "rejected", load_registry(), settle_seconds=0)
    return drop, inbox, outside


def _swap(folder: Path, target: Path) -> None:
    folder.rename(folder.with_name(folder.name + ".moved"))
    folder.symlink_to(target, target_is_directory=True)


@pytest.mark.parametrize("swapped", ["subfolder", "inbox"])
def test_a_folder_swapped_for_a_link_after_the_scan_is_never_read_through(tmp_path: Path,
                                                                          swapped: str) -> None:
    drop, inbox, outside = _setup(tmp_path)
    [item] = drop.scan()
    if swapped == "subfolder":
        _swap(inbox / "解放路街道妇联", outside)
    else:
        _swap(inbox, outside)
    rec = read_one(item, Settings())
    assert SECRET not in (rec.data or b"")
    assert rec.reason == "unsupported" and "no longer a folder" in rec.detail
    drop.acknowledge(item, "rejected")  # the move out goes through descriptors too
    assert (outside / "总结.txt").read_bytes() == SECRET
    assert (outside / "解放路街道妇联" / "总结.txt").read_bytes() == SECRET
    assert not (tmp_path / "home" / "rejected").exists()


def test_a_large_file_is_digested_through_descriptors_too(tmp_path: Path) -> None:
    """Over the size limit the file is only digested (streamed): the same walk applies."""
    drop, inbox, outside = _setup(tmp_path)
    [item] = drop.scan()
    _swap(inbox / "解放路街道妇联", outside)
    settings = Settings()
    item.size = settings.max_file_size + 1  # as if scanned large
    rec = read_one(item, settings)
    assert rec.reason == "unsupported" and "no longer a folder" in rec.detail


def test_an_untouched_inbox_is_read_and_moved_out(tmp_path: Path) -> None:
    drop, inbox, _ = _setup(tmp_path)
    [item] = drop.scan()
    rec = read_one(item, Settings())
    assert rec.data == "2013年解放路街道妇联工作总结".encode() and rec.reason is None
    drop.acknowledge(item, "accepted")
    assert not (inbox / "解放路街道妇联" / "总结.txt").exists()
    [moved] = (tmp_path / "home" / "processed").rglob("总结.txt")
    assert moved.read_bytes() == rec.data


def test_a_large_file_is_kept_as_digested_even_if_its_folder_is_swapped_later(tmp_path: Path) -> None:
    """A file over the size limit is quarantined, not read into memory: the copy kept is made
    while digesting, so a swap between the digest and the blob write changes nothing."""
    import hashlib

    from archive.blobstore import BlobStore
    from flows.scratch import Scratch

    drop, inbox, outside = _setup(tmp_path)
    [item] = drop.scan()
    original = (inbox / "解放路街道妇联" / "总结.txt").read_bytes()
    settings = Settings(max_file_size=8)
    scratch = Scratch(tmp_path / "home")
    rec = read_one(item, settings, scratch)
    assert rec.reason == "too_large" and rec.data is None and rec.path.parent == scratch.path
    _swap(inbox / "解放路街道妇联", outside)
    blobs = BlobStore(str(tmp_path / "blobs"))
    blobs.put_file(rec.sha256, rec.path, "quarantine")
    assert Path(blobs.path(rec.sha256, "quarantine")).read_bytes() == original
    assert hashlib.sha256(original).hexdigest() == rec.sha256


def test_a_file_quarantined_unread_is_kept_as_digested(tmp_path: Path) -> None:
    """A file that killed two runs' workers is only digested and kept (flows.ingest): the same
    copy-while-digesting applies."""
    from flows.prepare import quarantine_unread
    from flows.scratch import Scratch

    drop, inbox, outside = _setup(tmp_path)
    [item] = drop.scan()
    original = (inbox / "解放路街道妇联" / "总结.txt").read_bytes()
    batch = quarantine_unread(item, "corrupt", "2 workers died", Scratch(tmp_path / "home"))
    [rec] = batch.ready
    _swap(inbox / "解放路街道妇联", outside)
    assert rec.path.read_bytes() == original and batch.scratch == str(rec.path.parent)
    batch.discard()
    assert not rec.path.exists()
