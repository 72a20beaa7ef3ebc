"""The web face on a real archive: uploads into the spool, the nightly run archives them, pages and API."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fulian.samples import bad
from fulian.samples.spec import DocSpec
from schemas.settings import Settings

pytestmark = pytest.mark.xdist_group("prefect")
ROOT = Path(__file__).resolve().parents[1]
PAGES = ("/", "/upload", "/submissions", "/indicators?year=2013", "/completeness?year=2013",
         "/quality?year=2013")


def contract_fields(command: str) -> list[str]:
    """Field names of one section of docs/contracts.md, in order."""
    doc = (ROOT / "docs" / "contracts.md").read_text(encoding="utf-8")
    section = doc.split(f"## `fulian {command}`", 1)[1].split("\n## ", 1)[0]
    fields: list[str] = []
    for line in section.splitlines():
        if line.startswith("| `"):
            fields += re.findall(r"`([a-z_0-9]+)`", line.split("|")[1])
    return fields


def summary_docx() -> bytes:
    """A work summary that does not name its unit: only the uploader's choice tells it."""
    return bad._docx_bytes(DocSpec(title="2013年工作总结",
                                   body=["2013年，我们围绕中心工作，共培训妇女326人，举办妇女专场招聘会2场。"],
                                   signature=["2013年12月20日"]))


def client(**overrides) -> TestClient:  # noqa: ANN003
    """An archivist's logged-in session (the account is made here if it is not there yet)."""
    from archive.accounts import add_user
    from archive.models_accounts import User
    from archive.store import Archive
    from fulian.web.app import create_app
    from tests.web_site import PASSWORD, log_in

    archive = Archive(Settings(**overrides))
    with archive.db.writer() as s:
        if s.query(User).filter_by(name="archivist").first() is None:
            log = archive.audit(s)
            add_user(s, log, "archivist", PASSWORD, "archivist")
            log.flush()
    web = TestClient(create_app(Settings(**overrides)))
    assert log_in(web, "archivist").status_code == 200
    web.headers["x-test-csrf"] = re.search(r'name="csrf" value="([^"]+)"', web.get("/upload").text).group(1)
    return web


def form(web: TestClient, **fields: str) -> dict:
    return {**fields, "csrf": web.headers["x-test-csrf"]}


def spool_files(home: Path) -> list[Path]:
    spool = home / "spool"
    return sorted(p for p in spool.iterdir() if p.is_file()) if spool.exists() else []


def run_nightly(prefect_api: str) -> dict:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.nightly import nightly

    with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
        return nightly(settle_seconds=0)


def test_upload_is_spooled_then_archived_by_the_nightly_run(prefect_api: str, sqlite_home: Path) -> None:
    web = client()
    name = "../../" + bad.long_chinese_name(200)
    data = summary_docx()
    r = web.post("/upload", data=form(web, unit="quanchenglu", note="请查收"),
                 files=[("files", (name, io.BytesIO(data),
                                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))])
    assert r.status_code == 200, r.text
    assert "已收到" in r.text and "下一次归档运行" in r.text
    (meta_path,) = [p for p in spool_files(sqlite_home) if p.suffix == ".json"]
    upload_id = meta_path.stem
    assert upload_id in r.text  # the receipt id shown to the uploader
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["original_name"] == name and meta["unit"] == "quanchenglu" and meta["note"] == "请查收"
    assert meta["size"] == len(data) and (sqlite_home / "spool" / upload_id).read_bytes() == data
    assert not any(p.name.endswith(".docx") for p in sqlite_home.parent.rglob("*"))

    result = run_nightly(prefect_api)
    assert result["counts"] == {"accepted": 1}
    assert spool_files(sqlite_home) == []
    assert sorted(p.name for p in (sqlite_home / "spool" / "done").iterdir()) == \
        sorted([upload_id, f"{upload_id}.json"])
    assert run_nightly(prefect_api)["counts"] == {}  # done/ is not scanned again

    subs = web.get("/api/submissions").json()
    assert [s["source_path"] for s in subs] == [name]
    assert subs[0]["unit"] == "泉城路街道妇联" and subs[0]["period"] == "2013"
    check_pages_and_api(web, name)


def check_pages_and_api(web: TestClient, name: str) -> None:
    from archive.queries import submissions
    from archive.store import Archive

    (sub,) = submissions(Archive(Settings()))
    detail = web.get(f"/submissions/{sub['id']}").text
    assert f"sha256:{sub['sha256']}" in detail and re.search(r"sm3:[0-9a-f]{64}", detail)
    assert "已归档" in detail and "submission.recorded" in detail
    assert "培训妇女326人" in detail  # the value's evidence from the newest extraction
    listing = web.get("/submissions", params={"status": "accepted", "unit": "quanchenglu",
                                              "period": "2013", "doc_type": "work_summary"}).text
    assert f"/submissions/{sub['id']}" in listing
    empty = web.get("/submissions", params={"status": "rejected"}).text
    assert f"/submissions/{sub['id']}" not in empty and "共 0 件" in empty
    indicators = web.get("/indicators", params={"year": 2013}).text
    assert "326" in indicators and "泉城路" in indicators
    assert "泉城路街道妇联" in web.get("/completeness", params={"year": 2013}).text
    for command, path in (("submissions", "/api/submissions"), ("indicators", "/api/indicators?year=2013"),
                          ("completeness", "/api/completeness?year=2013")):
        rows = web.get(path).json()
        assert rows and all(list(r) == contract_fields(command) for r in rows), command
    assert any(r["code"] == "dev.women_trained" and r["value"] == 326
               for r in web.get("/api/indicators?year=2013").json())


