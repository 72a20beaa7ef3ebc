"""Issue 14: ID and phone numbers in FILE NAMES are masked wherever names are shown.

A real `fulian ingest` of good files, two of them named with personal numbers (an 18-digit ID,
a mobile; an ID typed in groups, a landline with area code, a +86 mobile, a 15-digit ID). The
unmasked digits must appear in no CLI listing, no web page or API answer for a unit user or
a statistician, and no audit event written by the run; the archive record keeps the original
name, which an archivist sees on the document's own page.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from fulian.samples.bad import _docx_bytes
from fulian.samples.spec import DocSpec
from tests.conftest import run_cli
from tests.hostile import write_batch

pytestmark = pytest.mark.xdist_group("prefect")

_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _valid_id(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _W, strict=True)) % 11]


SPACED = _valid_id("37010219750315002")
NAMES = {  # name as received → the same name as shown
    "张三_370102198001011234_13812345678.docx": "张三_370102********1234_138****5678.docx",
    f"李四_{SPACED[:6]} {SPACED[6:14]} {SPACED[14:]}_(0531)86122061_+86 139 1234 5678_370102800101123.docx":
        f"李四_{SPACED[:6]} ******** {SPACED[14:]}_(0531)****2061_+86 139****5678_370102******123.docx",
}
# What masking hides: birth dates, whole phone numbers, the middle of a mobile.
SECRETS = ("19800101", "13812345678", "19750315", "86122061", "139 1234", "370102800101", "8613912345678")


def _report(n: int) -> bytes:
    """A work report of 泉城路 with a value (so the file is listed among indicators too)."""
    return _docx_bytes(DocSpec(title=f"泉城路街道妇联2013年{n}月工作信息", body=[
        f"2013年{n}月，泉城路街道妇联举办培训，全年共培训妇女{300 + n}人。"],
        signature=["泉城路街道妇联", f"2013年{n}月20日"]))


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def test_personal_numbers_in_file_names_never_leave_the_record(prefect_api: str, home: Path,
                                                                 tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    write_batch(drop, {}, goods=3)
    for k, name in enumerate(NAMES):
        (drop / name).write_bytes(_report(k + 5))
    env = {"PREFECT_API_URL": prefect_api}
    shown = {"ingest": run_cli("ingest", str(drop), env=env).stdout}
    for args in (("submissions",), ("submissions", "--format", "json"), ("submissions", "--format", "csv"),
                 ("indicators", "--year", "2013"), ("indicators", "--year", "2013", "--format", "json"),
                 ("pending", "--format", "json"), ("log", "--limit", "500"),
                 ("log", "--limit", "500", "--format", "json")):
        shown[" ".join(args)] = run_cli(*args, env=env).stdout
    subs = json.loads(shown["submissions --format json"])
    assert {s["source_path"] for s in subs} >= set(NAMES.values())
    assert all(s["status"] == "accepted" for s in subs), subs
    paths = {r["source_path"] for r in json.loads(shown["indicators --year 2013 --format json"])}
    assert set(NAMES.values()) <= paths  # the masked names are there, so the check below can fail
    for what, text in shown.items():
        assert not _leaks(text), (what, _leaks(text))

    from sqlalchemy import select

    from archive.models import AuditEvent, Submission
    from archive.store import Archive
    from schemas.settings import Settings

    archive = Archive(Settings())
    with archive.db.reader() as s:
        kept = dict(s.execute(select(Submission.original_name, Submission.id)).all())
        details = s.execute(select(AuditEvent.details)).scalars().all()
    assert set(NAMES) <= set(kept)  # the record keeps the name as received
    assert any("张三_370102********1234" in d for d in details)
    assert not _leaks("\n".join(details))  # events are write-once: masked before they are written

    _web_shows_masked_names(archive, kept)
    _packet_shows_masked_names(archive, tmp_path / "packet")


def _packet_text(path: Path) -> str:
    """Every text a packet file holds: JSON and manifests as they are, the XML inside its XLSX,
    DOCX and ZIP, the text of its PDF pages."""
    import zipfile

    import pypdfium2

    if path.suffix in (".zip", ".xlsx", ".docx"):
        with zipfile.ZipFile(path) as zf:
            return "\n".join(zf.read(n).decode("utf-8", "ignore") for n in zf.namelist())
    if path.suffix == ".pdf":
        pdf = pypdfium2.PdfDocument(path)
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    return path.read_bytes().decode("utf-8", "ignore")


def _packet_shows_masked_names(archive, out: Path) -> None:  # noqa: ANN001
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from flows.packets import Options, build_packets

    (built,) = build_packets(archive, 2013, Options(out, store=False), unit="quanchenglu",
                             as_of=datetime(2014, 2, 28, 23, 59, 59, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert built.error is None, built.error
    texts = {p.name: _packet_text(p) for p in out.rglob("*") if p.is_file()}
    assert any(NAMES[next(iter(NAMES))] in t for name, t in texts.items() if name.endswith(".json"))
    for name, text in texts.items():
        assert not _leaks(text), (name, _leaks(text))


def _web_shows_masked_names(archive, kept: dict[str, int]) -> None:  # noqa: ANN001
    from tests.web_site import add_users, signed_in

    add_users(archive)
    first = next(iter(NAMES))
    doc = kept[first]
    pages = ("/", "/submissions", f"/submissions/{doc}", "/submissions?text=培训妇女", "/indicators?year=2013",
             "/quality?year=2013", "/completeness?year=2013", "/api/submissions", "/api/indicators?year=2013",
             "/api/quality?year=2013", "/api/completeness?year=2013")
    for user in ("qcl", "stat1"):  # a unit user of 泉城路 and a statistician
        web = signed_in(user)
        for page in pages:
            r = web.get(page)
            assert r.status_code == 200, (user, page, r.text[:300])
            assert not _leaks(r.text), (user, page, _leaks(r.text))
        assert NAMES[first] in web.get("/submissions").text
        assert "共 0 件" in web.get("/submissions", params={"path": first}).text  # no guessing whole names
        assert NAMES[first] in {s["source_path"] for s in web.get("/api/submissions").json()}
    unit = signed_in("qcl").get(f"/submissions/{doc}/download")  # its own file: masked name
    assert unit.status_code == 200 and not _leaks(unit.headers["content-disposition"])
    staff = signed_in("arch1")
    assert first in staff.get(f"/submissions/{doc}").text  # on the document's own page only
    assert not _leaks(staff.get("/submissions").text)
    assert "共 1 件" in staff.get("/submissions", params={"path": first}).text
    assert quote(first) in staff.get(f"/submissions/{doc}/download").headers["content-disposition"]


def test_quality_findings_and_reports_show_masked_names(prefect_api: str, sqlite_home: Path,
                                                        tmp_path: Path) -> None:
    """A two-plans table with planted defects, sent under a name holding a phone number: the
    findings (CLI, web page, API) and the stored HTML/XLSX reports name it masked."""
    import shutil

    from tests.web_site import add_users, signed_in

    tables = Path(__file__).parent / "realtables"
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(tables / "clean" / "jiefanglu_2023.csv", drop / "jiefanglu_2023.csv")
    name = "文东两规_联系人13812345678_(0531)86122061.csv"
    shutil.copy(tables / "planted" / "wendong_2023.csv", drop / name)
    env = {"PREFECT_API_URL": prefect_api}
    shown = {"ingest": run_cli("ingest", str(drop), env=env).stdout,
             "quality": run_cli("quality", "--year", "2023", env=env).stdout,
             "quality json": run_cli("quality", "--year", "2023", "--format", "json", env=env).stdout}
    paths = {f["source_path"] for f in json.loads(shown["quality json"])}
    assert "文东两规_联系人138****5678_(0531)****2061.csv" in paths  # findings name the file, masked
    reports = [p for p in (sqlite_home / "reports").rglob("*") if p.suffix in (".html", ".xlsx")]
    assert reports
    for report in reports:
        shown[report.name] = _packet_text(report)

    from archive.store import Archive
    from schemas.settings import Settings

    add_users(Archive(Settings()))
    web = signed_in("stat1")
    for page in ("/quality?year=2023", "/api/quality?year=2023", "/indicators?year=2023"):
        shown[page] = web.get(page).text
    assert "138****5678" in shown["/quality?year=2023"]
    for what, text in shown.items():
        assert not _leaks(text), (what, _leaks(text))


def test_audit_details_hold_no_raw_bytes_of_a_name_with_personal_numbers() -> None:
    from archive.audit import masked_details

    name = "张三13812345678.docx"
    d = masked_details({"name": name, "source_uri": "file:///in/%E5%BC%A0%E4%B8%8913812345678.docx",
                        "channel": {"name_bytes_hex": name.encode("gbk").hex(), "note": "电话13812345678"}})
    assert d["name"] == "张三138****5678.docx" and d["source_uri"] == "file:///in/张三138****5678.docx"
    assert d["channel"] == {"note": "电话138****5678"}  # the GBK bytes spelled the number
    plain = masked_details({"name": "总结.docx", "source_uri": "file:///in/%E6%80%BB%E7%BB%93.docx",
                            "channel": {"name_bytes_hex": "d7dcbde12e646f6378"}})
    assert plain["channel"] == {"name_bytes_hex": "d7dcbde12e646f6378"}  # kept: nothing to hide
