"""A data-quality finding: one real problem in one value (or one pair of values).

`quality/` produces these from DataFrames; the archive stores them; reports
render them. Kinds are fixed English codes; people read `KIND_LABELS`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

# The checks on two-plans (两规) statistics: exactly these ten.
TWO_PLANS_KINDS = (
    "percent_out_of_range", "negative_value", "part_exceeds_whole", "missing_value",
    "implausible_change", "wrong_unit_scale", "sex_ratio_implausible",
    "duplicate_indicator_row", "rate_inconsistent", "not_reported",
)
# The checks on work-area indicator values (validation rules, robust outliers).
INDICATOR_KINDS = ("validation_rule_violation", "outlier")
KINDS = TWO_PLANS_KINDS + INDICATOR_KINDS

Kind = Literal[
    "percent_out_of_range", "negative_value", "part_exceeds_whole", "missing_value",
    "implausible_change", "wrong_unit_scale", "sex_ratio_implausible",
    "duplicate_indicator_row", "rate_inconsistent", "not_reported", "validation_rule_violation",
    "outlier",
]
Severity = Literal["error", "warning"]

KIND_LABELS: dict[str, str] = {
    "percent_out_of_range": "数值超出取值范围",
    "negative_value": "出现负值",
    "part_exceeds_whole": "部分大于总体",
    "missing_value": "数值缺失（空白或占位符）",
    "implausible_change": "与上年相比变化异常",
    "wrong_unit_scale": "计量单位数量级错误",
    "sex_ratio_implausible": "出生人口性别比不合理",
    "duplicate_indicator_row": "指标重复填报",
    "rate_inconsistent": "比率与分子分母不一致",
    "not_reported": "未报（监测表要求的指标）",
    "validation_rule_violation": "违反校验规则",
    "outlier": "离群值",
}
SEVERITY_LABELS: dict[str, str] = {"error": "错误", "warning": "警告"}


# The fields of one finding in `fulian quality --format json|csv` and /api/quality (docs/contracts.md).
CONTRACT_FIELDS = ("unit", "year", "indicator", "name", "kind", "severity", "observed", "expected",
                   "message", "source_path", "location", "rule", "reference")


def contract_row(finding: dict) -> dict:
    """A stored finding as the contract shows it: the unit by name; fields a run stored before
    they existed (rule, reference) empty."""
    return {k: (finding.get("unit_name") or finding["unit"]) if k == "unit" else finding.get(k, "")
            for k in CONTRACT_FIELDS}


_CONTEXT_WORDS = (("label", "行"), ("header", "列"), ("above", "上"), ("below", "下"), ("left", "左"),
                  ("right", "右"))


def context_text(ctx: dict[str, str] | None) -> str:
    """A finding's neighbourhood in one line: 行：婴儿死亡率；列：本期；上：5；下：3.52 …, or its sentence."""
    if not ctx:
        return ""
    if ctx.get("sentence"):
        return ctx["sentence"]
    return "；".join(f"{word}：{ctx[key]}" for key, word in _CONTEXT_WORDS if ctx.get(key))


class Finding(BaseModel):
    unit: str
    unit_name: str = ""
    year: int | None = None
    indicator: str  # catalog code; "" when the finding is about a whole table
    name: str = ""  # the indicator's Chinese name
    kind: Kind
    severity: Severity
    observed: str = ""  # the value(s) as found, formatted for people
    expected: str = ""  # what the check expects, formatted for people
    message: str = ""  # Chinese, one sentence
    source_path: str = ""
    sha256: str = ""
    location: str = ""  # "Sheet1!C7"; several joined with "; "
    period: str = ""  # work-area period ("2023", "2023-H1"); "" for two-plans rows
    rule: str = ""  # the check that fired: a GX expectation type or a named pandas check
    reference: str = ""  # what the value was compared with (history, peers' median/MAD, counts)
    # what surrounds the value in its document, for reports: label, header, cell, above, below,
    # left, right (a table cell) or sentence (text); filled by flows/finding_context.py
    context: dict[str, str] = Field(default_factory=dict)

    def sort_key(self) -> tuple:
        return (self.unit, self.year if self.year is not None else -1, self.period,
                self.indicator, KINDS.index(self.kind), self.location, self.message)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """The one deterministic order: unit, year, period, indicator, kind, location."""
    return sorted(findings, key=Finding.sort_key)
