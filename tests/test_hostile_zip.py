"""Issue 14: damaged ZIP packages and names no one should trust, through the real ingest flow.

A package whose member has a bad CRC, a damaged deflate stream, a method Python cannot
inflate (deflate64) or a local header that disagrees with the directory once crashed the
whole run (BadZipFile), every night. Now the package and each unreadable member are
rejected and every readable member goes on. Names with `..`, a root or a dot part, and
GBK bytes on disk, are recorded, never used as paths.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fulian.samples import hostile
from tests.hostile import assert_accounted, write_batch
from tests.test_hostile_pool import _rows
from tests.test_ingest_flow import run_ingest

pytestmark = pytest.mark.xdist_group("prefect")


def test_damaged_members_are_rejected_and_readable_members_go_on(prefect_api: str, sqlite_home: Path,
                                                                  tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    good = write_batch(drop, {})
    expect: dict[str, set[str]] = {}
    members: list[str] = []
    for k, (name, (make, reason)) in enumerate(hostile.ZIP_MEMBERS.items()):
        data, inside = hostile.package(make(), first=40 + 10 * k)
        pkg = f"材料打包{k}.zip"
        (drop / pkg).write_bytes(data)
        expect[pkg] = {"corrupt"}
        expect[f"{pkg}/{name}"] = {reason}
        members += [f"{pkg}/{m}" for m in inside]
    run_ingest(prefect_api, drop)
    rows = _rows(sqlite_home)
    by = assert_accounted(rows, good + members, expect)
    assert by["材料打包3.zip"]["detail"] == "1 of 3 members unreadable"
    assert {by[m]["status"] for m in members} == {"accepted"}


def test_unsafe_and_undecodable_names_are_recorded_never_followed(prefect_api: str, sqlite_home: Path,
                                                                  tmp_path: Path) -> None:
    from archive.queries import events
    from archive.store import Archive
    from schemas.settings import Settings

    drop = tmp_path / "drop"
    good = write_batch(drop, {})
    doc = hostile.good_docx("建新", 7)[1]
    unsafe = [hostile.raw_member(n, hostile.good_docx("东关", i)[1]) for i, n in enumerate(hostile.UNSAFE_MEMBERS)]
    gbk = hostile.raw_member("东关街道/工作信息.docx".encode("gbk"), hostile.good_docx("东关", 9)[1], utf8=False)
    (drop / "名字危险.zip").write_bytes(hostile.raw_zip([*unsafe, gbk]))
    (drop / ".隐藏的总结.docx").write_bytes(doc)
    os.makedirs(tmp_path / "drop" / ".回收站", exist_ok=True)
    (drop / ".回收站" / "旧文件.docx").write_bytes(hostile.good_docx("建新", 8)[1])
    raw_dir = os.fsencode(drop)
    for raw in ("泉城路街道妇联工作信息".encode("gbk") + b".docx", b"\xff\xfe\x81.docx"):
        with open(raw_dir + b"/" + raw, "wb") as fh:
            fh.write(hostile.good_docx("泉城路", len(raw))[1])

    run_ingest(prefect_api, drop)
    rows = _rows(sqlite_home)
    members = [f"名字危险.zip/{n}" for n in hostile.UNSAFE_MEMBERS]
    odd = "\ufffd\ufffd\ufffd.docx"  # neither UTF-8 nor GB18030: shown with marks, bytes kept
    by = assert_accounted(rows, [*good, "泉城路街道妇联工作信息.docx", odd, "名字危险.zip/东关街道/工作信息.docx"],
                          {**{m: {"unsafe_name"} for m in members}, ".隐藏的总结.docx": {"unsafe_name"},
                           ".回收站/旧文件.docx": {"unsafe_name"}},
                          extra=1)  # the package itself
    assert by["名字危险.zip"]["status"] == "accepted"
    assert by["名字危险.zip/东关街道/工作信息.docx"]["unit"] == "东关街道妇联"
    recorded = events(Archive(Settings()), limit=1000, action="submission.recorded")
    hexes = {e["details"]["name"]: (e["details"].get("channel") or {}).get("name_bytes_hex") for e in recorded}
    assert hexes["泉城路街道妇联工作信息.docx"] == ("泉城路街道妇联工作信息".encode("gbk") + b".docx").hex()
    assert hexes["工作信息.docx"] == "东关街道/工作信息.docx".encode("gbk").hex()
    assert hexes[odd] == b"\xff\xfe\x81.docx".hex()
    assert not list(tmp_path.glob("**/逃逸.docx")) and not Path("/etc/绝对路径.docx").exists()
