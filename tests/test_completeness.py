"""Completeness audit on a fixture year (2013): statuses, placement, rates, notices, diff."""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest

from quality.completeness import (
    ROW_COLUMNS,
    audit,
    diff,
    missing_items,
    missing_notices,
    reporting_rates,
)
from schemas.completeness import load_completeness_rules

RULES = load_completeness_rules()
_seq = itertools.count()

UNITS = pd.DataFrame([
    ("lixia", "历下区妇联", "district", None),
    ("jiefanglu", "解放路街道妇联", "street", "lixia"),       # everything, on time
    ("quanchenglu", "泉城路街道妇联", "street", "lixia"),     # gaps of every kind
    ("furongjie", "芙蓉街社区妇联", "community", "quanchenglu"),  # stops after June
    ("baihuazhou", "百花洲社区妇联", "community", "quanchenglu"),  # everything
    ("kejigongsi", "某科技公司妇委会", "two_new", "lixia"),  # nothing
    ("jiaoyuju", "区教育局", "member_unit", "lixia"),        # late statistics
], columns=["code", "name", "level", "parent"])


def local(text: str) -> pd.Timestamp:
    """A Shanghai wall-clock time, stored as the archive does: UTC."""
    return pd.Timestamp(text, tz="Asia/Shanghai").tz_convert("UTC")


def sub(unit: str, doc_type: str, period: str, received: pd.Timestamp | str,
        sha: str | None = None) -> dict:
    when = received if isinstance(received, pd.Timestamp) else local(received)
    sha = sha or f"{unit}-{next(_seq):05d}"
    return {"unit": unit, "doc_type": doc_type, "period": period, "received_at": when,
            "sha256": sha, "source_path": f"inbox/{unit}/{sha}.docx"}


def next_month_first(month: int) -> str:
    return "2014-01-01 09:00" if month == 12 else f"2013-{month + 1:02d}-01 09:00"


def info_reports(unit: str, months: range) -> list[dict]:
    return [sub(unit, "info_report", f"2013-{m:02d}", next_month_first(m))
            for m in months for _ in range(2)]


def complete_street(unit: str) -> list[dict]:
    return info_reports(unit, range(1, 13)) + [
        sub(unit, "work_summary", "2013", "2014-01-08 10:00"),
        sub(unit, "work_summary", "2013-H1", "2013-07-08 10:00"),
        sub(unit, "two_plans_statistics", "2013", "2014-01-20 10:00"),
        sub(unit, "petition_report", "2013-Q1", "2013-04-05 10:00"),
        sub(unit, "petition_report", "2013-Q2", "2013-07-05 10:00"),
        sub(unit, "petition_report", "2013-Q3", "2013-10-05 10:00"),
        sub(unit, "petition_report", "2013-Q4", "2014-01-05 10:00"),
        sub(unit, "chunlei_register", "2013", "2014-01-20 10:00"),
        sub(unit, "single_mother_register", "2013", "2014-01-20 10:00"),
    ] + [sub(unit, "parent_school_record", f"2013-{m:02d}", next_month_first(m))
         for m in (3, 5, 9, 11)]


def complete_community(unit: str) -> list[dict]:
    return info_reports(unit, range(1, 13)) + [
        sub(unit, "work_summary", "2013", "2014-01-08 10:00")] + [
        sub(unit, "parent_school_record", f"2013-{m:02d}", next_month_first(m))
        for m in (3, 5, 9, 11)]


def quanchenglu() -> list[dict]:
    dropped = {("info_report", f"2013-{m:02d}") for m in (3, 4, 5, 6, 7)} | {
        ("petition_report", "2013-Q2"), ("petition_report", "2013-Q3"),
        ("parent_school_record", "2013-11")}
    keep = [s for s in complete_street("quanchenglu") if (s["doc_type"], s["period"]) not in dropped]
    u = "quanchenglu"
    return keep + [
        sub(u, "info_report", "2013-03", "2013-04-01 09:00"),           # short: 1 of 2
        sub(u, "info_report", "2013-05", "2013-06-05 23:30"),           # on the deadline day
        sub(u, "info_report", "2013-05", pd.Timestamp("2013-06-05 16:30", tz="UTC")),  # 00:30 next day
        sub(u, "info_report", "2013-06", pd.Timestamp("2013-07-05 15:59:59", tz="UTC")),
        sub(u, "info_report", "2013-06", pd.Timestamp("2013-07-05 15:59:59", tz="UTC")),
        sub(u, "info_report", "2013-07", "2013-08-01 09:00", sha="same-bytes"),
        sub(u, "info_report", "2013-07", "2013-08-02 09:00", sha="same-bytes"),  # identical file again
        sub(u, "info_report", "2013-08", "2013-08-03 09:00"),           # a third one in August: fine
        sub(u, "work_summary", "2013", "2014-01-09 10:00"),             # corrected resubmission
        sub(u, "petition_report", "2013-04", "2013-05-03 09:00"),       # monthly, not the Q2 report
        sub(u, "petition_report", "2013-05", "2013-06-03 09:00"),
        sub(u, "petition_report", "2013-Q3", "2013-10-15 09:00"),       # late (due 10-10)
        sub(u, "work_summary", "2013-H2", "2014-01-08 10:00"),          # not due: H1 only
        sub(u, "info_report", "2013", "2014-01-02 10:00"),              # no month
        sub(u, "chunlei_register", "2014", "2014-01-20 10:00"),         # another year
    ]


