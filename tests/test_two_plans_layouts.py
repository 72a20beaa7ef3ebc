"""Two-plans tables laid out as statistics forms are: what is a data row and what is not.

Each case is a real xlsx through `extract_document`; the classes came from a held-out set of
published layouts (tests/realtables_holdout): a 比上年增减 column, the 甲/乙/丙/1/2 row of
statistical forms, a second form stacked under the first with its own header and a signature
line, and a share row whose name contains a count's name."""

from __future__ import annotations

from extract.pipeline import extract_document
from schemas.extraction import Extraction, Hints
from tests.test_tables_totals import sheet_bytes


def _read(rows: list[list[object]]) -> Extraction:
    return extract_document(sheet_bytes(rows), Hints(name="姚家街道2024年两规统计监测表.xlsx"), "0" * 64)


def _rows(ext: Extraction) -> list[tuple[str, str, int, float | None]]:
    return [(r.code, r.name, r.year, r.value) for r in ext.two_plans]


def test_a_change_column_is_not_last_years_values() -> None:
    ext = _read([["指标", "单位", "2023年", "2024年", "比上年增减"],
                 ["孕产妇住院分娩率", "%", 99.92, 99.95, 0.03],
                 ["活产数", "人", 1012, 968, -44]])
    got = _rows(ext)
    assert ("wp.hospital_delivery_rate", "孕产妇住院分娩率", 2023, 99.92) in got
    assert ("cp.live_births", "活产数", 2023, 1012) in got
    assert {v for *_, v in got} == {99.92, 99.95, 1012, 968}  # 0.03 and -44 are no year's value


def test_column_marks_repeated_headers_and_signatures_are_not_rows() -> None:
    form = [["指标名称", "代码", "计量单位", "本年", "上年"], ["甲", "乙", "丙", 1, 2]]
    ext = _read([["姚家街道妇女状况统计年报（2024年）"], *form, ["活产数", "01", "人", 1150, 1236],
                 ["姚家街道儿童状况统计年报（2024年）"], *form, ["婴儿死亡率", "03", "‰", 2.61, 2.43],
                 ["单位负责人：张丽", "", "统计负责人：刘芳", "", "填表人：陈静"]])
    names = {name for _, name, _, _ in _rows(ext)}
    assert names == {"活产数", "婴儿死亡率"}


def test_a_share_row_is_not_a_second_value_of_the_count_it_names() -> None:
    ext = _read([["指标", "计量单位", "2024年"],
                 ["城镇单位女性从业人员数", "人", 26570],
                 ["城镇单位女性从业人员构成", "%", 45.56]])
    got = _rows(ext)
    assert [v for code, _, _, v in got if code == "wp.urban_female_employees"] == [26570]
    assert ("", "城镇单位女性从业人员构成", 2024, 45.56) in got  # kept, unmatched, for a person


def test_names_of_the_2021_2030_outline_and_the_statistics_bureau_are_the_same_indicators() -> None:
    from schemas.two_plans import load_two_plans_catalog

    cat = load_two_plans_catalog()
    assert cat.match("7岁以下儿童健康管理率").code == "cp.under7_health_mgmt_rate"
    assert cat.match("*学前教育毛入园率").code == "cp.preschool_gross_rate"  # a footnote mark
    assert cat.match("城镇单位就业人员").code == "wp.urban_employees"
    assert cat.match("城镇单位就业人员中女性比重").code == "wp.female_employment_share"
    assert cat.match("女性从业人员占比(%)").code == "wp.female_employment_share"
    assert cat.match_part("其中:女性(人)", "wp.urban_employees").code == "wp.urban_female_employees"
    # near misses: the whole society's employed are not the urban units'; a rate is not a count
    assert cat.match("从业人员总数") is None
    assert cat.match("女职工生育保险覆盖率") is None


def test_a_wider_areas_figure_quoted_for_comparison_is_not_the_units() -> None:
    from schemas.two_plans import load_two_plans_catalog

    cat = load_two_plans_catalog()
    assert cat.match("孕产妇死亡率").code == "wp.maternal_mortality"
    for label in ("全国孕产妇死亡率", "全省婴儿死亡率", "全区婴儿死亡率", "婴儿死亡率（对照）", "孕产妇死亡率(参照)"):
        assert cat.match(label) is None, label
    ext = _read([["指标", "单位", "2016年"], ["孕产妇死亡率", "1/10万", 13.1],
                 ["全国孕产妇死亡率（对照）", "1/10万", 19.9]])
    assert [v for code, _, _, v in _rows(ext) if code == "wp.maternal_mortality"] == [13.1]
