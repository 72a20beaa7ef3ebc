"""Numbers as written in Chinese documents."""

import pytest

from extract.numbers import cn_to_number, find_quantities, normalise, parse_number


@pytest.mark.parametrize("text,value", [
    ("三百二十六", 326), ("一千二百", 1200), ("十二", 12), ("两", 2), ("二〇一三", 2013),
    ("一万零五百", 10500), ("四十", 40), ("十", 10), ("九十八", 98), ("一百零八", 108),
])
def test_chinese_numerals(text: str, value: int) -> None:
    assert cn_to_number(text) == value


@pytest.mark.parametrize("text,value", [
    ("３２６", 326), ("1,200", 1200), ("１，２００", 1200), ("98.5%", 98.5), ("９８．５％", 98.5),
    ("百分之九十八", 98), ("三百二十六", 326), (" 45 ", 45), ("326人", 326),
    ("—", None), ("暂无", None), ("", None), ("约", None), ("2013年", None),
])
def test_parse_cell(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def _first(text: str):
    qs = find_quantities(text)
    assert qs, text
    return qs[0]


@pytest.mark.parametrize("text,value,measure", [
    ("培训妇女326人", 326, "人"), ("培训妇女３２６人次", 326, "人次"), ("三百二十六名妇女", 326, "名"),
    ("一千二百人次", 1200, "人次"), ("招聘会两场", 2, "场"), ("1,200人", 1200, "人"),
    ("处结率98.5%", 98.5, "%"), ("处结率百分之九十八", 98, "%"), ("开展培训12期", 12, "期"),
    ("受理来访45件", 45, "件"), ("1.2万人", 12000, "人"), ("326 人", 326, "人"),
])
def test_quantity_and_measure(text: str, value: float, measure: str) -> None:
    q = _first(text)
    assert (q.value, q.measure) == (value, measure)


def test_percentage_points_are_a_difference() -> None:
    q = _first("处结率提高了2.5个百分点")
    assert q.is_points and not q.is_percent


@pytest.mark.parametrize("text,low,high", [("每年举办1-2场次", 1, 2), ("举办一至两场", 1, 2), ("3～5人", 3, 5)])
def test_ranges_are_not_values(text: str, low: float, high: float) -> None:
    q = _first(text)
    assert q.is_range and q.value is None and (q.low, q.high) == (low, high)


@pytest.mark.parametrize("text", ["300余人", "约300人", "300多人", "300人左右"])
def test_approximate(text: str) -> None:
    q = _first(text)
    assert q.value == 300 and q.approx and q.measure == "人"


@pytest.mark.parametrize("text", ["两新组织", "一园一特色", "三八维权周", "十二五规划", "第3期", "百人宣讲团", "二〇一三年"])
def test_words_that_are_not_counts(text: str) -> None:
    assert find_quantities(text) == []


def test_normalise_keeps_length() -> None:
    text = "培训妇女３２６人，达９８．５％（全年）"
    assert len(normalise(text)) == len(text)
    assert normalise(text) == "培训妇女326人,达98.5%(全年)"