def furongjie() -> list[dict]:
    u = "furongjie"
    return info_reports(u, range(1, 7)) + [
        sub(u, "work_summary", "2013-H1", "2013-07-08 10:00"),  # a half-year summary is not the annual one
        sub(u, "parent_school_record", "2013", "2013-12-20 10:00"),
        sub(u, "parent_school_record", "2013", "2013-12-21 10:00"),
        sub(u, "parent_school_record", "2013-04", "2013-05-01 10:00"),
        sub(u, "parent_school_record", "2013-10", "2013-11-01 10:00"),
    ]


def submissions() -> pd.DataFrame:
    rows = (complete_street("jiefanglu") + quanchenglu() + furongjie()
            + complete_community("baihuazhou")
            + [sub("jiaoyuju", "two_plans_statistics", "2013", "2014-02-10 10:00"),
               sub("nobody", "work_summary", "2013", "2014-01-08 10:00"),
               sub("jiefanglu", "work_summary", "2013年", "2014-01-08 10:00"),
               sub("jiefanglu", "news_clipping", "2013-05", "2013-05-20 10:00")])
    return pd.DataFrame(rows)


YEAR_END = local("2014-03-01 00:00")
MID_YEAR = local("2013-07-03 12:00")


@pytest.fixture(scope="module")
def result():
    return audit(UNITS, submissions(), RULES, 2013, YEAR_END)


@pytest.fixture(scope="module")
def mid_year():
    return audit(UNITS, submissions(), RULES, 2013, MID_YEAR)


def cell(rows: pd.DataFrame, unit: str, doc_type: str, period: str) -> dict:
    hit = rows[(rows["unit"] == unit) & (rows["doc_type"] == doc_type) & (rows["period"] == period)]
    assert len(hit) == 1, (unit, doc_type, period)
    return hit.iloc[0].to_dict()


def status_of(rows: pd.DataFrame, unit: str) -> dict[str, int]:
    return rows[rows["unit"] == unit]["status"].value_counts().to_dict()


# --- statuses -------------------------------------------------------------------------------

@pytest.mark.parametrize("unit, doc_type, period, status, count, on_time", [
    ("quanchenglu", "info_report", "2013-01", "ok", 2, 2),
    ("quanchenglu", "info_report", "2013-03", "short", 1, 1),
    ("quanchenglu", "info_report", "2013-04", "missing", 0, 0),
    ("quanchenglu", "info_report", "2013-05", "late", 2, 1),   # 00:30 Shanghai is past the day
    ("quanchenglu", "info_report", "2013-06", "ok", 2, 2),     # 23:59:59 Shanghai is in time
    ("quanchenglu", "info_report", "2013-07", "short", 1, 1),  # the same bytes twice count once
    ("quanchenglu", "info_report", "2013-08", "ok", 3, 3),
    ("quanchenglu", "work_summary", "2013", "ok", 1, 1),       # two summaries, one report
    ("quanchenglu", "work_summary", "2013-H1", "ok", 1, 1),
    ("quanchenglu", "petition_report", "2013-Q2", "missing", 0, 0),
    ("quanchenglu", "petition_report", "2013-Q3", "late", 1, 0),
    ("quanchenglu", "parent_school_record", "2013", "short", 3, 3),
    ("furongjie", "info_report", "2013-06", "ok", 2, 2),
    ("furongjie", "info_report", "2013-07", "missing", 0, 0),
    ("furongjie", "work_summary", "2013", "missing", 0, 0),
    ("furongjie", "parent_school_record", "2013", "ok", 4, 4),  # yearly and monthly records add up
    ("kejigongsi", "work_summary", "2013", "missing", 0, 0),
    ("jiaoyuju", "two_plans_statistics", "2013", "late", 1, 0),
])
def test_cell_status(result, unit, doc_type, period, status, count, on_time):
    got = cell(result.rows, unit, doc_type, period)
    assert (got["status"], got["count"], got["on_time"]) == (status, count, on_time)


