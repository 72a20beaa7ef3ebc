"""Two-plans checks: each kind planted once gives exactly that finding; clean tables give none."""

from __future__ import annotations

import hashlib
import json
import math

import pandas as pd
import pytest

from quality.gx_suites import describe_suite, suite_specs
from quality.run import run_quality
from quality.two_plans import check_two_plans
from schemas.findings import TWO_PLANS_KINDS
from schemas.two_plans import TwoPlansCatalog, load_two_plans_catalog

UNITS = {"jiefanglu": "解放路街道妇联", "qianfoshan": "千佛山街道妇联",
         "dongguan": "东关街道妇联", "yaojia": "姚家街道妇联"}
# Stated values as a street would report them, 2022 then 2023, for each unit in UNITS order.
# None: the unit's table has no such row (a rural indicator in an urban district; no
# monitoring form asks a street for it).
STATED: dict[str, list[float | None]] = {
    "wp.maternal_deaths": [0, 0, 0, 1, 0, 0, 1, 0],
    "wp.hospital_delivery_rate": [99.93, 99.96, 99.90, 100, 99.85, 99.92, 99.95, 99.97],
    "wp.maternal_system_mgmt_rate": [95.2, 96.1, 93.8, 94.5, 96.4, 95.9, 92.7, 94.0],
    "wp.common_disease_screening_rate": [82.5, 85.1, 80.3, 83.6, 86.0, 84.2, 78.9, 81.4],
    "wp.cervical_breast_screening_rate": [65.2, 71.4, 60.8, 66.0, None, None, 58.3, 62.9],
    "wp.female_life_expectancy": [83.5, 83.8, None, None, 83.1, 83.4, None, None],
    "wp.female_high_school_gross_rate": [98.6, 99.1, 97.9, 98.4, 99.2, 99.0, 96.8, 97.5],
    "wp.urban_employees": [52340, 54110, 38760, 39280, 61200, 60150, 45800, 47920],
    "wp.urban_female_employees": [23150, 24020, 17420, 17690, 27890, 27300, 19980, 21010],
    "wp.women_trained_reemployment": [420, 465, 350, 338, 510, 560, 390, 410],
    "wp.community_committee_members": [62, 64, 48, 48, 55, 57, 71, 70],
    "wp.community_committee_women": [38, 40, 30, 31, 33, 35, 41, 42],
    "wp.female_cadre_share": [42.5, 43.1, 39.8, 41.2, 45.0, 44.6, 38.7, 40.3],
    "wp.maternity_insurance_rate": [94.1, 95.3, 92.6, 93.8, 96.0, 96.4, 91.5, 93.2],
    "wp.female_pension_insured": [21040, 21830, 15620, 15980, 25110, 24870, 18230, 19120],
    "wp.tap_water_rate": [None] * 8,
    "wp.sanitary_toilet_rate": [None] * 8,
    "wp.legal_aid_women": [36, 41, 28, 25, 44, 39, 31, 35],
    "cp.live_births": [1520, 1468, 1210, 1175, 980, 1012, 2105, 1987],
    "cp.births_male": [790, 757, 626, 603, 507, 521, 1092, 1028],
    "cp.infant_deaths": [4, 3, 3, 4, 2, 3, 6, 5],
    "cp.under5_mortality": [3.2, 2.6, 3.1, 4.0, 2.6, 3.4, 3.5, 3.1],
    "cp.low_birth_weight_rate": [2.8, 3.1, 3.2, 2.9, 2.5, 2.7, 3.0, 3.3],
    "cp.exclusive_breastfeeding_rate": [68.4, 71.2, 65.0, 67.3, 72.1, 70.5, 63.8, 66.9],
    "cp.immunization_rate": [99.5, 99.6, 99.2, 99.4, 99.7, 99.6, 99.1, 99.3],
    "cp.under7_health_mgmt_rate": [95.6, 96.2, 94.3, 95.1, 96.8, 97.0, 93.9, 94.8],
    "cp.under3_system_mgmt_rate": [93.2, 94.0, 92.1, 92.8, 94.5, 94.9, 91.4, 92.6],
    "cp.stunting_rate": [1.2, 1.0, 1.5, 1.4, 0.9, 1.1, 1.3, 1.2],
    "cp.preschool_gross_rate": [102.5, 104.1, 98.7, 101.2, 105.3, 103.8, 96.4, 99.0],
    "cp.compulsory_retention_rate": [99.8, 100.0, 100.0, 100.0, 99.6, 99.9, 99.7, 99.9],
    "cp.high_school_gross_rate": [98.2, 98.9, 97.5, 98.1, 99.0, 98.7, 96.9, 97.6],
    "cp.student_fitness_rate": [92.5, 93.4, 91.8, 92.2, 94.1, 93.7, 90.6, 91.9],
    "cp.orphans_cared": [3, 2, 0, 1, 2, 2, 4, 4],
    "cp.child_friendly_spaces": [8, 9, 6, 6, 7, 8, 9, 10],
    "cp.juvenile_crime_rate": [15.2, 11.8, 9.6, 10.4, 20.1, 16.3, 13.4, 12.9],
}


