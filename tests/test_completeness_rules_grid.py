"""Completeness rules as data (default file, another district's file, bad files) and the grid."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from quality.completeness import audit, render_grid
from quality.completeness_grid import short_name
from schemas.completeness import RulesError, load_completeness_rules


def local(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="Asia/Shanghai").tz_convert("UTC")


# shared/ lies beside the repository (in CI too).
SEED = Path(__file__).resolve().parents[2] / "shared/seed/lixia-fulian-2013-12-standardisation.txt"
SUB_COLUMNS = ["unit", "doc_type", "period", "received_at", "sha256", "source_path"]


# --- rules ----------------------------------------------------------------------------------

def test_default_rules_follow_the_seed():
    if not SEED.exists():
        pytest.skip("shared/seed is not beside the repository")
    rules = load_completeness_rules()
    street = {(r.doc_type, r.frequency): r for r in rules.for_level("street")}
    assert street[("info_report", "monthly")].min_count == 2
    assert "每月上报信息不少于2条" in street[("info_report", "monthly")].basis
    assert street[("parent_school_record", "yearly")].min_count == 4
    assert street[("petition_report", "quarterly")].suffixes() == ("Q1", "Q2", "Q3", "Q4")
    assert street[("work_summary", "half_yearly")].suffixes() == ("H1",)
    member = rules.for_level("member_unit")
    assert [(r.doc_type, r.frequency) for r in member] == [("two_plans_statistics", "yearly")]
    assert "妇儿工委成员单位日常信息报送及时" in member[0].basis
    seed = SEED.read_text(encoding="utf-8")
    for rule in rules.rules:  # every basis quotes the seed (…marks a cut)
        for piece in rule.basis.split("……"):
            assert piece.strip("。") in seed, piece
    assert rules.timezone == "Asia/Shanghai"


OTHER_DISTRICT = """
    timezone: Asia/Shanghai
    levels:
      street:
        - doc_type: info_report
          frequency: monthly
          only: [1, 2, 3]
          min_count: 3
          deadline_days: 0
          basis: "每月报送信息不少于3条"
      community:
        - doc_type: volunteer_log
          frequency: quarterly
          deadline_days: -5
          unit_word: 本
          basis: "巾帼志愿服务按季度登记"
"""

OTHER_DOC_TYPES = """
    doc_types:
      - {code: info_report, name: 信息简报, once_per_period: false, period: month}
      - {code: volunteer_log, name: 志愿服务台账, once_per_period: true, period: quarter}
