"""Stated rates against their own counts (issue 12): 就业率 and 办结率 in work summaries and sheets.

Real files all the way: a .docx summary and an .xlsx sheet are written here, read by the real
extraction pipeline, archived on real SQLite/PostgreSQL, read back as the quality flow reads
them (archive.analysis.indicator_value_rows) and checked. Phrasings follow the published
passages cited in tests/realtext/passages.yaml (p75–p77).
"""

from __future__ import annotations

import io

import docx
import pandas as pd
import pytest
from openpyxl import Workbook

from archive.analysis import indicator_value_rows
from archive.digests import bare, digest_both
from archive.intake import Received
from archive.store import Archive
from connectors.base import receipt_key
from extract.pipeline import extract_document
from quality.run import check_indicator_values
from quality.stated_rates import approximate, explained_otherwise, passage, sentence_counts
from schemas.extraction import Hints
from tests.test_archive import archive, ingest  # noqa: F401  (fixture)

TITLE = "泉城路街道妇联2023年工作总结"


def summary(*paragraphs: str) -> bytes:
    document = docx.Document()
    document.add_heading(TITLE, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def sheet(rows: list[list[object]], title: str = "泉城路街道妇联2023年妇女维权信访统计表") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "信访统计"
    ws.append([title])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def item(data: bytes, name: str, unit: str = "quanchenglu") -> Received:
    sha, sm3 = digest_both([data])
    ext = extract_document(data, Hints(name=name, claimed_unit=unit), bare(sha))
    ext.unit, ext.period = unit, "2023"
    for iv in ext.indicators:
        iv.unit, iv.period = unit, "2023"
    at = "2024-01-05T08:00:00+00:00"
    return Received(receipt=receipt_key(name, at, len(data)), source="cli", source_uri=f"file:///{name}",
                    source_path=f"{unit}/{name}", original_name=name, received_at=at, size=len(data),
                    sha256=bare(sha), sm3=bare(sm3), data=data, kind=name.rsplit(".", 1)[1],
                    reason=None, extraction=ext)


def findings(archive: Archive, *items: Received) -> list:  # noqa: F811
    ingest(archive, list(items))
    return [f for f in check_indicator_values(pd.DataFrame(indicator_value_rows(archive)), 2023)
            if f.kind == "rate_inconsistent"]


def test_employment_rate_against_its_counts_in_one_sentence(archive: Archive) -> None:  # noqa: F811
    # 196 ÷ 230 = 85.2 %, the summary says 95 %
    found = findings(archive, item(summary(
        "全年举办家政、月嫂培训班5期，培训妇女230人，实现就业196人，就业率达95%。"), "总结.docx"))
    assert [(f.indicator, f.severity, f.observed) for f in found] == [("dev.employment_rate", "error", "95")]
    f = found[0]
    assert "95%" in f.message and "85.2%" in f.message and "安置就业196" in f.message \
        and "培训妇女230" in f.message, f.message
    assert f.rule == "validation_rules.yaml:employment_rate_matches_counts"
    assert "安置就业196人" in f.reference and "培训妇女230人" in f.reference
    assert f.location and f.source_path == "quanchenglu/总结.docx"


def test_a_rounded_rate_and_a_rate_beside_other_counts_are_no_finding(archive: Archive) -> None:  # noqa: F811
    assert findings(archive, item(summary(
        "全年举办家政培训班5期，培训妇女230人，实现就业196人，就业率达85%。",
        # 252 ÷ 280 who finished: the base is not the 300 trained
        "春季培训妇女300人，结业280人，实现就业252人，就业率90%。"), "总结.docx")) == []


@pytest.mark.parametrize("paragraphs", [
    # the year's training total in one paragraph, one course's placements and rate in another
    ("全年共培训妇女1200人。", "其中家政班学员实现就业196人，就业率达85%。"),
    # approximate counts: 300余 may be 312
    ("培训妇女300余人，实现就业250人，就业率80%。",),
    # a bound, not the rate
    ("培训妇女230人，实现就业196人，就业率达到90%以上。",),
])
def test_rates_not_bound_to_exact_counts_are_not_judged(archive: Archive, paragraphs) -> None:  # noqa: F811, ANN001
    assert findings(archive, item(summary(*paragraphs), "总结.docx")) == []


def test_two_documents_of_one_unit_are_never_a_pair(archive: Archive) -> None:  # noqa: F811
    counts = item(summary("培训妇女230人，实现就业196人。"), "总结.docx")
    rate = item(summary("我街道家政培训就业率达95%。"), "信息.docx")
    assert findings(archive, counts, rate) == []


def test_closure_rate_on_a_rights_sheet(archive: Archive) -> None:  # noqa: F811
    data = sheet([["类别", "受理件数", "办结件数", "办结率"],
                  ["来信", 10, 10, "100%"], ["来访", 30, 29, "96.7%"], ["来电", 5, 5, "100%"],
                  ["合计", 45, 44, "90%"]])
    found = findings(archive, item(data, "信访统计.xlsx"))
    assert [(f.indicator, f.observed) for f in found] == [("rights.case_closure_rate", "90")]
    assert "97.8%" in found[0].message and "同一表" in found[0].message
    assert "办结案件44件" in found[0].reference and "受理信访案件45件" in found[0].reference


def test_a_consistent_rights_sheet_is_clean(archive: Archive) -> None:  # noqa: F811
    data = sheet([["类别", "受理件数", "办结件数", "办结率"],
                  ["来信", 10, 10, "100%"], ["来访", 30, 29, "96.7%"], ["合计", 40, 39, "97.5%"]])
    assert findings(archive, item(data, "信访统计.xlsx")) == []


def test_employment_rate_on_a_work_sheet() -> None:
    """A 工作完成情况表 (indicators down the rows): rate and counts in one table are a pair."""
    data = sheet([["项目", "目标", "完成情况"], ["培训妇女（人）", 300, 320], ["安置就业（人）", 50, 256],
                  ["培训后就业率", "", "70%"]], title="泉城路街道妇联2023年妇女发展工作完成情况表")
    ext = extract_document(data, Hints(name="完成情况.xlsx"), "ab" * 32)
    got = {iv.code: iv.value for iv in ext.indicators}
    assert got == {"dev.women_trained": 320, "dev.women_employed": 256, "dev.employment_rate": 70}
    rows = [dict(unit="quanchenglu", unit_name="泉城路", period="2023", code=iv.code, name=iv.name,
                 value=iv.value, source_path="完成情况.xlsx", sha256=ext.sha256,
                 location=iv.evidence.location, snippet=iv.evidence.snippet) for iv in ext.indicators]
    found = check_indicator_values(pd.DataFrame(rows), 2023)
    assert [(f.kind, f.indicator, f.observed) for f in found] == [
        ("rate_inconsistent", "dev.employment_rate", "70")]
    assert "80%" in found[0].message  # 256 ÷ 320


def test_helpers() -> None:
    assert passage("Sheet1!C7", "x") == passage("Sheet1!D9", "y") == ("table", "Sheet1")
    assert passage("第2页表1第3行第2列", "") == ("table", "第2页表1")
    assert passage("第3段", "a") != passage("第3段", "b")
    assert sentence_counts("培训妇女1.2万人，实现就业1,960名，受理来访5件") == [12000, 1960, 5]
    assert approximate("培训300余人") and approximate("就业率达90％以上") and approximate("约300人")
    assert not approximate("培训妇女230人，实现就业196人，就业率达85%")
    assert explained_otherwise("培训300人，结业280人，就业252人，就业率90%", 90, 0.5)
    assert not explained_otherwise("培训230人，就业196人，就业率95%", 95, 0.5)


def test_closure_rate_in_a_rights_section_of_a_monitoring_table(archive: Archive) -> None:  # noqa: F811
    """A two-plans monitoring table with a 维权 section (year columns, no 合计 row): the rows the
    two-plans catalog does not claim are read from the report's year column and judged."""
    data = sheet([["指标", "2023年", "2022年"], ["一、监测指标", "", ""],
                  ["九年义务教育巩固率(%)", 100, 100], ["二、妇女维权工作", "", ""],
                  ["受理妇女信访件数(件)", 48, 52], ["其中:已办结件数(件)", 45, 50],
                  ["信访办结率(%)", 97.92, 96.15]],
                 title="泉城路街道2023年妇女儿童发展规划监测及维权工作统计表")
    it = item(data, "监测表.xlsx")
    assert it.extraction.doc_type == "two_plans_statistics"
    got = {iv.code: (iv.value, iv.evidence.location) for iv in it.extraction.indicators}
    assert got == {"rights.cases_received": (48, "信访统计!B6"), "rights.cases_closed": (45, "信访统计!B7"),
                   "rights.case_closure_rate": (97.92, "信访统计!B8")}  # the 2023 column, not 2022's
    assert [r.code for r in it.extraction.two_plans if r.year == 2023 and r.code] == ["cp.compulsory_retention_rate"]
    found = findings(archive, it)
    assert [(f.indicator, f.observed) for f in found] == [("rights.case_closure_rate", "97.92")]
    assert "93.8%" in found[0].message
