"""OCR of degraded page images: text, numbers and ruled tables come back with locations.

Pages are rendered with WenQuanYi Zen Hei and degraded like poor scans (tilt, blur, grey
paper, noise, JPEG 40). Only the written part of a page is read: OCR costs seconds a page
on two cores, and blank paper adds time, not coverage.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from extract.readers.ocr import ocr_page
from fulian.samples.pdfs import render_pages
from fulian.samples.scans import degrade, ruled_form
from fulian.samples.spec import DocSpec

pytestmark = pytest.mark.slow
BOX = r"@\d+,\d+,\d+,\d+"


def test_numbers_on_a_tilted_blurred_jpeg_page_come_back_exactly() -> None:
    body = ["2013年，建新街道妇联共培训妇女1,326人，举办妇女专场招聘会12场，帮助478名妇女实现"
            "就业，维权接访受理案件56件，办结55件，案件处结率达98.2%。",
            "二、存在的问题",
            "基层妇联工作力量仍显薄弱，部分社区妇联执委作用发挥不够充分。"]
    spec = DocSpec(title="建新街道妇联2013年工作总结", body=body)
    page = render_pages(spec, dpi=200, scanned=False)[0]
    page = page.crop((0, 0, page.width, page.height * 2 // 7))
    scan = degrade(page, np.random.default_rng(7))

    result = ocr_page(scan, "第1页")
    texts = [b.text for b in result.blocks]
    assert texts[0] == "建新街道妇联2013年工作总结"
    assert texts[1] == body[0]  # wrapped lines rejoined into the written paragraph
    assert texts[2] == body[1] and texts[3] == body[2]  # a heading is a paragraph of its own
    assert re.fullmatch(rf"第1页第2-3行{BOX}", result.blocks[1].location)
    scores = result.scores[result.blocks[1].location]
    assert "".join(c for c, _ in scores) == body[0] and min(s for _, s in scores) > 0.5


def test_a_ruled_form_with_merged_cells_becomes_a_table_with_cell_locations() -> None:
    rows = [["指标", "2013年", "", "备注"],
            ["", "本期", "同期", ""],
            ["培训妇女（人）", "1326", "1180", "含网上培训"],
            ["安置就业（人）", "478", "402", ""],
            ["合计", "1804", "1582", ""]]
    merges = [(0, 0, 1, 0), (0, 1, 0, 2), (0, 3, 1, 3), (3, 3, 4, 3)]
    form = ruled_form(rows, merges, [150, 90, 90, 110], title="妇女发展情况统计表")
    form = form.crop((0, 0, form.width, form.height * 3 // 8))
    scan = degrade(form, np.random.default_rng(3))

    result = ocr_page(scan, "第2页")
    (table,) = result.tables
    assert list(table.frame.columns) == ["指标", "2013年/本期", "2013年/同期", "备注"]
    assert table.frame.values.tolist() == [["培训妇女（人）", "1326", "1180", "含网上培训"],
                                           ["安置就业（人）", "478", "402", ""],
                                           ["合计", "1804", "1582", ""]]
    assert re.fullmatch(rf"第2页表1第4行第2列{BOX}", table.cell_location(1, 1))
    # a merged cell is located by its whole box, from its top-left slot
    assert re.fullmatch(rf"第2页表1第4行第4列{BOX}", table.cell_location(2, 3))
    assert result.blocks[0].text == "妇女发展情况统计表"
    cells = [b for b in result.blocks if b.kind == "table_cell"]
    assert [b.text for b in cells][:3] == ["指标", "2013年", "备注"]
    assert all(b.page == 2 for b in cells)


@pytest.mark.parametrize("turn", [90, 180])
def test_a_page_on_its_side_or_upside_down_is_turned_and_read(turn: int) -> None:
    """No line classifier (it flips good lines): the page is turned as a whole."""
    spec = DocSpec(title="文东街道妇联工作信息",
                   body=["街道妇联组织开展家庭教育讲座，参加群众80余人。" * 3])
    page = render_pages(spec, dpi=200, seed=1)[0]
    top = page.crop((0, 0, page.width, page.height // 5))
    texts = [b.text for b in ocr_page(top.rotate(turn, expand=True), "").blocks]
    assert texts[0] == "文东街道妇联工作信息"
    assert texts[1] == "街道妇联组织开展家庭教育讲座，参加群众80余人。" * 3