def test_status_totals_per_unit(result):
    rows = result.rows
    assert status_of(rows, "jiefanglu") == {"ok": 22}
    assert status_of(rows, "quanchenglu") == {"ok": 15, "short": 3, "missing": 2, "late": 2}
    assert status_of(rows, "furongjie") == {"ok": 7, "missing": 7}
    assert status_of(rows, "baihuazhou") == {"ok": 14}
    assert status_of(rows, "kejigongsi") == {"missing": 1}
    assert status_of(rows, "jiaoyuju") == {"late": 1}
    assert status_of(rows, "lixia") == {}  # the district owes itself nothing
    assert list(rows.columns) == list(ROW_COLUMNS)


def test_row_details(result):
    got = cell(result.rows, "quanchenglu", "info_report", "2013-03")
    assert got["required"] == 2 and got["deadline"] == "2013-04-05" and got["month"] == 3
    assert (got["unit_name"], got["label"], got["period_label"]) == ("泉城路街道妇联", "工作信息", "2013年3月")
    q = cell(result.rows, "quanchenglu", "petition_report", "2013-Q1")
    assert (q["month"], q["period_label"], q["label"]) == (3, "2013年第一季度", "信访维权统计报表")


def test_unplaced_submissions_say_why(result):
    lost = result.unplaced.set_index("sha256")["reason"]
    by = {(r.unit, r.doc_type, r.period): r.reason for r in result.unplaced.itertuples()}
    assert by[("quanchenglu", "petition_report", "2013-04")] == "too_fine"
    assert by[("quanchenglu", "petition_report", "2013-05")] == "too_fine"
    assert by[("furongjie", "work_summary", "2013-H1")] == "too_fine"
    assert by[("quanchenglu", "info_report", "2013")] == "too_coarse"
    assert by[("quanchenglu", "work_summary", "2013-H2")] == "not_due"
    assert by[("nobody", "work_summary", "2013")] == "unknown_unit"
    assert by[("jiefanglu", "work_summary", "2013年")] == "bad_period"
    assert by[("jiefanglu", "news_clipping", "2013-05")] == "no_rule"
    assert len(lost) == 8  # the 2014 register is another year's business, not unplaced


def test_pending_before_deadline(mid_year):
    rows = mid_year.rows
    # June's reports arrive 07-05 23:59, after as_of: not missing yet, the deadline is 07-05.
    assert cell(rows, "quanchenglu", "info_report", "2013-06")["status"] == "pending"
    assert cell(rows, "quanchenglu", "info_report", "2013-06")["count"] == 0
    # Already complete before the deadline: ok, not pending.
    assert cell(rows, "jiefanglu", "info_report", "2013-06")["status"] == "ok"
    assert cell(rows, "jiefanglu", "work_summary", "2013-H1")["status"] == "pending"
    assert cell(rows, "jiefanglu", "info_report", "2013-12")["status"] == "pending"
    assert cell(rows, "jiefanglu", "parent_school_record", "2013")["status"] == "pending"
    # Deadlines already passed judge as usual.
    assert cell(rows, "quanchenglu", "info_report", "2013-05")["status"] == "late"
    assert cell(rows, "quanchenglu", "info_report", "2013-04")["status"] == "missing"
    assert status_of(rows, "jiefanglu") == {"ok": 7, "pending": 15}


def test_inputs_must_be_timezone_aware():
    subs = submissions()
    subs["received_at"] = subs["received_at"].dt.tz_localize(None)
    with pytest.raises(ValueError, match="timezone-aware"):
        audit(UNITS, subs, RULES, 2013, YEAR_END)
    with pytest.raises(ValueError, match="as_of"):
        audit(UNITS, submissions(), RULES, 2013, pd.Timestamp("2014-03-01"))
    with pytest.raises(ValueError, match="sha256"):
        audit(UNITS, submissions().drop(columns="sha256"), RULES, 2013, YEAR_END)


def test_no_submissions_at_all():
    empty = submissions().iloc[0:0]
    rows = audit(UNITS, empty, RULES, 2013, YEAR_END).rows
    assert set(rows["status"]) == {"missing"} and len(rows) == 22 * 2 + 14 * 2 + 1 + 1


# --- rates ----------------------------------------------------------------------------------