def test_pages_render_in_chinese_without_external_references(sqlite_home: Path) -> None:
    web = client()
    expected = {"/": "收件状态", "/upload": "报送单位", "/submissions": "文档",
                "/indicators?year=2013": "指标值", "/completeness?year=2013": "图例",
                "/quality?year=2013": "数据质量"}
    for path in PAGES:
        r = web.get(path)
        assert r.status_code == 200, path
        assert expected[path] in r.text
        assert "http://" not in r.text and "https://" not in r.text and "//" not in r.text.replace(
            "<!doctype", ""), path
    assert web.get("/submissions/999").status_code == 404
    report = web.get("/quality/report.xlsx", params={"year": 2013})
    assert report.status_code == 404  # a visit to /quality computes nothing (reading does not write)
    assert web.get("/docs").status_code == 404  # Swagger UI would load scripts from a CDN


def test_upload_page_lists_streets_and_confirmed_communities_only(sqlite_home: Path) -> None:
    from archive.records import register_community
    from archive.store import Archive

    archive = Archive(Settings())
    with archive.db.writer() as s:
        log = archive.audit(s)
        register_community(s, log, {"name": "甸柳新村测试社区", "parent": "quanchenglu"})
        log.flush()
    page = client().get("/upload").text
    assert "泉城路街道妇联" in page and "甸柳新村测试社区" not in page


def test_oversize_upload_is_refused_with_413_and_nothing_kept(sqlite_home: Path) -> None:
    web = client(max_file_size=2048)
    files = [("files", ("小.docx", io.BytesIO(b"x" * 100))), ("files", ("大.docx", io.BytesIO(b"y" * 5000)))]
    r = web.post("/upload", data=form(web, unit="quanchenglu"), files=files)
    assert r.status_code == 413
    assert "大.docx" in r.text and "超过大小上限" in r.text
    assert spool_files(sqlite_home) == []


def test_upload_needs_a_known_unit_and_a_file_and_escapes_names(sqlite_home: Path) -> None:
    web = client()
    r = web.post("/upload", data=form(web, unit="nowhere"), files=[("files", ("a.docx", io.BytesIO(b"abc")))])
    assert r.status_code == 400 and "请选择报送单位" in r.text and spool_files(sqlite_home) == []
    r = web.post("/upload", data=form(web, unit="quanchenglu"), files=[("files", ("", io.BytesIO(b"")))])
    assert r.status_code == 400 and "请选择要上传的文件" in r.text
    evil = "<script>alert(1)</script>.docx"
    r = web.post("/upload", data=form(web, unit="quanchenglu"), files=[("files", (evil, io.BytesIO(b"abc")))])
    assert r.status_code == 200 and "<script>alert" not in r.text and "&lt;script&gt;" in r.text


def test_quality_api_and_page_show_the_stored_findings(sqlite_home: Path) -> None:
    from archive.analysis import archive_state, store_quality_run
    from archive.store import Archive
    from schemas.findings import Finding

    archive = Archive(Settings())
    finding = Finding(unit="quanchenglu", unit_name="泉城路街道妇联", year=2013,
                      indicator="cp.infant_mortality", name="婴儿死亡率", kind="percent_out_of_range",
                      severity="error", observed="120", expected="0–1000", message="婴儿死亡率超出范围。",
                      source_path="两规.xlsx", sha256="a" * 64, location="Sheet1!C7",
                      rule="ExpectColumnValuesToBeBetween",
                      reference="区内其他单位中位数5.1，MAD 0.8",
                      context={"label": "婴儿死亡率", "header": "本期", "cell": "120", "above": "<b>5</b>"})
    store_quality_run(archive, 2013, archive_state(archive), [finding.model_dump(mode="json")], None, None)
    web = client()
    rows = web.get("/api/quality", params={"year": 2013}).json()
    assert [list(r) for r in rows] == [contract_fields("quality")]
    assert rows[0]["unit"] == "泉城路街道妇联" and rows[0]["kind"] == "percent_out_of_range"
    assert rows[0]["rule"] == "ExpectColumnValuesToBeBetween" and rows[0]["reference"].startswith("区内")
    page = web.get("/quality", params={"year": 2013}).text
    assert "婴儿死亡率超出范围。" in page and "Sheet1!C7" in page
    assert "<th>检查规则</th><th>参照值</th>" in page
    assert "<td>ExpectColumnValuesToBeBetween</td><td>区内其他单位中位数5.1，MAD 0.8</td>" in page
    assert "<td>行：婴儿死亡率；列：本期；上：&lt;b&gt;5&lt;/b&gt;</td>" in page  # escaped
    # the finding links to its file by content (its path may be shown masked)
    assert f'<a href="/submissions?sha256={"a" * 64}">两规.xlsx</a>' in page
    assert web.get("/quality/report.html", params={"year": 2013}).status_code == 404  # none stored
