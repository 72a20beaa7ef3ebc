"""The real pipeline (Prefect flow, extraction workers, archive) on real files, good and bad."""

from __future__ import annotations

from pathlib import Path

import pytest

from fulian.samples import bad
from fulian.samples.office import write_docx
from fulian.samples.spec import DocSpec

pytestmark = pytest.mark.xdist_group("prefect")


def summary_spec(street: str, year: int = 2013, trained: int = 326) -> DocSpec:
    return DocSpec(
        title=f"{street}街道妇联{year}年工作总结",
        body=[f"{year}年，我街道妇联围绕中心工作，共培训妇女{trained}人，举办妇女专场招聘会2场。"],
        signature=[f"{street}街道妇女联合会", f"{year}年12月20日"],
    )


def run_ingest(prefect_api: str, *paths: Path) -> dict:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.ingest import ingest

    with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
        return ingest(paths=[str(p) for p in paths])


def run_uploads(prefect_api: str, files: list[tuple[str, bytes]]) -> dict:
    """Files that arrive in memory (web upload, mail) under names no disk would accept."""
    from prefect import flow
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from connectors.upload import Upload, UploadConnector
    from flows.ingest import run_connectors
    from flows.runtime import close_runtime, open_runtime

    @flow(name="upload-test")
    def uploads() -> dict:
        rt = open_runtime()
        try:
            return run_connectors(rt, [UploadConnector([Upload(n, d) for n, d in files])])
        finally:
            close_runtime(rt)

    with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
        return uploads()


def docx_bytes(spec: DocSpec) -> bytes:
    return bad._docx_bytes(spec)


def by_path(rows: list[dict]) -> dict[str, dict]:
    return {r["source_path"]: r for r in rows}


def test_bad_inputs_get_their_reason_and_the_batch_goes_on(prefect_api: str, home: Path,
                                                           tmp_path: Path) -> None:
    from archive.queries import submissions
    from archive.store import Archive
    from schemas.settings import Settings

    drop = tmp_path / "drop"
    unit_dir = drop / "泉城路街道妇联"
    unit_dir.mkdir(parents=True)
    bad.write_empty(drop / "空文件.docx")
    bad.write_truncated_docx(drop / "截断的总结.docx")
    bad.write_encrypted_pdf(drop / "加密的信息.pdf")
    bad.write_zip_bomb(drop / "压缩炸弹.docx")
    info = DocSpec(title="泉城路街道妇联2013年11月工作信息",
                   body=["11月5日，泉城路街道妇联举办家庭教育讲座，参加家长80人。"])
    bad.write_mislabelled_pdf(unit_dir / "其实是PDF.docx", info)
    write_docx(drop / "解放路街道2013年工作总结.docx", summary_spec("解放路"))

    result = run_ingest(prefect_api, drop)
    assert result["counts"].get("rejected") == 4
    long_name = ("关于二〇一三年度妇女儿童工作开展情况及下一步工作打算的总结报告" * 8)[:200] + ".docx"
    uploaded = run_uploads(prefect_api, [(long_name, docx_bytes(summary_spec("千佛山")))])
    assert uploaded["counts"] == {"accepted": 1}

    rows = by_path(submissions(Archive(Settings())))
    expect = {"空文件.docx": ("rejected", "empty"), "截断的总结.docx": ("rejected", "corrupt"),
              "加密的信息.pdf": ("rejected", "encrypted"), "压缩炸弹.docx": ("rejected", "archive_bomb"),
              "泉城路街道妇联/其实是PDF.docx": ("accepted", None),
              long_name: ("accepted", None),
              "解放路街道2013年工作总结.docx": ("accepted", None)}
    assert {k: (v["status"], v["reason"]) for k, v in rows.items()} == expect
    assert rows["泉城路街道妇联/其实是PDF.docx"]["unit"] == "泉城路街道妇联"
    assert rows["解放路街道2013年工作总结.docx"]["period"] == "2013"
    assert rows["泉城路街道妇联/其实是PDF.docx"]["doc_type"] == "info_report"
    assert len(Path(long_name).stem) == 200 and rows[long_name]["unit"] == "千佛山街道妇联"


def test_rerun_of_the_same_folder_is_a_no_op(prefect_api: str, home: Path, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    for street in ("解放路", "千佛山", "趵突泉"):
        write_docx(drop / f"{street}街道2013年工作总结.docx", summary_spec(street))
    first = run_ingest(prefect_api, drop)
    second = run_ingest(prefect_api, drop)
    assert first["counts"] == {"accepted": 3}
    assert second["counts"] == {}


def test_legacy_doc_files_of_a_batch_are_converted_together(prefect_api: str, home: Path,
                                                            tmp_path: Path) -> None:
    from archive.queries import submissions
    from archive.store import Archive
    from fulian.samples.legacy import write_docs
    from schemas.settings import Settings

    drop = tmp_path / "drop"
    drop.mkdir()
    write_docs([(drop / f"{s}街道2013年工作总结.doc", summary_spec(s)) for s in ("燕山", "姚家", "龙洞")])
    result = run_ingest(prefect_api, drop)
    assert result["counts"] == {"accepted": 3}
    rows = submissions(Archive(Settings()))
    assert {(r["unit"], r["period"], r["doc_type"]) for r in rows} == {
        (f"{s}街道妇联", "2013", "work_summary") for s in ("燕山", "姚家", "龙洞")}


def _zip_with_gbk_names(path: Path, members: list[tuple[str, bytes]]) -> Path:
    """A ZIP as Chinese Windows writes it: names in GBK bytes, no UTF-8 flag."""
    import zipfile

    placeholders = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (name, data) in enumerate(members):
            gbk = name.encode("gbk")
            fake = (f"m{i}_" + "x" * len(gbk))[: len(gbk)]
            placeholders.append((fake.encode("ascii"), gbk))
            zf.writestr(fake, data)
    raw = path.read_bytes()
    for fake, gbk in placeholders:
        raw = raw.replace(fake, gbk)
    path.write_bytes(raw)
    return path


def test_a_zip_package_is_opened_and_each_file_recorded(prefect_api: str, home: Path,
                                                        tmp_path: Path) -> None:
    from archive.queries import submissions
    from archive.store import Archive
    from schemas.settings import Settings

    drop = tmp_path / "drop"
    drop.mkdir()
    _zip_with_gbk_names(drop / "材料打包.zip", [
        ("泉城路街道妇联/2013年工作总结.docx", docx_bytes(summary_spec("泉城路"))),
        ("解放路2013年工作总结.docx", docx_bytes(summary_spec("解放路"))),
    ])
    result = run_ingest(prefect_api, drop)
    assert result["counts"] == {"accepted": 3}
    rows = by_path(submissions(Archive(Settings())))
    assert rows["材料打包.zip"]["status"] == "accepted"
    assert "2 files" in rows["材料打包.zip"]["detail"]
    inner = rows["材料打包.zip/泉城路街道妇联/2013年工作总结.docx"]
    assert (inner["unit"], inner["period"], inner["doc_type"]) == ("泉城路街道妇联", "2013", "work_summary")
    assert rows["材料打包.zip/解放路2013年工作总结.docx"]["unit"] == "解放路街道妇联"
    assert run_ingest(prefect_api, drop)["counts"] == {}  # the package is one receipt: not again
