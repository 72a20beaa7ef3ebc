"""A statistics sheet with parts and a total row: the total is the unit's value, not a part."""

from __future__ import annotations

import io

import openpyxl

from extract.pipeline import extract_document
from schemas.extraction import Hints


def test_petition_sheet_takes_the_total_row() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for row in (["龙洞街道妇联2013年第四季度妇女信访维权统计报表"],
                ["填报单位：龙洞街道妇联", "", "", "", "填报时间：2014年1月6日"],
                ["信访形式", "", "受理件数", "办结件数", "办结率"],
                ["来信", "", "3", "3", "100%"], ["来访", "", "12", "11", "91.7%"],
                ["来电", "", "8", "8", "100%"], ["合计", "", "23", "22", "95.7%"]):
        ws.append(row)
    ws.merge_cells("A1:E1")
    buf = io.BytesIO()
    wb.save(buf)
    ext = extract_document(buf.getvalue(), Hints(name="信访报表.xlsx"), "0" * 64)
    assert (ext.unit, ext.period, ext.doc_type) == ("longdong", "2013-Q4", "petition_report")
    values = {v.code: (v.value, v.evidence.location) for v in ext.indicators}
    assert values == {"rights.cases_received": (23, "Sheet1!C7"), "rights.cases_closed": (22, "Sheet1!D7"),
                      "rights.case_closure_rate": (95.7, "Sheet1!E7")}


def sheet_bytes(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_column_of_units_of_measure_is_not_the_value_and_vetoes_money() -> None:
    """项目 | 单位 | 2013年, as monitoring sheets lay out a year's figures: the year column gives the
    values, the 单位 column says what each counts (元 is money: never a number of cases)."""
    data = sheet_bytes([["龙洞街道妇联2013年维权工作情况"], ["项目", "单位", "2013年"],
                   ["接待妇女来信来访", "件", 45], ["办结率", "%", 97.8], ["接待来访群众", "人次", 60],
                   ["为来访妇女减免代理费", "元", 16000]])
    ext = extract_document(data, Hints(name="维权工作情况.xlsx"), "0" * 64)
    values = {v.code: (v.value, v.evidence.location) for v in ext.indicators}
    assert values["rights.cases_received"] == (45, "Sheet!C3")
    assert values["rights.case_closure_rate"] == (97.8, "Sheet!C4")
    money = sheet_bytes([["项目", "单位", "2013年"], ["接待来访", "元", 16000]])
    assert not extract_document(money, Hints(name="维权.xlsx"), "0" * 64).indicators


def test_two_year_columns_give_the_reports_own_year_or_nothing() -> None:
    data = sheet_bytes([["龙洞街道妇联2013年维权工作情况"], ["项目", "单位", "2013年", "2012年"],
                   ["接待妇女来信来访", "件", 45, 40]])
    ext = extract_document(data, Hints(name="维权工作情况.xlsx"), "0" * 64)
    assert [(v.value, v.evidence.location) for v in ext.indicators
            if v.code == "rights.cases_received"] == [(45, "Sheet!C3")]
    # no year of the report's own among the columns: no column is the value
    other = sheet_bytes([["龙洞街道妇联2013年维权工作情况"], ["项目", "单位", "2011年", "2012年"],
                    ["接待妇女来信来访", "件", 45, 40]])
    ext = extract_document(other, Hints(name="维权工作情况.xlsx"), "0" * 64)
    assert not [v for v in ext.indicators if v.code == "rights.cases_received"]