def rate(rates: pd.DataFrame, unit: str, scope: str, period: str) -> tuple:
    hit = rates[(rates["unit"] == unit) & (rates["scope"] == scope) & (rates["period"] == period)]
    assert len(hit) == 1
    r = hit.iloc[0]
    return int(r["expected"]), int(r["actual"]), int(r["on_time"]), r["rate"], r["on_time_rate"]


def test_rates_per_unit_and_rolled_up(result):
    rates = reporting_rates(result.rows, UNITS)
    assert rate(rates, "quanchenglu", "own", "2013") == (22, 17, 15, 17 / 22, 15 / 22)
    assert rate(rates, "quanchenglu", "tree", "2013") == (50, 38, 36, 38 / 50, 36 / 50)
    assert rate(rates, "furongjie", "tree", "2013") == (14, 7, 7, 0.5, 0.5)
    assert rate(rates, "lixia", "tree", "2013") == (74, 61, 58, 61 / 74, 58 / 74)
    assert rate(rates, "jiaoyuju", "own", "2013") == (1, 1, 0, 1.0, 0.0)
    expected, actual, on_time, r, r_on_time = rate(rates, "lixia", "own", "2013")
    assert (expected, actual, on_time) == (0, 0, 0) and math.isnan(r) and math.isnan(r_on_time)
    assert len(rates) == len(UNITS) * 2 * 13


def test_monthly_rates_land_in_the_month_a_period_ends(result):
    rates = reporting_rates(result.rows, UNITS)
    assert rate(rates, "quanchenglu", "own", "2013-03")[:3] == (2, 1, 1)   # info + Q1
    assert rate(rates, "quanchenglu", "own", "2013-06")[:3] == (3, 2, 2)   # info + H1 + Q2
    assert rate(rates, "quanchenglu", "own", "2013-12")[:3] == (7, 6, 6)
    assert rate(rates, "quanchenglu", "tree", "2013-07")[:3] == (3, 1, 1)
    months = rates[(rates["scope"] == "tree") & (rates["period"] != "2013")]
    year = rates[(rates["scope"] == "tree") & (rates["period"] == "2013")]
    assert (months.groupby("unit")["expected"].sum().sort_index()
            == year.set_index("unit")["expected"].sort_index()).all()


def test_rates_leave_pending_out(mid_year):
    rates = reporting_rates(mid_year.rows, UNITS)
    assert rate(rates, "jiefanglu", "own", "2013")[:3] == (7, 7, 7)
    assert rate(rates, "jiefanglu", "own", "2013-12")[:3] == (0, 0, 0)


# --- notices --------------------------------------------------------------------------------

def test_notice_text_for_a_unit(result):
    notices = missing_notices(result.rows).set_index("unit")
    assert notices.loc["quanchenglu", "text"] == (
        "泉城路街道妇联：2013年3月工作信息缺1条（应报2条，已报1条）；2013年4月工作信息未报（应报2条）；"
        "2013年7月工作信息缺1条（应报2条，已报1条）；2013年第二季度信访维权统计报表未报（应报1份）；"
        "2013年家长学校活动记录缺1次（应报4次，已报3次）。请尽快补报。")
    assert (notices.loc["quanchenglu", ["missing", "short", "late"]].tolist()) == [2, 3, 0]
    assert notices.loc["kejigongsi", "text"] == "某科技公司妇委会：2013年工作总结未报（应报1份）。请尽快补报。"
    assert set(notices.index) == {"quanchenglu", "furongjie", "kejigongsi"}


def test_notices_with_late_items(result):
    notices = missing_notices(result.rows, include_late=True).set_index("unit")
    assert notices.loc["jiaoyuju", "text"] == (
        "区教育局：2013年两规统计监测表逾期报送（截止2014-01-31，按时0份，应报1份）。请今后按时报送。")
    items = missing_items(result.rows, include_late=True)
    assert len(items[items["unit"] == "quanchenglu"]) == 7


# --- diff -----------------------------------------------------------------------------------

def test_diff_between_mid_year_and_year_end(mid_year, result):
    d = diff(mid_year.rows, result.rows)
    ch = d.changes.set_index(["unit", "doc_type", "period"])["change"]
    assert ch[("quanchenglu", "info_report", "2013-06")] == "newly_complete"
    assert ch[("quanchenglu", "petition_report", "2013-Q3")] == "late_arrival"
    assert ch[("quanchenglu", "info_report", "2013-04")] == "still_missing"
    assert ch[("furongjie", "info_report", "2013-07")] == "newly_overdue"
    assert ("jiefanglu", "info_report", "2013-01") not in ch.index  # ok then, ok now
    assert d.text.startswith("与上次核查相比：新补齐")


