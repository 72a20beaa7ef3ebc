"""A scan pasted into a Word file as pictures is read by OCR, like a scanned PDF."""

from __future__ import annotations

import io

import docx
import pytest
from docx.shared import Cm

from extract.pipeline import extract_document
from fulian.samples.pdfs import render_pages
from fulian.samples.spec import DocSpec
from schemas.extraction import Hints

pytestmark = pytest.mark.slow


def test_pictures_of_a_scanned_page_in_a_docx_are_ocr_read() -> None:
    spec = DocSpec(title="建新街道妇联2013年工作总结",
                   body=["2013年，建新街道妇联共培训妇女520人，举办妇女专场招聘会2场。"],
                   signature=["建新街道妇女联合会", "2013年12月26日"])
    page = render_pages(spec, dpi=200, seed=3)[0]
    crop = page.crop((0, 0, page.width, page.height // 2))  # the written half: faster OCR
    png = io.BytesIO()
    crop.save(png, format="PNG")
    document = docx.Document()
    document.add_picture(io.BytesIO(png.getvalue()), width=Cm(16))
    out = io.BytesIO()
    document.save(out)

    ext = extract_document(out.getvalue(), Hints(name="扫描件.docx"), "0" * 64)
    assert ext.ocr and ext.unit == "jianxin" and ext.period == "2013"
    assert ext.doc_type == "work_summary"
    trained = [v for v in ext.indicators if v.code == "dev.women_trained"]
    assert [v.value for v in trained] == [520] and trained[0].evidence.location.startswith("图1")
