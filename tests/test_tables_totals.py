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
