"""The upload spool: atomic writes, the size limit, the connector's scan and acknowledge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.spool import SpoolConnector, SpoolWriter, TooLarge, pending
from schemas.units import load_registry


def spool_one(spool: Path, data: bytes, name: str, unit: str | None = "quanchenglu"):
    w = SpoolWriter(spool, max_size=1024)
    for i in range(0, len(data), 7):  # several chunks, as a stream delivers them
        w.write(data[i:i + 7])
    return w.commit(name, unit, note="第一批")


def test_commit_writes_bytes_and_json_under_the_id_never_the_name(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    name = "../../" + "妇" * 200 + ".docx"
    meta = spool_one(spool, b"PK\x03\x04 some bytes", name)
    assert sorted(p.name for p in spool.iterdir()) == sorted([meta.id, f"{meta.id}.json"])
    raw = json.loads((spool / f"{meta.id}.json").read_text(encoding="utf-8"))
    assert raw["original_name"] == name and raw["unit"] == "quanchenglu" and raw["note"] == "第一批"
    assert raw["size"] == 15 and len(raw["sha256"]) == 64 and raw["received_at"].endswith("+00:00")
    assert (spool / meta.id).read_bytes() == b"PK\x03\x04 some bytes"
    assert not (tmp_path / "妇").exists() and not any(tmp_path.rglob("*.docx"))


def test_oversize_stream_is_refused_and_abort_leaves_nothing(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    w = SpoolWriter(spool, max_size=10)
    w.write(b"x" * 10)
    with pytest.raises(TooLarge):
        w.write(b"y")
    w.abort()
    assert list(spool.iterdir()) == []


def test_an_unfinished_upload_is_not_picked_up(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    SpoolWriter(spool, max_size=10).write(b"half")  # never committed: a crash mid-upload
    (spool / "0000.json").write_text("{not json", encoding="utf-8")  # broken metadata stays put
    assert pending(spool) == []
    assert SpoolConnector(spool, load_registry()).scan() == []
    assert (spool / "0000.json").exists()


def test_scan_gives_items_with_claimed_unit_and_acknowledge_moves_both_files(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    good = spool_one(spool, b"abc", "总结.docx")
    stray = spool_one(spool, b"def", "信息.docx", unit="no-such-unit")
    conn = SpoolConnector(spool, load_registry())
    items = {i.original_name: i for i in conn.scan()}
    assert items["总结.docx"].claimed_unit == "quanchenglu"
    assert items["信息.docx"].claimed_unit is None  # an unknown code claims nothing
    assert items["总结.docx"].read() == b"abc" and items["总结.docx"].source == "upload"
    assert items["总结.docx"].receipt == good.receipt != stray.receipt
    conn.acknowledge(items["总结.docx"], "accepted")
    assert sorted(p.name for p in (spool / "done").iterdir()) == sorted([good.id, f"{good.id}.json"])
    assert [i.original_name for i in conn.scan()] == ["信息.docx"]


def test_a_crash_between_the_two_moves_is_finished_by_the_next_scan(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    meta = spool_one(spool, b"abc", "总结.docx")
    (spool / "done").mkdir()
    (spool / meta.id).rename(spool / "done" / meta.id)  # bytes moved, JSON not yet
    assert SpoolConnector(spool, load_registry()).scan() == []
    assert (spool / "done" / f"{meta.id}.json").exists() and not (spool / f"{meta.id}.json").exists()
