"""Reports: an offline HTML page and an XLSX workbook from findings."""

from __future__ import annotations

import re

from openpyxl import load_workbook

from quality.report import render_html, write_html, write_xlsx
from schemas.findings import Finding, sort_findings


def findings() -> list[Finding]:
    return [
        Finding(unit="yaojia", unit_name="姚家街道妇联", year=2023, indicator="cp.immunization_rate",
                name="儿童国家免疫规划疫苗接种率", kind="missing_value", severity="error",
                observed="缺失", expected="必报", message="2023年未填报必报指标“儿童国家免疫规划疫苗接种率”",
                source_path="两规/姚家/2023.xlsx", sha256="c" * 64, location="Sheet1!C31"),
        Finding(unit="dongguan", unit_name="东关街道妇联", year=2023, indicator="cp.x",
                name="<script>alert(1)</script>", kind="implausible_change", severity="warning",
                observed="31.5", expected="72.1±50%", message="变化异常 & 请核实"),
    ]


def test_html_is_offline_chinese_and_escaped(tmp_path):
    path = write_html(findings(), tmp_path / "r.html", "2023年两规统计数据质量报告")
    text = path.read_text(encoding="utf-8")
    assert 'lang="zh-CN"' in text and "<style>" in text
    assert not re.search(r"(src|href)\s*=|https?://|@import|url\(", text)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "数值缺失（空白或占位符）" in text and "与上年相比变化异常" in text and "错误" in text
    assert "共发现问题 2 项，其中错误 1 项、警告 1 项" in text
    # rows follow the one deterministic order: 东关 (dongguan) before 姚家 (yaojia)
    assert text.index("东关街道妇联") < text.index("姚家街道妇联")


def test_html_without_findings_says_so():
    assert "未发现数据质量问题" in render_html([], "报告")


def test_xlsx_lists_every_finding_with_chinese_headers(tmp_path):
    path = write_xlsx(findings(), tmp_path / "r.xlsx")
    wb = load_workbook(path)
    ws = wb["问题清单"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:6] == ("单位", "年度", "期间", "指标", "问题类型", "严重程度")
    assert [r[0] for r in rows[1:]] == ["东关街道妇联", "姚家街道妇联"]
    assert rows[2][1] == 2023 and rows[2][4] == "数值缺失（空白或占位符）" and rows[2][5] == "错误"
    summary = list(wb["汇总"].iter_rows(values_only=True))
    assert summary == [("问题类型", "错误", "警告"), ("数值缺失（空白或占位符）", 1, 0),
                       ("与上年相比变化异常", 0, 1)]


def test_sort_is_total_and_stable():
    a, b = findings()
    assert sort_findings([a, b]) == sort_findings([b, a]) == [b, a]


def test_finding_kinds_are_fixed():
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Finding(unit="x", indicator="y", kind="something_else", severity="error")
    with pytest.raises(ValidationError):
        Finding(unit="x", indicator="y", kind="outlier", severity="fatal")


def test_importing_quality_does_not_import_great_expectations():
    # GX costs seconds to import: the CLI must not pay it before a check runs
    import subprocess
    import sys

    code = ("import sys, quality.run, quality.report; "
            "print('great_expectations' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_html_groups_by_unit_and_names_the_rule():
    found = [*findings(), findings()[0].model_copy(update={
        "indicator": "cp.under5_mortality", "kind": "wrong_unit_scale", "severity": "warning",
        "rule": "unit_scale_vs_district_peers", "reference": "同区5个单位中位数3.1，MAD 0.4"})]
    text = render_html(found, "报告")
    assert text.index("<h3>东关街道妇联（1项）</h3>") < text.index("<h3>姚家街道妇联（2项）</h3>")
    assert "检查规则" in text and "unit_scale_vs_district_peers" in text
    assert "同区5个单位中位数3.1，MAD 0.4" in text