def test_diff_exact_counts_and_text():
    base = {"unit_name": "泉城路街道妇联", "doc_type": "info_report", "label": "工作信息"}
    def rows(statuses: list[str]) -> pd.DataFrame:
        return pd.DataFrame([{**base, "unit": "quanchenglu", "period": f"2013-{i + 1:02d}",
                              "period_label": f"2013年{i + 1}月", "status": s}
                             for i, s in enumerate(statuses)])
    before = rows(["pending", "missing", "short", "ok", "pending", "ok"])
    after = rows(["ok", "late", "short", "missing", "missing", "ok"])
    d = diff(before, after)
    assert d.changes["change"].tolist() == [
        "newly_complete", "late_arrival", "still_missing", "regressed", "newly_overdue"]
    assert d.counts == {"newly_complete": 1, "late_arrival": 1, "newly_overdue": 1,
                        "still_missing": 1, "regressed": 1}
    assert d.text.splitlines()[0] == (
        "与上次核查相比：新补齐1项，逾期补报1项，新到期未报齐1项，仍未报齐1项，由齐全变为未齐1项。")
    assert "泉城路街道妇联2013年1月工作信息" in d.text
    assert diff(after, after).text == "与上次核查相比：仍未报齐3项。"  # still missing is news
    settled = rows(["ok", "late"])
    assert diff(settled, settled).text == "与上次核查相比没有变化。"
    first = diff(None, after)
    assert first.counts == {"newly_complete": 2, "late_arrival": 1, "newly_overdue": 3}


def test_python_datetimes_in_several_zones_and_unknown_receive_time():
    import datetime as dt
    shanghai = dt.timezone(dt.timedelta(hours=8))
    subs = pd.DataFrame([
        sub("jiefanglu", "info_report", "2013-01", "2013-02-01 09:00"),
        sub("jiefanglu", "info_report", "2013-02", "2013-03-01 09:00"),
        sub("jiefanglu", "info_report", "2013-02", "2013-03-01 09:00"),
    ])
    subs["received_at"] = pd.Series([
        dt.datetime(2013, 2, 5, 15, 59, tzinfo=dt.UTC),  # 23:59 in Shanghai: on time
        dt.datetime(2013, 3, 6, 0, 30, tzinfo=shanghai),          # half an hour late
        None], dtype=object)                                       # no receive time
    subs.loc[0, "sha256"] = None  # no hash: still one document
    extra = pd.DataFrame([sub("jiefanglu", "info_report", "2013-01", "2013-02-01 09:00")])
    subs = pd.concat([subs, extra], ignore_index=True)
    subs["received_at"] = subs["received_at"].astype(object)
    rows = audit(UNITS, subs, RULES, 2013, YEAR_END).rows
    jan = cell(rows, "jiefanglu", "info_report", "2013-01")
    feb = cell(rows, "jiefanglu", "info_report", "2013-02")
    assert (jan["count"], jan["on_time"], jan["status"]) == (2, 2, "ok")
    assert (feb["count"], feb["on_time"], feb["status"]) == (2, 0, "late")
    subs.loc[1, "received_at"] = dt.datetime(2013, 3, 6, 0, 30)  # naive among aware ones
    with pytest.raises(ValueError, match="timezone-aware"):
        audit(UNITS, subs, RULES, 2013, YEAR_END)


def test_rates_per_doc_type(result):
    rates = reporting_rates(result.rows, UNITS, by_doc_type=True)
    key = ["unit", "doc_type", "scope", "period"]
    r = rates.set_index(key)
    assert r.loc[("quanchenglu", "info_report", "own", "2013"), ["expected", "actual", "on_time"]
                 ].tolist() == [12, 9, 8]
    assert r.loc[("lixia", "work_summary", "tree", "2013"), ["expected", "actual", "on_time"]
                 ].tolist() == [7, 5, 5]  # 2 streets x (year, H1), 2 communities, 1 two_new
    assert r.loc[("lixia", "two_plans_statistics", "tree", "2013"), "on_time_rate"] == 2 / 3
    assert len(rates) == len(UNITS) * 7 * 2 * 13  # the seven types due somewhere
    whole = reporting_rates(result.rows, UNITS).set_index(["unit", "scope", "period"])
    summed = rates.groupby(["unit", "scope", "period"])[["expected", "actual", "on_time"]].sum()
    assert (summed.sort_index() == whole[["expected", "actual", "on_time"]].sort_index()).all().all()
