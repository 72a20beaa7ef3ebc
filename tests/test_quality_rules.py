"""Validation rules and robust outliers on work-area indicator values."""

from __future__ import annotations

import pandas as pd
import pytest

from quality.outliers import outlier_findings, robust_z
from quality.rules import evaluate, rule_findings, side_skipped
from quality.run import check_indicator_values
from schemas.indicators import load_indicator_catalog
from schemas.validation_rules import (
    ValidationRules,
    expression_codes,
    load_validation_rules,
    parse_expression,
)

STREETS = ["jiefanglu", "qianfoshan", "dongguan", "yaojia", "wendong", "jianxin"]
# One street's year as its work summary states it: received, closed, closure rate, trained,
# employed, entrepreneurs, job fairs, federation coverage.
YEAR_2023 = {
    "jiefanglu": (24, 24, 100, 356, 62, 7, 2, 100),
    "qianfoshan": (31, 30, 96.8, 412, 75, 6, 1, 100),
    "dongguan": (18, 18, 100, 320, 54, 5, 2, 100),
    "yaojia": (42, 41, 97.6, 505, 88, 9, 2, 100),
    "wendong": (27, 27, 100, 298, 51, 5, 1, 100),
    "jianxin": (15, 15, 100, 372, 66, 8, 2, 100),
}
CODES = ["rights.cases_received", "rights.cases_closed", "rights.case_closure_rate",
         "dev.women_trained", "dev.women_employed", "dev.entrepreneurs_supported",
         "dev.job_fairs", "org.federation_coverage"]


def _year(unit: str, year: int) -> dict[str, float]:
    """2023 as stated; earlier years a little smaller, rates recomputed from the counts."""
    got = dict(zip(CODES, YEAR_2023[unit], strict=True))
    if year == 2023:
        return got
    shrink = 1 - 0.03 * (2023 - year) + 0.01 * (len(unit) % 3)
    for code in ("rights.cases_received", "dev.women_trained", "dev.women_employed",
                 "dev.entrepreneurs_supported"):
        got[code] = round(got[code] * shrink)
    open_cases = YEAR_2023[unit][0] - YEAR_2023[unit][1]
    got["rights.cases_closed"] = got["rights.cases_received"] - open_cases
    got["rights.case_closure_rate"] = round(
        got["rights.cases_closed"] / got["rights.cases_received"] * 100, 1)
    return got


def values(overrides: dict[tuple[str, str], float | None] | None = None,
           years: tuple[int, ...] = (2023,)) -> pd.DataFrame:
    """Indicator values in the archive's long form; overrides change 2023 only."""
    cat = load_indicator_catalog()
    rows = []
    for year in years:
        for unit in STREETS:
            for code, value in _year(unit, year).items():
                if year == 2023 and (unit, code) in (overrides or {}):
                    value = overrides[(unit, code)]
                if value is None:
                    continue
                rows.append(dict(unit=unit, unit_name=f"{unit}街道妇联", level="street",
                                 period=str(year), year=year, code=code, name=cat.get(code).name,
                                 value=value, source_path=f"{unit}/{year}年工作总结.docx",
                                 sha256="ab" * 32, location="第2页第3段"))
    return pd.DataFrame(rows)


def test_clean_values_give_no_finding():
    assert check_indicator_values(values(years=(2018, 2019, 2020, 2021, 2022, 2023))) == []


def test_closed_above_received_is_a_warning():
    found = check_indicator_values(values({("dongguan", "rights.cases_closed"): 21,
                                           ("dongguan", "rights.case_closure_rate"): None}))
    assert [(f.kind, f.unit, f.indicator, f.year, f.severity) for f in found] == [
        ("validation_rule_violation", "dongguan", "rights.cases_closed", 2023, "warning")]
    assert "办结案件数不应超过受理信访案件数" in found[0].message
    assert found[0].observed == "21" and found[0].expected == "≤18"


def test_closure_rate_above_100_without_counts_is_an_error():
    found = check_indicator_values(values({("yaojia", "rights.case_closure_rate"): 102,
                                           ("yaojia", "rights.cases_closed"): None}))
    assert [(f.kind, f.unit, f.indicator, f.severity) for f in found] == [
        ("validation_rule_violation", "yaojia", "rights.case_closure_rate", "error")]