def _derive(v: dict[str, float | None], planted: set[str]) -> None:
    """What a statistician fills in from the counts: female births and the rates, rounded."""
    if "cp.births_female" not in planted and isinstance(v["cp.births_male"], int | float):
        v["cp.births_female"] = v["cp.live_births"] - v["cp.births_male"]
    for ind in load_two_plans_catalog().indicators:
        r = ind.rate_of
        if ind.code in planted:
            continue
        counts = (v.get(r.numerator), v.get(r.denominator)) if r else (None, None)
        if r and all(isinstance(c, int | float) for c in counts) and counts[1]:
            v[ind.code] = round(v[r.numerator] / v[r.denominator] * r.scale, 2)


def tables(**plants: float | str | None) -> pd.DataFrame:
    """Both years in long form; plants like wp_x__jiefanglu__2023=1.0 replace a stated value.

    A planted None drops the row from the table; a planted text ("—", "暂无") is a
    placeholder written in the row's cell.
    """
    cat = load_two_plans_catalog()
    rows = []
    for u_idx, (unit, unit_name) in enumerate(UNITS.items()):
        for y_idx, year in enumerate((2022, 2023)):
            v = {code: vals[u_idx * 2 + y_idx] for code, vals in STATED.items()}
            planted = dict(_plants_for(plants, unit, year))
            v.update(planted)
            _derive(v, set(planted))
            path = f"两规统计/{unit_name}/{year}年两规统计表.xlsx"
            for row_no, ind in enumerate(cat.indicators, start=3):
                value = v.get(ind.code)
                if value is None:
                    continue
                number = not isinstance(value, str)
                rows.append(dict(
                    unit=unit, unit_name=unit_name, code=ind.code, name=ind.name,
                    measure=ind.measure, year=year,
                    value=float(value) if number else math.nan,
                    raw=f"{value:g}" if number else value, source_path=path,
                    sha256=hashlib.sha256(path.encode()).hexdigest(), location=f"Sheet1!C{row_no}"))
    return pd.DataFrame(rows)


def _plants_for(plants: dict, unit: str, year: int) -> list[tuple[str, float | None]]:
    out = []
    for key, value in plants.items():
        code, p_unit, p_year = key.split("__")
        if p_unit == unit and int(p_year) == year:
            out.append((code.replace("_", ".", 1), value))
    return out


