"""Phrasings met after the corpus was written: a women subset, 调处 as closing, a programme named 计划."""

from __future__ import annotations

import pytest

from extract.document import Block
from extract.narrative import extract
from schemas.indicators import load_indicator_catalog


def values(text: str) -> dict[str, float]:
    return {f.code: f.value for f in extract([Block(text, "第1段")], load_indicator_catalog(), 2013)}


@pytest.mark.parametrize(("text", "expected"), [
    ("全年共计培训各类人员560人，其中妇女480人。", {"dev.women_trained": 480}),
    ("培训妇女326人，其中下岗失业妇女100人。", {"dev.women_trained": 326}),
    ("受理妇女群众来信来访31起，调处成功30起。", {"rights.cases_received": 31, "rights.cases_closed": 30}),
    ("通过“春蕾计划”资助春蕾女童12名。", {"child.chunlei_girls": 12}),
    ("实施春蕾计划，资助春蕾女童15名。", {"child.chunlei_girls": 15}),
    ("明年计划培训妇女400人。", {}),
])
def test_phrasing(text: str, expected: dict[str, float]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize(("title", "expected"), [
    ("泉城路街道妇联2013年工作总结", "work_summary"),
    ("燕山街道办事处妇联二〇一三年妇女工作总结", "work_summary"),
    ("关于历下区泉城路街道妇联二〇一三年度妇女儿童工作开展情况及下一步工作打算的总结报告", "work_summary"),
    ("解放路街道2013年上半年工作总结", "work_summary"),
    ("燕山街道妇联 2013 年工作总结", "work_summary"),  # as PDF text comes: spaces around digits
    ("千佛山街道妇联2013年工作总结（修订版）", "work_summary"),
    ("泉城路街道妇联2013年信访工作总结", "other"),  # one line of work: must not replace the summary
    ("泉城路街道妇联2013年家庭教育工作总结", "other"),
    ("关于开展“三八”维权周活动的总结", "other"),
    ("泉城路街道妇联关于举办家庭教育讲座的信息", "info_report"),  # the genre word at the end decides
    ("解放路街道妇联2013年11月工作信息（第3期）", "info_report"),
])
def test_only_the_general_summary_is_the_work_summary(title: str, expected: str) -> None:
    from extract.doctype import classify
    from schemas.two_plans import load_two_plans_catalog

    assert classify(f"{title}.docx", title, [title], [], "", load_two_plans_catalog()) == expected


@pytest.mark.parametrize(("title", "written", "expected"), [
    ("第四季度妇女信访维权统计报表", "2014年1月5日", "2013-Q4"),  # the quarter just ended
    ("十二月份工作信息", "2014年1月3日", "2013-12"),
    ("十二月份工作信息", "2013年12月20日", "2013-12"),
    ("年度工作总结", "2014年1月8日", "2013"),  # a year's summary written in January
    ("年度工作总结", "2013年12月25日", "2013"),
    ("第三季度信访统计", "2013年10月8日", "2013-Q3"),
])
def test_period_whose_year_is_only_the_date_written(title: str, written: str, expected: str) -> None:
    import io

    import docx

    from extract.pipeline import extract_document
    from schemas.extraction import Hints

    document = docx.Document()
    document.add_heading("龙洞街道妇联" + title, 0)
    for text in ("受理来信来访10件，办结10件。", "龙洞街道妇联", written):
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    assert extract_document(buf.getvalue(), Hints(name=f"{title}.docx"), "0" * 64).period == expected
