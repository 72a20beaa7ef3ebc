# ruff: noqa: F811  (module fixtures imported from tests.packet_year are parameters here)
"""What a packet's files hold: the DOCX layout, the PDF's text and embedded fonts, the bag,
the ZIP kept in the archive, tamper detection, and bonus points audited with who gave them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pypdfium2
import pytest
from docx.shared import Mm, Pt
from sqlalchemy import select

from archive.models import AuditEvent
from archive.packets_store import AREA, award_bonus
from archive.store import Archive
from flows.packet_verify import verify_packet
from flows.packets import Built, Options, build_packets
from tests.conftest import run_cli
from tests.packet_year import AS_OF, year_archive, year_env  # noqa: F401 (fixtures)

pytestmark = pytest.mark.xdist_group("packets")


@pytest.fixture(scope="module")
def jfl(year_archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("packet-out")
    (built,) = build_packets(year_archive, 2013, Options(out, doc_number="历下妇发〔2014〕3号"),
                             unit="jiefanglu", as_of=AS_OF)
    assert built.error is None
    return built


def _file(built: Built, suffix: str) -> Path:
    return next((built.files[0] / "data").glob(f"*{suffix}"))


def test_docx_follows_gb_t_9704(jfl: Built) -> None:
    document = docx.Document(str(_file(jfl, ".docx")))
    sec = document.sections[0]
    def mm(emu: int) -> float:  # Word stores twips: compare to 0.1 mm
        return round(emu / Mm(1), 1)

    assert (mm(sec.page_width), mm(sec.page_height)) == (210, 297)
    assert mm(sec.page_width - sec.left_margin - sec.right_margin) == 156
    assert mm(sec.page_height - sec.top_margin - sec.bottom_margin) == 225
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "历下妇发〔2014〕3号"
    title = next(p for p in document.paragraphs if p.text.startswith("2013年度基层妇联工作考评资料"))
    assert title.runs[0].font.size == Pt(22)
    assert title.runs[0].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "方正小标宋简体"
    assert "一、考评表" in texts and "二、需补充或核实的材料" in texts
    body = next(p for p in document.paragraphs if p.text.startswith("根据历下妇发"))
    assert body.runs[0].font.size == Pt(16) and "41.24分" in body.text
    date = document.paragraphs[-1]
    assert date.text == "2014年2月28日" and date.paragraph_format.right_indent == Pt(16) * 4
    footer = sec.footer.paragraphs[0]
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    assert "PAGE" in footer._p.xml
    scores = document.tables[0]
    assert [c.text for c in scores.rows[0].cells] == ["项目", "考评内容", "分值", "自评", "区评", "考评方式说明",
                                                        "自评差异"]


def test_pdf_text_fonts_and_rendering(jfl: Built, tmp_path: Path) -> None:
    pdf = _file(jfl, ".pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "解放路街道妇联" in text and "考评表" in text and "41.24" in text and "无资料" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(r[-5] == "yes" for r in rows), fonts  # the emb column: every font embedded
    page = pypdfium2.PdfDocument(str(pdf))[0]
    image = page.render(scale=1).to_pil().convert("L")
    image.save(tmp_path / "page1.png")
    dark = sum(1 for v in image.getdata() if v < 128)
    assert dark > 2000, "first page looks blank"


def test_bag_validates_with_bagit_and_names_the_archive_state(jfl: Built) -> None:
    folder, zipped = jfl.files
    proc = subprocess.run([sys.executable, str(Path(sys.executable).with_name("bagit.py")),
                           "--validate", str(folder)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    info = (folder / "bag-info.txt").read_text(encoding="utf-8")
    assert "Fulian-Year: 2013" in info and "Fulian-Unit: jiefanglu" in info
    assert "Fulian-Archive-State: " in info and "Bagging-Date: 2014-02-28" in info
    assert "BagIt-Version: 1.0" in (folder / "bagit.txt").read_text()
    with zipfile.ZipFile(zipped) as z:
        names = z.namelist()
        assert names == sorted(names) and all(n.startswith("2013-jiefanglu/") for n in names)
        assert {i.date_time for i in z.infolist()} == {(2014, 2, 28, 23, 59, 58)}


def test_packet_is_stored_and_audited(year_archive: Archive, jfl: Built) -> None:
    assert year_archive.blobs.read(jfl.sha256, area=AREA) == jfl.files[1].read_bytes()
    with year_archive.db.reader() as s:
        events = s.execute(select(AuditEvent).where(AuditEvent.action == "packet.built")).scalars().all()
    details = [json.loads(e.details) for e in events]
    assert any(d["sha256"] == jfl.sha256 and d["scope"] == "jiefanglu" for d in details)
    assert {e.actor for e in events} == {"统计员小李"}


def test_verify_accepts_the_original_and_names_tampering(year_archive: Archive, year_env: dict, jfl: Built,
                                                         tmp_path: Path) -> None:
    folder, zipped = jfl.files
    for original in (folder, zipped):
        verdict = verify_packet(year_archive, original)
        assert verdict.intact and verdict.current, verdict.problems
    copy = shutil.copytree(folder, tmp_path / "copy")
    xlsx = next((copy / "data").glob("*.xlsx"))
    data = bytearray(xlsx.read_bytes())
    data[100] ^= 0x01  # one bit
    xlsx.write_bytes(bytes(data))
    verdict = verify_packet(year_archive, copy)
    assert not verdict.intact
    assert any(xlsx.name in p and "sha256" in p for p in verdict.problems), verdict.problems
    bad_zip = tmp_path / "tampered.zip"
    with zipfile.ZipFile(zipped) as src, zipfile.ZipFile(bad_zip, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info, body.replace(b"41.24", b"91.24") if info.filename.endswith(".json") else body)
    verdict = verify_packet(year_archive, bad_zip)
    assert not verdict.intact and any(".json" in p for p in verdict.problems), verdict.problems
    proc = run_cli("packet", "verify", str(bad_zip), check=False, env=year_env)
    assert proc.returncode == 1 and "核验未通过" in proc.stderr


def test_bonus_is_audited_with_the_user_and_counts(year_archive: Archive, year_env: dict,
                                                   jfl: Built, tmp_path: Path) -> None:
    run_cli("packet", "bonus", "--year", "2013", "--unit", "解放路", "--points", "3",
            "--reason", "首创“巾帼微家”服务模式", env={**year_env, "FULIAN_ACTOR": "区妇联王芳"})
    refused = run_cli("packet", "bonus", "--year", "2013", "--unit", "解放路", "--points", "9",
                      "--reason", "太多", check=False, env=year_env)
    assert refused.returncode == 2
    with year_archive.db.reader() as s:
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "bonus.awarded")).scalar_one()
    assert event.actor == "区妇联王芳" and json.loads(event.details)["points"] == 3
    assert verify_packet(year_archive, jfl.files[1]).current is False  # built before the award
    (after,) = build_packets(year_archive, 2013, Options(tmp_path / "after"), unit="jiefanglu",
                             as_of=AS_OF)
    assert after.total == 44.24
    rows = json.loads(_file(after, ".json").read_text())["sections"]["scorecard"]["rows"]
    bonus = next(r for r in rows if r["key"] == "bonus")
    assert bonus["score"] == 3 and "巾帼微家" in bonus["note"] and "区妇联王芳" in bonus["note"]
    award_bonus(year_archive, year=2013, unit="jiefanglu", points=0, reason="撤销：重复计分")


def test_masking_pass_and_unmasked_output_is_audited(year_archive: Archive, tmp_path: Path) -> None:
    from flows.packet_mask import mask_text

    said = "带头人李红（身份证号370102198503071234，电话13812345678），联系人：王丽丽；监护人：张**"
    assert mask_text(said) == "带头人李红（身份证号370102********1234，电话138****5678），联系人：王某；监护人：张某"
    digest = "3de215eee6c64f937c9b3655ab2efd711fe0e00cf3c53249fb6c7fba40343591"
    assert mask_text(digest) == digest
    (built,) = build_packets(year_archive, 2013, Options(tmp_path / "raw", unmasked=True), unit="wendong",
                             as_of=AS_OF)
    with year_archive.db.reader() as s:
        details = [json.loads(d) for d in s.execute(select(AuditEvent.details).where(
            AuditEvent.action == "packet.built")).scalars()]
    assert any(d["scope"] == "wendong" and d["unmasked"] is True and d["sha256"] == built.sha256
               for d in details)


def test_district_report_of_many_units_renders() -> None:
    """73 communities side by side do not fit a page: that table stays in the XLSX (a district
    packet failed on it in bench/packets.py before)."""
    from packets.docx_report import write_docx
    from packets.model import Column, Packet, Section
    from packets.pdf_report import write_pdf
    from packets.report import build_report

    units = [Column(f"c{i}", f"第{i}社区", 9, "0.##") for i in range(73)]
    side = Section("units_community", "各社区妇联考评", [Column("content", "考评内容"), *units],
                   [{"content": "每月上报信息不少于2条", **{f"c{i}": 1.5 for i in range(73)}}])
    ranking = Section("ranking", "排名", [Column("unit", "单位"), Column("total", "总分")],
                      [{"unit": f"第{i}社区妇联", "total": 1.5} for i in range(73)])
    packet = Packet(2013, "district", "2013年度基层妇联工作考评汇总（历下区妇联）", "历下区妇联",
                    "2014-02-01", "state", [ranking, side], {"units": 73, "grades": {"不合格": 73}})
    report = build_report(packet, "历下区妇女联合会")
    assert "各社区妇联考评" not in [b.text for b in report.blocks]
    assert write_pdf(report).startswith(b"%PDF") and write_docx(report, datetime(2014, 2, 1))
