"""Validation rules (schemas/validation_rules.yaml) on work-area indicator values.

Values are compared within one unit and one period, DHIS2-style: each side of a
rule is skipped or evaluated by the rule's missing-value strategy; a division
by zero skips the rule (the rule cannot be judged, which is not a violation).
Rules of kind `rate_inconsistent` (a stated rate against its own counts) are
judged within one passage of one document instead: quality/stated_rates.py.
"""

from __future__ import annotations

import re

import pandas as pd

from quality.expressions import evaluate, holds, side_skipped
from quality.findings import fmt
from quality.frames import prepare
from quality.stated_rates import stated_rate_findings
from schemas.findings import Finding
from schemas.indicators import IndicatorCatalog, load_indicator_catalog
from schemas.validation_rules import ValidationRule, ValidationRules, load_validation_rules

VALUE_TEXT_COLUMNS = ("unit", "unit_name", "level", "period", "code", "name", "source_path",
                      "sha256", "location")
VALUE_KEY = ["unit", "code", "period"]
_SHOWN = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def with_years(values: pd.DataFrame) -> pd.DataFrame:
    """A copy with yes/no as 1/0 and the year taken from the period where absent."""
    df = values.copy()
    df["value"] = df["value"].map(lambda v: float(v) if isinstance(v, bool) else v)
    if "year" not in df:
        df["year"] = None
    from_period = pd.to_numeric(df.get("period", pd.Series(index=df.index, dtype=object))
                                .astype(str).str[:4], errors="coerce")
    df["year"] = pd.to_numeric(df["year"], errors="coerce").fillna(from_period)
    return df


def prepare_values(values: pd.DataFrame | None) -> pd.DataFrame:
    """Numeric values (yes/no as 1/0), year from the period when absent, one row per key."""
    if values is None or len(values) == 0:
        return prepare(None, VALUE_TEXT_COLUMNS)
    df = prepare(with_years(values), VALUE_TEXT_COLUMNS)
    df = df[df["value"].notna()]
    return df.drop_duplicates(VALUE_KEY, keep="first").reset_index(drop=True)


def rule_findings(values: pd.DataFrame, rules: ValidationRules | None = None,
                  catalog: IndicatorCatalog | None = None, year: int | None = None) -> list[Finding]:
    """Every rule violated by any unit in any period (of `year` when given)."""
    ruleset = rules or load_validation_rules()
    cat = catalog or load_indicator_catalog()
    rate_rules = [r for r in ruleset.rules if r.kind == "rate_inconsistent"]
    out: list[Finding] = []
    if values is not None and len(values) and rate_rules:
        out += stated_rate_findings(with_years(values), rate_rules, cat, year)
    df = prepare_values(values)
    if year is not None:
        df = df[df["year"] == year]
    for (_unit, _period), group in df.groupby(["unit", "period"], sort=True):
        by_code = {row.code: row for row in group.itertuples(index=False)}
        nums = {c: float(r.value) for c, r in by_code.items()}
        for rule in ruleset.rules:
            if rule.kind == "rate_inconsistent":
                continue
            finding = _check(rule, nums, by_code, cat)
            if finding is not None:
                out.append(finding)
    return out


def _check(rule: ValidationRule, nums: dict[str, float], rows: dict, cat: IndicatorCatalog
           ) -> Finding | None:
    present = set(nums)
    if not set(rule.codes()) & present:
        return None  # the rule is about indicators this unit never reported
    if any(side_skipped(t, present, rule.missing_value_strategy) for t in (rule.left, rule.right)):
        return None
    left, right = evaluate(rule.left, nums), evaluate(rule.right, nums)
    if left is None or right is None or holds(rule, left, right):
        return None
    code = next((c for c in rule.codes() if c in rows), rule.codes()[0])
    row = rows[code]
    names = {i.code: i.name for i in cat.indicators}
    op = _SHOWN[rule.operator]
    return Finding(
        unit=row.unit, unit_name=row.unit_name, year=int(row.year), period=row.period,
        indicator=code, name=names.get(code, row.name), kind=rule.kind, severity=rule.severity,
        observed=fmt(left), expected=f"{op}{fmt(round(right, 4))}",
        message=f"{rule.description}：{_named(rule.left, names)}={fmt(round(left, 4))}，"
                f"{_named(rule.right, names)}={fmt(round(right, 4))}",
        source_path=row.source_path, sha256=row.sha256, location=row.location,
        rule=f"validation_rules.yaml:{rule.code}",
        reference="；".join(f"{names.get(c, c)}={fmt(nums[c])}" for c in rule.codes() if c in nums and c != code))


def _named(text: str, names: dict[str, str]) -> str:
    """The expression with codes replaced by Chinese names, for people."""
    out = re.sub(r"[A-Za-z_][\w.]*", lambda m: names.get(m.group(), m.group()), text)
    return out.replace("*", "×").replace("/", "÷").replace(" ", "")
