"""Periods from names, titles and dates; the document date from the closing lines."""

import pytest

from extract.periods import determine, explicit, full_dates


@pytest.mark.parametrize("text,period", [
    ("2013年工作总结", "2013"), ("泉城路街道妇联二〇一三年上半年工作总结", "2013-H1"),
    ("2013年下半年工作情况", "2013-H2"), ("2013年第三季度信访报表", "2013-Q3"),
    ("2013年3季度信访统计", "2013-Q3"), ("2013年度总结", "2013"), ("2013.11工作信息", "2013-11"),
    ("201311工作动态", "2013-11"), ("2013年11月5日举办招聘会", "2013-11"), ("2013-11-05 活动", "2013-11"),
    ("2013_11_信息", "2013-11"), ("2013年1-6月工作总结", "2013-H1"), ("2013年7至9月信访情况", "2013-Q3"),
    ("2013年1—12月妇联工作", "2013"), ("半年总结（2013）", "2013-H1"), ("二〇一三年十一月工作简报", "2013-11"),
])
def test_explicit_period(text: str, period: str) -> None:
    assert explicit(text).render(None) == period


@pytest.mark.parametrize("text", ["历下妇发〔2013〕12号", "关于做好妇女工作的通知", "泉城路2013-2014"])
def test_no_explicit_year(text: str) -> None:
    assert explicit(text).year is None


def test_full_dates_chinese_and_dotted() -> None:
    dates = [d[1:] for d in full_dates("2013年11月5日举办，2013.12.1再办，二〇一四年一月十日")]
    assert dates[:2] == [(2013, 11, 5), (2013, 12, 1)]
    assert (2014, 1, 10) in dates


def test_summary_signed_next_year_is_about_its_title_year() -> None:
    p = determine("总结.docx", "泉城路街道妇联2013年工作总结", [], ["泉城路街道妇联", "2014年1月10日"], "…", "year")
    assert (p.period, p.document_date, p.evidence) == ("2013", "2014-01-10", "title")


def test_info_report_takes_the_month_of_its_date() -> None:
    p = determine("信息.docx", "泉城路街道举办妇女专场招聘会", [], ["2013年11月5日"],
                  "2013年11月5日，泉城路街道妇联举办招聘会。", "month")
    assert (p.period, p.document_date) == ("2013-11", "2013-11-05")


def test_month_without_year_takes_year_from_elsewhere() -> None:
    p = determine("十一月份工作信息.doc", None, [], ["2013年11月28日"], "本月开展活动", "month")
    assert p.period == "2013-11"


def test_file_name_before_body() -> None:
    p = determine("2013年第三季度信访报表.xlsx", None, [], [], "2012年同期受理40件", "quarter")
    assert p.period == "2013-Q3" and p.evidence == "file name"


def test_body_year_when_nothing_explicit() -> None:
    p = determine("总结.docx", "工作总结", [], ["2014年1月8日"], "2013年，我们培训妇女。2013年全年举办活动。", "year")
    assert p.period == "2013"


def test_nothing_found() -> None:
    p = determine("a.docx", "工作总结", [], [], "培训妇女若干", "year")
    assert p.period is None and p.document_date is None


def test_monthly_report_titled_with_year_only_takes_month_from_dates() -> None:
    p = determine("简报.docx", "2013年第12期妇联工作简报", [], ["2013年6月30日"], "6月12日举办活动。", "month")
    assert p.period == "2013-06"
    p = determine("总结.docx", "2013年工作总结", [], ["2014年1月10日"], "", "year")
    assert p.period == "2013"
