"""Scans through the real ingest: a two-page scanned PDF with a ruled table and a Word file
of pasted page pictures, degraded like poor scans, read by the OCR engine in the workers."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import numpy as np
import pytest
from docx.shared import Cm

from fulian.samples.pdfs import render_pages
from fulian.samples.scans import degrade, ruled_form, write_scan_pdf
from fulian.samples.spec import DocSpec
from tests.test_ingest_flow import run_ingest

pytestmark = [pytest.mark.xdist_group("prefect"), pytest.mark.slow]
BOX = r"@\d+,\d+,\d+,\d+"


def _scanned_summary(path: Path) -> Path:
    """Page 1: the summary's text; page 2: its key-figures table, ruled, nothing else."""
    text = DocSpec(title="建新街道妇联2013年工作总结",
                   body=["2013年，建新街道妇联围绕中心工作，共培训妇女520人，举办妇女专场招聘会3场。",
                         "主要指标完成情况见下表："])
    rng = np.random.default_rng(11)
    first = degrade(render_pages(text, dpi=200, scanned=False)[0], rng)
    rows = [["序号", "指标", "年度目标", "完成情况", "完成率"],
            ["1", "培训妇女（人）", "300", "520", "173.3%"],
            ["2", "安置就业（人）", "50", "64", "128.0%"]]
    second = degrade(ruled_form(rows, [], [40, 150, 80, 80, 80]), rng)
    return write_scan_pdf(path, [first, second])


def _pictures_docx(path: Path) -> Path:
    """A page scanned, cropped to its writing and pasted into an otherwise empty Word file."""
    spec = DocSpec(title="文东街道妇联2013年工作总结",
                   body=["2013年，文东街道妇联共开展家庭教育实践活动12次，受理妇女信访案件37件。"],
                   signature=["文东街道妇女联合会", "2013年12月20日"])
    page = render_pages(spec, dpi=200, scanned=False)[0]
    picture = degrade(page.crop((0, 0, page.width, page.height * 2 // 7)),
                      np.random.default_rng(5))
    png = io.BytesIO()
    picture.save(png, format="PNG")
    document = docx.Document()
    document.add_picture(io.BytesIO(png.getvalue()), width=Cm(16))
    document.save(path)
    return path


def test_scans_and_pasted_pictures_go_through_ingest_with_located_values(
        prefect_api: str, sqlite_home: Path, tmp_path: Path) -> None:
    from archive.queries import submissions
    from archive.queries_data import indicator_rows
    from archive.store import Archive
    from schemas.settings import Settings

    drop = tmp_path / "drop"
    _scanned_summary(drop / "建新街道总结（扫描件）.pdf")
    _pictures_docx(drop / "文东街道总结.docx")
    result = run_ingest(prefect_api, drop)
    archive = Archive(Settings())
    docs = {r["source_path"]: r for r in submissions(archive)}
    assert result["counts"] == {"accepted": 2}, docs
    assert docs["建新街道总结（扫描件）.pdf"]["unit"] == "建新街道妇联"
    assert docs["文东街道总结.docx"]["unit"] == "文东街道妇联"
    values = {(r["source_path"], r["code"]): r for r in indicator_rows(archive)}

    trained = values[("建新街道总结（扫描件）.pdf", "dev.women_trained")]
    assert trained["value"] == 520 and trained["confidence"] > 0.9
    # the sentence (wrapped over lines 2-3 of page 1) or the table's cell
    assert re.fullmatch(rf"第1页第2(-3)?行{BOX}|第2页表1第2行第4列{BOX}", trained["location"])
    employed = values[("建新街道总结（扫描件）.pdf", "dev.women_employed")]  # only in the table
    assert employed["value"] == 64
    assert re.fullmatch(rf"第2页表1第3行第4列{BOX}", employed["location"])
    fairs = values[("建新街道总结（扫描件）.pdf", "dev.job_fairs")]
    assert fairs["value"] == 3 and re.fullmatch(rf"第1页第2(-3)?行{BOX}", fairs["location"])

    cases = values[("文东街道总结.docx", "rights.cases_received")]
    assert cases["value"] == 37 and re.fullmatch(rf"图1第2(-3)?行{BOX}", cases["location"])
    assert values[("文东街道总结.docx", "child.family_education_activities")]["value"] == 12