def test_closure_rate_against_counts_is_rate_inconsistent():
    found = check_indicator_values(values({("qianfoshan", "rights.case_closure_rate"): 98}))
    assert [(f.kind, f.unit, f.indicator, f.severity) for f in found] == [
        ("rate_inconsistent", "qianfoshan", "rights.case_closure_rate", "error")]
    assert found[0].expected == "=96.7742"


def test_rounded_closure_rate_is_accepted():
    # 30/31 = 96.77 %, stated as 97: within the 0.5-point tolerance
    assert check_indicator_values(values({("qianfoshan", "rights.case_closure_rate"): 97})) == []


def _rules(strategy: str) -> ValidationRules:
    return ValidationRules.model_validate({"rules": [{
        "code": "sum", "description": "测试", "left": "dev.women_employed + dev.entrepreneurs_supported",
        "operator": "<=", "right": "dev.women_trained", "missing_value_strategy": strategy}]})


@pytest.mark.parametrize(("strategy", "fires"), [
    ("skip_if_any_missing", False), ("skip_if_all_missing", True), ("never_skip", True)])
def test_missing_value_strategies(strategy, fires):
    # jiefanglu: employed missing, entrepreneurs 400 > trained 356 once employed counts as 0
    df = values({("jiefanglu", "dev.women_employed"): None,
                 ("jiefanglu", "dev.entrepreneurs_supported"): 400})
    found = rule_findings(df, _rules(strategy))
    assert [(f.unit, f.indicator) for f in found] == ([("jiefanglu", "dev.entrepreneurs_supported")]
                                                     if fires else [])


def test_side_skipped_and_evaluate():
    present = {"a.x"}
    assert side_skipped("a.x + a.y", present, "skip_if_any_missing")
    assert not side_skipped("a.x + a.y", present, "skip_if_all_missing")
    assert side_skipped("a.y * 2", present, "skip_if_all_missing")
    assert not side_skipped("100", set(), "skip_if_all_missing")
    assert evaluate("a.x / a.y * 100", {"a.x": 3, "a.y": 4}) == 75
    assert evaluate("a.x / a.y", {"a.x": 3, "a.y": 0}) is None
    assert evaluate("-(a.x - 10)", {"a.x": 3}) == 7


@pytest.mark.parametrize("bad", ["__import__('os').system('x')", "a.x ** 2", "a.x if 1 else 2",
                                 "'text'", "a.x[0]", "a.x +"])
def test_expressions_allow_only_arithmetic_on_codes(bad):
    with pytest.raises(ValueError):
        parse_expression(bad)


def test_shipped_rules_name_only_catalog_codes():
    codes = set(load_indicator_catalog().codes())
    for rule in load_validation_rules().rules:
        assert set(rule.codes()) <= codes, rule.code
    assert expression_codes("rights.cases_closed / rights.cases_received * 100") == [
        "rights.cases_closed", "rights.cases_received"]


def test_peer_outlier_among_streets():
    found = outlier_findings(values({("wendong", "dev.women_trained"): 5200}))
    assert [(f.kind, f.unit, f.indicator, f.year, f.severity) for f in found] == [
        ("outlier", "wendong", "dev.women_trained", 2023, "warning")]
    assert "同级6个单位" in found[0].message


def test_history_outlier_of_one_unit():
    # too few streets to judge by peers: only the street's own six years can tell
    df = values({("yaojia", "dev.women_employed"): 880}, years=(2018, 2019, 2020, 2021, 2022, 2023))
    df = df[df["unit"].isin(["yaojia", "dongguan"])]
    found = outlier_findings(df)
    assert [(f.unit, f.indicator, f.year) for f in found] == [("yaojia", "dev.women_employed", 2023)]
    assert "本单位前5期" in found[0].message


def test_too_few_peers_no_judgement():
    df = values({("wendong", "dev.women_trained"): 5200})
    assert outlier_findings(df[df["unit"].isin(STREETS[3:])]) == []


def test_small_equal_counts_do_not_make_outliers():
    df = values({(u, "dev.job_fairs"): 1 for u in STREETS} | {("jianxin", "dev.job_fairs"): 3})
    assert outlier_findings(df) == []


def test_robust_z_is_median_based():
    import numpy as np

    sample = np.array([10.0, 11, 12, 13, 14, 1000])
    z = robust_z(sample, sample, 0.0)
    assert abs(z[-1]) > 100 and max(abs(z[:-1])) < 1.5
