"""The object-storage connector on a real S3 API (moto's server on loopback) and on file://."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from connectors.objects import ObjectStore
from schemas.units import load_registry
from tests.conftest import new_bucket as _bucket

FILES = {
    "inbox/解放路街道/2013年工作总结.docx": b"docx bytes of jiefanglu",
    "inbox/甸柳街道妇联/二季度/信息（甸柳庄社区）.pdf": b"%PDF-1.4 dianliu",
    "inbox/未分类材料.xlsx": b"xlsx bytes, no unit",
    "inbox/.DS_Store": b"finder noise",
    "processed/20130101/old.docx": b"archived long ago",
}


def test_s3_claims_receipts_and_move(s3_options: dict) -> None:
    fs, bucket = _bucket(s3_options)
    for key, data in FILES.items():
        fs.pipe(f"{bucket}/{key}", data)
    url = f"s3://{bucket}/inbox/"
    store = ObjectStore(url, load_registry(), options=s3_options)
    items = {i.source_path: i for i in store.scan()}
    assert sorted(items) == ["未分类材料.xlsx", "甸柳街道妇联/二季度/信息（甸柳庄社区）.pdf",
                             "解放路街道/2013年工作总结.docx"]
    doc = items["解放路街道/2013年工作总结.docx"]
    assert doc.original_name == "2013年工作总结.docx" and doc.claimed_unit == "jiefanglu"
    assert items["甸柳街道妇联/二季度/信息（甸柳庄社区）.pdf"].claimed_unit == "dianliu"
    assert items["未分类材料.xlsx"].claimed_unit is None
    assert doc.source == "s3" and doc.source_uri == f"s3://{bucket}/inbox/解放路街道/2013年工作总结.docx"
    assert doc.read() == FILES["inbox/解放路街道/2013年工作总结.docx"] and doc.path is None
    at = datetime.fromisoformat(doc.received_at)
    assert at.tzinfo is not None and abs(datetime.now(UTC) - at) < timedelta(minutes=5)
    assert doc.meta["etag"]
    again = ObjectStore(url, load_registry(), options=s3_options)  # the next run
    assert {i.source_path: i.receipt for i in again.scan()} == {k: i.receipt for k, i in items.items()}

    again.acknowledge(doc, "accepted")
    day = doc.received_at[:10].replace("-", "")
    moved = f"{bucket}/processed/{day}/解放路街道/2013年工作总结.docx"
    assert fs.cat_file(moved) == FILES["inbox/解放路街道/2013年工作总结.docx"]
    fs.invalidate_cache()
    assert not fs.exists(f"{bucket}/inbox/解放路街道/2013年工作总结.docx")
    assert len(store.scan()) == 2

    import s3fs

    uploader = s3fs.S3FileSystem(skip_instance_cache=True, **s3_options)  # another client
    uploader.pipe(f"{bucket}/inbox/未分类材料.xlsx", b"a corrected upload to the same key")
    fresh = {i.source_path: i for i in store.scan()}
    assert fresh["未分类材料.xlsx"].receipt != items["未分类材料.xlsx"].receipt


def test_crash_between_copy_and_removal_is_finished(s3_options: dict) -> None:
    fs, bucket = _bucket(s3_options)
    fs.pipe(f"{bucket}/报表.xlsx", b"two-plans table")
    store = ObjectStore(f"s3://{bucket}", load_registry(), options=s3_options, done_prefix="done/")
    (item,) = store.scan()
    day = item.received_at[:10].replace("-", "")
    fs.copy(f"{bucket}/报表.xlsx", f"{bucket}/done/{day}/报表.xlsx")  # the crashed run got this far
    assert [i.source_path for i in store.scan()] == ["报表.xlsx"]  # done/ inside: never scanned
    store.acknowledge(item, "already")
    fs.invalidate_cache()
    assert fs.find(bucket) == [f"{bucket}/done/{day}/报表.xlsx"]  # no 报表~1.xlsx
    assert store.scan() == []


def test_file_url_same_contract(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "千佛山街道").mkdir(parents=True)
    (inbox / "千佛山街道" / "工作总结.docx").write_bytes(b"qianfoshan summary")
    (inbox / "信息.txt").write_bytes("姚家街道妇联信息".encode())
    store = ObjectStore(inbox.as_uri() + "/", load_registry())
    items = {i.source_path: i for i in store.scan()}
    assert sorted(items) == ["信息.txt", "千佛山街道/工作总结.docx"]
    summary = items["千佛山街道/工作总结.docx"]
    assert summary.claimed_unit == "qianfoshan" and summary.source == "file"
    assert summary.path == inbox / "千佛山街道" / "工作总结.docx" and summary.read() == b"qianfoshan summary"
    mtime = (inbox / "信息.txt").stat().st_mtime
    assert items["信息.txt"].received_at == datetime.fromtimestamp(mtime, UTC).isoformat(timespec="seconds")
    assert {i.receipt for i in store.scan()} == {i.receipt for i in items.values()}
    for item in items.values():
        store.acknowledge(item, "accepted")
    day = summary.received_at[:10].replace("-", "")
    assert (tmp_path / "processed" / day / "千佛山街道" / "工作总结.docx").read_bytes() == b"qianfoshan summary"
    assert store.scan() == [] and not (inbox / "信息.txt").exists()


@pytest.mark.xdist_group("prefect")
def test_pipeline_reads_objects_lazily_and_moves_them(s3_options: dict, prefect_api: str,
                                                      sqlite_home: Path) -> None:
    from prefect import flow
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from archive.queries import submissions
    from archive.store import Archive
    from flows.ingest import run_connectors
    from flows.runtime import close_runtime, open_runtime
    from fulian.samples import bad
    from fulian.samples.spec import DocSpec
    from schemas.settings import Settings

    fs, bucket = _bucket(s3_options)
    spec = DocSpec(title="2013年工作总结", body=["2013年，我们共培训妇女326人。"])
    fs.pipe(f"{bucket}/inbox/趵突泉街道/总结.docx", bad._docx_bytes(spec))

    @flow(name="objects-test")
    def run() -> dict:
        rt = open_runtime()
        try:
            return run_connectors(rt, [ObjectStore(f"s3://{bucket}/inbox", rt.archive.registry,
                                                   options=s3_options)])
        finally:
            close_runtime(rt)

    with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
        assert run()["counts"] == {"accepted": 1}
        assert run()["counts"] == {}
    (row,) = submissions(Archive(Settings()))
    assert (row["original_name"], row["unit"]) == ("总结.docx", "趵突泉街道妇联")
    fs.invalidate_cache()
    assert [k.split("/", 2)[1] for k in fs.find(bucket)] == ["processed"]


def test_objects_over_the_size_limit_are_spooled_to_disk(s3_options: dict) -> None:
    fs, bucket = _bucket(s3_options)
    big, small = b"x" * 64, b"small"
    fs.pipe(f"{bucket}/in/大文件.pdf", big)
    fs.pipe(f"{bucket}/in/小文件.pdf", small)
    with ObjectStore(f"s3://{bucket}/in", load_registry(), options=s3_options, spool_above=32) as store:
        items = {i.original_name: i for i in store.scan()}
        spooled = items["大文件.pdf"].path
        assert spooled is not None and spooled.read_bytes() == big and items["大文件.pdf"].read() == big
        assert items["小文件.pdf"].path is None and items["小文件.pdf"].read() == small
        store.acknowledge(items["大文件.pdf"], "rejected")
        assert not spooled.exists() and [i.original_name for i in store.scan()] == ["小文件.pdf"]
        spool_dir = spooled.parent
    assert not spool_dir.exists()


def test_from_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import json

    from schemas.settings import Settings

    reg = load_registry()
    monkeypatch.delenv("FULIAN_OBJECTS_URL", raising=False)
    assert ObjectStore.from_settings(Settings(), reg) is None
    monkeypatch.setenv("FULIAN_OBJECTS_URL", (tmp_path / "in").as_uri())
    monkeypatch.setenv("FULIAN_OBJECTS_OPTIONS", json.dumps({"auto_mkdir": True}))
    monkeypatch.setenv("FULIAN_OBJECTS_DONE_PREFIX", "archived/")
    monkeypatch.setenv("FULIAN_MAX_FILE_SIZE", "1000")
    store = ObjectStore.from_settings(Settings(), reg)
    assert store is not None and store.done == str(tmp_path / "archived")
    assert store.spool_above == 1000 and store.fs.auto_mkdir is True