"""


def test_another_districts_rules_load_from_a_path(tmp_path):
    (tmp_path / "rules.yaml").write_text(textwrap.dedent(OTHER_DISTRICT), encoding="utf-8")
    (tmp_path / "doc_types.yaml").write_text(textwrap.dedent(OTHER_DOC_TYPES), encoding="utf-8")
    rules = load_completeness_rules(tmp_path / "rules.yaml",
                                    doc_types_path=tmp_path / "doc_types.yaml")
    assert rules.source == str(tmp_path / "rules.yaml")
    units = pd.DataFrame([("d", "某区妇联", "district", None), ("s", "某街道妇联", "street", "d"),
                          ("c", "某社区妇联", "community", "s")],
                         columns=["code", "name", "level", "parent"])
    subs = pd.DataFrame([
        ("s", "info_report", "2020-01", local("2020-01-31 23:00"), "a", "p"),
        ("s", "info_report", "2020-01", local("2020-01-31 23:00"), "b", "p"),
        ("s", "info_report", "2020-01", local("2020-02-01 00:10"), "c", "p"),  # after the last day
        ("c", "volunteer_log", "2020-Q1", local("2020-03-26 10:00"), "d", "p"),  # 5 days before end
    ], columns=SUB_COLUMNS)
    from schemas.doc_types import load_doc_types
    rows = audit(units, subs, rules, 2020, local("2020-12-31 00:00"),
                 doc_types=load_doc_types(str(tmp_path / "doc_types.yaml"))).rows
    assert rows["period"].tolist() == ["2020-01", "2020-02", "2020-03",
                                       "2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4"]
    jan = rows.iloc[0]
    assert (jan["required"], jan["count"], jan["on_time"], jan["status"]) == (3, 3, 2, "late")
    assert jan["deadline"] == "2020-01-31"
    q1 = rows.iloc[3]
    assert (q1["label"], q1["deadline"], q1["status"], q1["unit_word"]) == (
        "志愿服务台账", "2020-03-26", "ok", "本")


def test_bad_rules_report_every_problem(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent("""
        timezone: Asia/Nowhere
        levels:
          street:
            - {doc_type: no_such_type, frequency: yearly, basis: 某句话}
            - {doc_type: work_summary, frequency: yearly, min_count: 2, basis: 某句话}
            - {doc_type: petition_report, frequency: quarterly, only: [H1], basis: 某句话}
            - {doc_type: info_report, frequency: weekly, basis: 某句话}
          village:
            - {doc_type: info_report, frequency: monthly, basis: 某句话}
            - {doc_type: info_report, frequency: monthly, basis: 某句话}
          community:
            - {doc_type: info_report, frequency: monthly}
    """), encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_completeness_rules(path)
    problems = "\n".join(err.value.problems)
    assert len(err.value.problems) == 8, problems
    for needle in ("unknown timezone", "unknown doc_type 'no_such_type'",
                   "min_count 2 for a once-per-period type", "does not fit frequency quarterly",
                   "levels.street[3].frequency: Input should be", "unknown level 'village'", "duplicate rule",
                   "levels.community[0].basis: Field required"):
        assert needle in problems


# --- grid -----------------------------------------------------------------------------------

def rows_for_grid() -> pd.DataFrame:
    units = pd.DataFrame([
        ("lixia", "历下区妇联", "district", None),
        ("quanchenglu", "泉城路街道妇联", "street", "lixia"),
        ("furongjie", "芙蓉街社区妇联", "community", "quanchenglu"),
        ("long", "历下区妇女儿童工作委员会办公室成员单位区卫生和计划生育局", "member_unit", "lixia"),
    ], columns=["code", "name", "level", "parent"])
    subs = [("quanchenglu", "info_report", "2013-01", local("2013-02-01 09:00"), "a", "p"),
            ("quanchenglu", "info_report", "2013-01", local("2013-02-01 09:00"), "b", "p"),
            ("quanchenglu", "info_report", "2013-02", local("2013-03-01 09:00"), "c", "p"),
            ("quanchenglu", "info_report", "2013-03", local("2013-04-09 09:00"), "d", "p"),
            ("quanchenglu", "info_report", "2013-03", local("2013-04-09 09:00"), "e", "p"),
            ("quanchenglu", "work_summary", "2013-H1", local("2013-07-01 09:00"), "f", "p")]
    subs_df = pd.DataFrame(subs, columns=SUB_COLUMNS)
    return audit(units, subs_df, load_completeness_rules(), 2013, local("2013-07-20 00:00")).rows


def render(table, width: int) -> list[str]:
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(table)
    return console.export_text().splitlines()


@pytest.mark.parametrize("width", [80, 100, 120])
def test_grid_fits_the_terminal(width):
    lines = render(render_grid(rows_for_grid(), width), width)
    assert max(cell_len(line.rstrip()) for line in lines) <= width
    text = "\n".join(lines)
    assert "泉城路" in text and "芙蓉街" in text and "街道妇联" not in text.split("图例")[0]
    assert "图例：✗ 未报" in text.replace("\n", "")
    assert "年度项依次为——街道：工作总结、工作总结(H1)、两规统计监测表、信访维权统计报表(Q1–Q4)" in (
        text.replace("\n", "").replace(" ", ""))


def test_grid_cells_show_the_worst_status_per_month():
    table = render_grid(rows_for_grid(), 120)
    units = [str(c) for c in table.columns[0].cells]
    row = units.index("泉城路")
    month = {m: list(table.columns[m].cells) for m in range(1, 13)}
    cell = {m: list(month[m])[row] for m in range(1, 13)}
    assert isinstance(cell[1], Text) and (str(cell[1]), cell[1].style) == ("✓", "green")
    assert (str(cell[2]), cell[2].style) == ("◐", "yellow")     # 1 of 2
    assert (str(cell[3]), cell[3].style) == ("!", "magenta")    # received 04-09, due 04-05
    assert (str(cell[5]), cell[5].style) == ("✗", "bold red")
    assert (str(cell[6]), cell[6].style) == ("✗", "bold red")   # due 07-05, as_of 07-20
    assert (str(cell[7]), cell[7].style) == ("·", "dim")        # due 08-05: pending
    yearly = list(table.columns[13].cells)[row]
    # Rule order: yearly summary, H1 summary, two-plans, Q1–Q4, chunlei, single mothers, parent school
    assert str(yearly) == "·✓·✗✗·····"
    member = units.index("历下区妇女儿童…")  # cut to 16 columns; a yearly item only
    assert str(list(month[1])[member]) == "" and str(list(table.columns[13].cells)[member]) == "·"
    assert "历下区" not in units  # the district owes nothing itself, so it has no row


def test_grid_shrinks_the_yearly_column_to_counts_when_narrow():
    rows = rows_for_grid()
    lines = render(render_grid(rows, 60), 60)
    assert max(cell_len(line.rstrip()) for line in lines) <= 60
    line = next(x for x in lines if x.startswith("泉城路"))
    assert "✗" in line and "·" in line


def test_short_names():
    assert short_name("泉城路街道妇联") == "泉城路"
    assert short_name("芙蓉街社区妇联") == "芙蓉街"
    assert short_name("某科技公司妇委会") == "某科技公司"
    assert short_name("区教育局") == "区教育局"