def split(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    return df[df["year"] == 2023], df[df["year"] == 2022]


def check(df: pd.DataFrame, units: list[str] | None = None):
    current, history = split(df)
    return check_two_plans(current, history, units or list(UNITS), 2023)


def test_clean_tables_give_no_finding():
    assert check(tables()) == []


def test_clean_tables_both_years_in_one_frame_give_no_finding():
    assert run_quality(tables(), pd.DataFrame(), list(UNITS)) == []


PLANTED = [
    # kind, plant, unit, indicator, severity
    ("percent_out_of_range", {"wp_maternal_system_mgmt_rate__jiefanglu__2023": 196.1},
     "jiefanglu", "wp.maternal_system_mgmt_rate", "error"),
    ("percent_out_of_range", {"cp_under3_system_mgmt_rate__yaojia__2023": 27.5},
     "yaojia", "cp.under3_system_mgmt_rate", "warning"),
    ("negative_value", {"wp_legal_aid_women__dongguan__2023": -39},
     "dongguan", "wp.legal_aid_women", "error"),
    ("part_exceeds_whole", {"wp_community_committee_women__yaojia__2023": 75},
     "yaojia", "wp.community_committee_women", "error"),
    ("missing_value", {"cp_immunization_rate__qianfoshan__2023": "—"},
     "qianfoshan", "cp.immunization_rate", "error"),
    ("missing_value", {"wp_female_cadre_share__qianfoshan__2023": "暂无"},
     "qianfoshan", "wp.female_cadre_share", "warning"),  # no form asks for it: still no number
    ("not_reported", {"cp_immunization_rate__qianfoshan__2023": None},
     "qianfoshan", "cp.immunization_rate", "warning"),
    ("implausible_change", {"cp_exclusive_breastfeeding_rate__dongguan__2023": 31.5},
     "dongguan", "cp.exclusive_breastfeeding_rate", "warning"),
    ("wrong_unit_scale", {"cp_under5_mortality__jiefanglu__2023": 0.26},
     "jiefanglu", "cp.under5_mortality", "warning"),
    ("wrong_unit_scale", {"wp_urban_employees__jiefanglu__2023": 5.411},
     "jiefanglu", "wp.urban_employees", "warning"),
    ("wrong_unit_scale", {"wp_hospital_delivery_rate__qianfoshan__2023": 0.9996},
     "qianfoshan", "wp.hospital_delivery_rate", "error"),
    ("wrong_unit_scale", {"cp_infant_mortality__dongguan__2023": 0.296},
     "dongguan", "cp.infant_mortality", "error"),
    ("wrong_unit_scale", {"wp_maternal_mortality__qianfoshan__2023": 0.000851},
     "qianfoshan", "wp.maternal_mortality", "error"),
    ("sex_ratio_implausible", {"cp_births_male__qianfoshan__2023": 660,
                               "cp_births_female__qianfoshan__2023": 515,
                               "cp_sex_ratio_at_birth__qianfoshan__2023": 128.16},
     "qianfoshan", "cp.sex_ratio_at_birth", "warning"),
    ("rate_inconsistent", {"wp_female_employment_share__jiefanglu__2023": 46.8},
     "jiefanglu", "wp.female_employment_share", "error"),
]


@pytest.mark.parametrize(("kind", "plant", "unit", "indicator", "severity"), PLANTED,
                         ids=[f"{p[0]}-{p[3]}" for p in PLANTED])
def test_each_planted_problem_gives_exactly_its_finding(kind, plant, unit, indicator, severity):
    found = check(tables(**plant))
    assert [(f.kind, f.unit, f.indicator, f.year, f.severity) for f in found] == [
        (kind, unit, indicator, 2023, severity)]
    f = found[0]
    assert f.unit_name == UNITS[unit] and f.name == load_two_plans_catalog().get(indicator).name
    assert f.sha256 and f.source_path.endswith("2023年两规统计表.xlsx") and f.message
    assert f.location.startswith("Sheet1!C") or (kind == "not_reported" and f.location == "")
    assert f.rule


def test_every_kind_is_planted():
    assert {p[0] for p in PLANTED} | {"duplicate_indicator_row"} == set(TWO_PLANS_KINDS)


def test_duplicate_row_is_one_finding_naming_both_places():
    df = tables()
    extra = df[(df["unit"] == "yaojia") & (df["year"] == 2023)
               & (df["code"] == "wp.maternity_insurance_rate")].assign(value=93.8,
                                                                     location="Sheet2!C20")
    found = check(pd.concat([df, extra], ignore_index=True))
    assert [(f.kind, f.unit, f.indicator, f.year, f.severity) for f in found] == [
        ("duplicate_indicator_row", "yaojia", "wp.maternity_insurance_rate", 2023, "error")]
    row = 3 + [i.code for i in load_two_plans_catalog().indicators].index("wp.maternity_insurance_rate")
    assert found[0].location == f"Sheet1!C{row}; Sheet2!C20"  # the fixture's row follows catalog order
    assert found[0].observed == "93.2 / 93.8"


def test_unit_without_any_table_is_one_finding_naming_the_form():
    found = check(tables(), list(UNITS) + ["wendong"])
    assert [(f.kind, f.unit, f.indicator, f.year, f.severity) for f in found] == [
        ("not_reported", "wendong", "", 2023, "warning")]
    assert found[0].unit_name == "文东街道妇联"  # from the unit registry: it sent no table
    assert "历下区妇女儿童发展规划统计监测表（街道，2021—2030年）" in found[0].message


def test_scale_error_is_not_also_an_implausible_change():
    found = check(tables(cp_under5_mortality__jiefanglu__2023=0.26))
    assert "implausible_change" not in {f.kind for f in found}


def test_small_counts_do_not_raise_change_alarms():
    # one maternal death one year, none the next: a 100% change, but chance at this size
    found = check(tables(wp_maternal_deaths__yaojia__2023=1, wp_maternal_deaths__yaojia__2022=0))
    assert found == []


def test_suite_is_built_from_the_catalog():
    cat = load_two_plans_catalog()
    specs = suite_specs(cat)
    assert {s.code for s in specs if s.check == "hard_range"} == {i.code for i in cat.indicators}
    assert {s.code for s in specs if s.check == "part_of"} == {
        i.code for i in cat.indicators if i.part_of}
    gross = next(d for d in describe_suite(cat)
                 if d["code"] == "cp.preschool_gross_rate" and d["check"] == "hard_range")
    assert gross["kwargs"] == {"column": "cp.preschool_gross_rate", "min_value": 0,
                               "max_value": None}  # a gross enrolment rate passes 100%
    retention = next(d for d in describe_suite(cat)
                     if d["code"] == "cp.compulsory_retention_rate" and d["check"] == "hard_range")
    assert retention["kwargs"]["max_value"] == 100  # a share of a cohort cannot
    assert json.loads(json.dumps(describe_suite(cat))) == describe_suite(cat)


def test_a_new_catalog_entry_is_checked_without_new_code():
    raw = load_two_plans_catalog().model_dump()
    raw["indicators"].append({"code": "cp.new_rate", "plan": "children", "area": "儿童与健康",
                              "name": "新指标率", "measure": "%", "max": 100,
                              "valid": [60, 100]})
    cat = TwoPlansCatalog.model_validate(raw)
    df = tables()
    new = df[df["code"] == "cp.immunization_rate"].assign(code="cp.new_rate", name="新指标率")
    new.loc[new["unit"] == "dongguan", "value"] = 12.0
    current, history = split(pd.concat([df, new], ignore_index=True))
    found = check_two_plans(current, history, list(UNITS), 2023, cat)
    assert [(f.kind, f.unit, f.indicator) for f in found] == [
        ("percent_out_of_range", "dongguan", "cp.new_rate")]


def test_order_is_deterministic_whatever_the_row_order():
    df = tables(wp_female_employment_share__jiefanglu__2023=46.8,
                cp_immunization_rate__qianfoshan__2023="—",
                wp_legal_aid_women__dongguan__2023=-39)
    a = run_quality(*split(df), list(UNITS), year=2023)
    shuffled = df.sample(frac=1, random_state=7)
    b = run_quality(*split(shuffled), list(UNITS), year=2023)
    assert a == b and len(a) == 3
    assert [f.unit for f in a] == sorted(f.unit for f in a)


def test_an_empty_repeat_of_a_reported_value_is_only_a_duplicate():
    df = tables()
    extra = df[(df["unit"] == "dongguan") & (df["year"] == 2023)
               & (df["code"] == "cp.immunization_rate")].assign(value=math.nan, raw="",
                                                              location="Sheet1!C40")
    found = check(pd.concat([extra, df], ignore_index=True))
    assert [(f.kind, f.unit, f.indicator, f.severity) for f in found] == [
        ("duplicate_indicator_row", "dongguan", "cp.immunization_rate", "error")]


def test_run_quality_joins_both_checks_and_takes_empty_input():
    assert run_quality(pd.DataFrame(), pd.DataFrame(), []) == []
    found = run_quality(pd.DataFrame(), pd.DataFrame(), ["wendong"], year=2024)
    assert [(f.kind, f.unit, f.year) for f in found] == [("not_reported", "wendong", 2024)]
    values = pd.DataFrame([dict(unit="dongguan", unit_name="东关街道妇联", level="street",
                                period="2023", year=2023, code=c, name="", value=v,
                                source_path="s.docx", sha256="0" * 64, location="第1段")
                           for c, v in (("rights.cases_received", 18),
                                        ("rights.cases_closed", 20))])
    found = run_quality(*split(tables(cp_immunization_rate__qianfoshan__2023="/")),
                        list(UNITS), values, 2023)
    assert [(f.kind, f.unit) for f in found] == [
        ("validation_rule_violation", "dongguan"), ("missing_value", "qianfoshan")]


def _local_row(df: pd.DataFrame, unit: str, name: str, raw: str, measure: str = "",
               row: int = 60) -> pd.DataFrame:
    """A 2023 row of `unit`'s table under a name the extraction did not match (code "")."""
    base = df[(df["unit"] == unit) & (df["year"] == 2023)].iloc[[0]]
    value = pd.to_numeric(raw, errors="coerce")
    return base.assign(code="", name=name, measure=measure, value=value, raw=raw,
                       location=f"Sheet1!C{row}")


def test_rows_no_catalog_name_matched_get_the_generic_checks():
    df = tables()
    extra = pd.concat([
        _local_row(df, "dongguan", "妇女之家活动场次", "-3", "次", 60),
        _local_row(df, "dongguan", "女性村（居）委会主任人数", "5", "", 61),
        _local_row(df, "dongguan", "女性村（居）委会主任人数", "6", "", 62),
        _local_row(df, "yaojia", "家庭教育指导服务站点数", "暂无", "个", 61),
        _local_row(df, "yaojia", "城乡居民基本医疗保险女性参保率", "98.2", "%", 62),
    ], ignore_index=True)
    found = check(pd.concat([df, extra], ignore_index=True))
    got = sorted((f.kind, f.unit, f.name, f.severity, f.location) for f in found)
    assert got == [
        ("duplicate_indicator_row", "dongguan", "女性村（居）委会主任人数", "error",
         "Sheet1!C61; Sheet1!C62"),
        ("missing_value", "yaojia", "家庭教育指导服务站点数", "warning", "Sheet1!C61"),
        ("negative_value", "dongguan", "妇女之家活动场次", "error", "Sheet1!C60")]
    assert all(f.indicator == "" and f.rule.startswith("Expect") for f in found)


def test_a_row_under_an_older_name_is_present_not_unreported():
    df = tables(cp_immunization_rate__qianfoshan__2023=None)
    older = _local_row(df, "qianfoshan", "免疫规划疫苗接种率", "99.4", "%")
    assert check(pd.concat([df, older], ignore_index=True)) == []


def test_a_row_no_form_asks_for_may_be_absent():
    # 宫颈癌和乳腺癌检查率 is in the catalog but on no street form
    assert check(tables(wp_cervical_breast_screening_rate__dongguan__2023=None)) == []


def test_forms_name_only_catalog_codes_and_follow_their_years():
    from schemas.monitoring_forms import MonitoringForms, load_monitoring_forms

    forms = load_monitoring_forms()
    known = {i.code for i in load_two_plans_catalog().indicators}
    forms.check_codes(known)
    typo = MonitoringForms.model_validate({"forms": [
        {"code": "x", "name": "表", "level": "street", "years": [2021, None],
         "indicators": ["cp.live_births", "cp.live_birth"]}]})
    with pytest.raises(ValueError, match=r"\['cp.live_birth'\]"):
        typo.check_codes(known)
    community = forms.form_for("community", 2013)
    assert community is not None and "cp.child_friendly_spaces" not in community.codes(2013)
    assert "cp.child_friendly_spaces" in community.codes(2016)
    assert forms.form_for("street", 2013).code == "street_2011"
    assert forms.form_for("street", 2023).code == "street_2021"
    assert forms.form_for("district", 2023) is None


def test_every_share_has_its_ceiling_and_gross_rates_none():
    for ind in load_two_plans_catalog().indicators:
        if ind.measure == "%":
            assert (ind.max is None) == ("毛入" in ind.name), ind.code


def test_scale_without_counts_or_history_is_judged_by_the_district_peers():
    df = tables(cp_under5_mortality__jiefanglu__2023=0.26)
    current = df[df["year"] == 2023]
    # two more streets like 东关 and 姚家: five peers for 解放路
    more = [current[current["unit"] == u].assign(unit=new, unit_name=name)
            for u, new, name in (("dongguan", "wendong", "文东街道妇联"),
                                 ("yaojia", "jianxin", "建新街道妇联"))]
    frame = pd.concat([current, *more], ignore_index=True)
    units = [*UNITS, "wendong", "jianxin"]
    found = check_two_plans(frame, None, units, 2023)
    assert [(f.kind, f.unit, f.indicator, f.severity, f.rule) for f in found] == [
        ("wrong_unit_scale", "jiefanglu", "cp.under5_mortality", "warning",
         "unit_scale_vs_district_peers")]
    assert "同区5个单位中位数" in found[0].reference
    # the same value among peers as low as itself is no finding
    assert check_two_plans(frame.assign(value=frame["value"].where(
        frame["code"] != "cp.under5_mortality", 0.3)), None, units, 2023) == []


def test_a_rare_event_rate_falling_to_zero_without_its_counts_is_no_alarm():
    # the street states only the rate: 85.11/10万 (one death) one year, 0 the next
    found = check(tables(wp_maternal_deaths__yaojia__2023=None, wp_maternal_deaths__yaojia__2022=None,
                         wp_maternal_mortality__yaojia__2023=0, wp_maternal_mortality__yaojia__2022=85.11))
    assert "implausible_change" not in {f.kind for f in found}
    # a rate that is not of rare events still raises it (保险参保率 halving)
    found = check(tables(wp_maternity_insurance_rate__yaojia__2023=40.0))
    assert "implausible_change" in {f.kind for f in found}
