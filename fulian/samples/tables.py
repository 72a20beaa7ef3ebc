"""Tabular documents with ground truth: two-plans tables, petition reports, registers, records."""

from __future__ import annotations

import random

from fulian.samples import people
from fulian.samples.documents import Author, Draft
from fulian.samples.spec import DocSpec, SheetSpec, TableSpec
from fulian.samples.text import FULLWIDTH, cn_date
from schemas.monitoring_forms import load_monitoring_forms
from schemas.two_plans import load_two_plans_catalog

# code -> (low, high, decimals) of a plausible street-level value
TWO_PLANS_RANGES: dict[str, tuple[float, float, int]] = {
    "wp.maternal_mortality": (0, 18, 2), "wp.hospital_delivery_rate": (99.0, 100, 1),
    "wp.maternal_system_mgmt_rate": (88, 98, 1), "wp.common_disease_screening_rate": (80, 95, 1),
    "wp.urban_employees": (20000, 90000, 0), "wp.community_committee_members": (40, 120, 0),
    "wp.maternity_insurance_rate": (90, 99, 1), "cp.live_births": (800, 2500, 0),
    "cp.sex_ratio_at_birth": (103, 112, 1), "cp.infant_mortality": (1, 6, 2),
    "cp.under5_mortality": (2, 8, 2), "cp.immunization_rate": (98, 100, 1),
    "cp.under7_health_mgmt_rate": (92, 99, 1), "cp.preschool_gross_rate": (85, 99, 1),
    "cp.compulsory_retention_rate": (98, 100, 1), "cp.child_friendly_spaces": (3, 14, 0),
}
PARTS = {"wp.urban_female_employees": ("wp.urban_employees", 0.42, 0.5),
         "wp.community_committee_women": ("wp.community_committee_members", 0.5, 0.7)}
SHARES = {"wp.female_employment_share": "wp.urban_female_employees",
          "wp.community_committee_women_share": "wp.community_committee_women"}
MISSING = ("—", "暂无", "", "/")


def catalog_order(codes: list[str]) -> list[str]:
    """Codes in the order the catalog (and the printed form) lists them."""
    order = [i.code for i in load_two_plans_catalog().indicators]
    return sorted(set(codes), key=order.index)


def required_codes(year: int = 2013) -> list[str]:
    """What the district's street form asks for in `year` (schemas/monitoring_forms.yaml)."""
    form = load_monitoring_forms().form_for("street", year)
    return form.codes(year) if form is not None else []


def two_plans_values(rng: random.Random, codes: list[str]) -> dict[str, float]:
    """Plausible street-level values; mortality rates follow from whole deaths and births."""
    out: dict[str, float] = {}
    for code in codes:
        if code in TWO_PLANS_RANGES:
            low, high, digits = TWO_PLANS_RANGES[code]
            out[code] = round(rng.uniform(low, high), digits) if digits else float(rng.randint(int(low), int(high)))
    births = out.get("cp.live_births") or float(rng.randint(800, 2500))
    infant_deaths = rng.randint(0, 6)
    derived = {"cp.infant_mortality": infant_deaths / births * 1000,
               "cp.under5_mortality": (infant_deaths + rng.randint(0, 3)) / births * 1000,
               "wp.maternal_mortality": 0.0 if rng.random() < 0.85 else 1 / births * 100000}
    out.update({code: round(value, 2) for code, value in derived.items() if code in out})
    for part, (whole, lo, hi) in PARTS.items():
        if whole in out:
            out[part] = float(round(out[whole] * rng.uniform(lo, hi)))
    for share, part in SHARES.items():
        whole = PARTS[part][0]
        if part in out:
            out[share] = round(out[part] / out[whole] * 100, 1)
    return out


def _measure(code: str) -> str:
    ind = load_two_plans_catalog().get(code)
    return ind.measure if ind else ""


def previous_values(rng: random.Random, now: dict[str, float]) -> dict[str, float]:
    """Last year's values: within a few percent of this year's, parts and shares consistent."""
    out: dict[str, float] = {}
    for code, value in now.items():
        if code in TWO_PLANS_RANGES:
            low, high, digits = TWO_PLANS_RANGES[code]
            if _measure(code) == "%":  # rates move by points and stay in their range
                moved = min(max(value + rng.uniform(-1.5, 1.0), low), high)
            else:
                moved = value * rng.uniform(0.93, 1.04)
            out[code] = round(moved, digits) if digits else float(round(moved))
    for part, (whole, _, _) in PARTS.items():
        if part in now and whole in out:
            out[part] = float(round(now[part] / now[whole] * out[whole]))
    for share, part in SHARES.items():
        whole = PARTS[part][0]
        if share in now and part in out:
            out[share] = round(out[part] / out[whole] * 100, 1)
    return out


def _cell(rng: random.Random, value: float | None, measure: str) -> tuple[str | float | None, float | None]:
    """How a value is written in a cell, and the value a careful reader takes from it."""
    if value is None:
        return rng.choice(MISSING), None
    if float(value).is_integer():
        value = int(value)  # a count is written 1360, never 1360.0
    text = f"{value:g}"
    roll = rng.random()
    if roll < 0.15 and measure == "%":
        return f"{text}%", value
    if roll < 0.25:
        return text.translate(FULLWIDTH), value
    if roll < 0.32 and value >= 1000:
        return f"{int(value):,}", value
    if roll < 0.5:
        return text, value
    return value, value


def _label(rng: random.Random, code: str) -> tuple[str, str, str | None]:
    ind = load_two_plans_catalog().get(code)
    assert ind is not None, code
    label = rng.choice([ind.name, ind.name, *ind.aliases]) if ind.aliases else ind.name
    return label, ind.measure, ind.target


def two_plans_table(rng: random.Random, author: Author, year: int, show: set[str],
                    layout: str = "merged", n_rows: int = 3,
                    overrides: dict[str, float] | None = None) -> Draft:
    """A single-unit monitoring table, this year and last year: every required indicator
    plus `n_rows` optional ones, a few cells left blank (—, 暂无, /). `overrides` plants
    this year's values (e.g. a share that disagrees with its parts) for quality demos."""
    optional = sorted(set(TWO_PLANS_RANGES) - set(required_codes(year)))
    extra = rng.sample(optional, k=min(n_rows, len(optional)))
    codes = catalog_order([*required_codes(year), *extra, *(c for c in (*PARTS, *SHARES) if rng.random() < 0.5)])
    now = two_plans_values(rng, codes)
    before = previous_values(rng, now)
    now.update(overrides or {})
    codes = catalog_order([*codes, *(overrides or {})])
    if layout == "merged":
        header = [["指标名称", "计量单位", "目标值", f"{year}年", None], [None, None, None, "本期", "上年同期"]]
        merges = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 0, 4)]
    elif layout == "years":
        header, merges = [["指标名称", "计量单位", "目标值", f"{year}年", f"{year - 1}年"]], []
    elif layout == "years_rev":  # last year first, as some forms print it
        header, merges = [["指标名称", "计量单位", "目标值", f"{year - 1}年", f"{year}年"]], []
    else:  # year only in the title: 本年/上年
        header, merges = [["指标名称", "计量单位", "纲要目标", "本年实际", "上年实际"]], []
    rows, truth = [], []
    unit = author.unit
    for code in codes:
        label, measure, target = _label(rng, code)
        cur_v = None if rng.random() < 0.08 and code not in (overrides or {}) else now.get(code)
        prev_v = None if rng.random() < 0.12 else before.get(code)
        cur_cell, cur_truth = _cell(rng, cur_v, measure)
        prev_cell, prev_truth = _cell(rng, prev_v, measure)
        cells = [prev_cell, cur_cell] if layout == "years_rev" else [cur_cell, prev_cell]
        rows.append([label, measure, target or "", *cells])
        truth += [(unit, code, year, cur_truth), (unit, code, year - 1, prev_truth)]
    name = author.name.removesuffix("妇联") if "title" in show else ""
    title = rng.choice([f"{name}{year}年妇女儿童发展规划统计监测表", f"{name}{year}年“两规”统计监测表"])
    before_notes = [f"填报单位：{author.name}（盖章）"] if "header" in show else []
    after = [f"填报人：{people.name(rng)}    审核人：{people.name(rng)}",
             f"填报日期：{cn_date(year + 1, 1, rng.randint(5, 20))}"]
    if "signature" in show:
        after.insert(0, f"填报单位：{author.name}")
    sheet = SheetSpec(name=f"{year}年监测表", title=title, notes_before=before_notes, notes_after=after,
                      table=TableSpec(header=header, rows=rows, merges=merges), col_widths=[34, 10, 10, 12, 12])
    return Draft("two_plans_statistics", str(year), author, sheet, two_plans=truth)


def two_plans_summary(rng: random.Random, author: Author, year: int, units: list[tuple[str, str]]) -> Draft:
    """A district roll-up: one column per street, one year; units are in the header."""
    codes = rng.sample(sorted(TWO_PLANS_RANGES), k=8)
    header = [["指标名称", "计量单位", *[name for _, name in units]]]
    per_unit = {code: two_plans_values(rng, codes) for code, _ in units}
    rows, truth = [], []
    for code in codes:
        label, measure, _ = _label(rng, code)
        row: list[str | float | None] = [label, measure]
        for unit, _ in units:
            cell, value = _cell(rng, per_unit[unit].get(code), measure)
            row.append(cell)
            truth.append((unit, code, year, value))
        rows.append(row)
    sheet = SheetSpec(name="汇总", title=f"历下区各街道{year}年妇女儿童发展规划统计监测汇总表",
                      table=TableSpec(header=header, rows=rows),
                      notes_after=[f"填报单位：{author.name}", f"填报日期：{cn_date(year + 1, 1, 25)}"])
    return Draft("two_plans_statistics", str(year), author, sheet, two_plans=truth)


def petition_report(rng: random.Random, author: Author, year: int, quarter: int, show: set[str]) -> Draft:
    """Quarterly petition statistics; the 合计 row carries this unit's totals."""
    kinds = ["婚姻家庭纠纷", "家庭暴力", "劳动就业权益", "财产继承", "其他"]
    rows, totals = [], [0, 0, 0, 0, 0]
    for kind in kinds:
        letters, visits, calls = rng.randint(0, 3), rng.randint(0, 6), rng.randint(0, 5)
        got = letters + visits + calls
        done = max(0, got - rng.choice([0, 0, 0, 1])) if got else 0
        rows.append([kind, letters, visits, calls, got, done])
        totals = [a + b for a, b in zip(totals, [letters, visits, calls, got, done], strict=True)]
    received, closed = totals[3], totals[4]
    rate = round(closed / received * 100, 1) if received else 100.0
    rows = [[*r, f"{round(r[5] / r[4] * 100, 1):g}%" if r[4] else "—"] for r in rows]
    rows.append(["合计", *totals, f"{rate:g}%"])
    name = author.name if "title" in show else ""
    quarter_text = rng.choice([f"第{'一二三四'[quarter - 1]}季度", f"{quarter}季度"])
    sheet = SheetSpec(
        name="信访统计", title=f"{name}{year}年{quarter_text}信访维权统计报表",
        notes_before=[f"填报单位：{author.name}"] if "header" in show else [],
        table=TableSpec(header=[["类别", "来信（件）", "来访（件）", "来电（件）", "受理合计（件）",
                                 "办结（件）", "处结率"]], rows=rows),
        notes_after=[*([f"报送单位：{author.name}"] if "signature" in show else []),
                     f"报送日期：{cn_date(year, quarter * 3, 28)}"])
    truth = {"rights.cases_received": received, "rights.cases_closed": closed,
             "rights.case_closure_rate": rate}
    return Draft("petition_report", f"{year}-Q{quarter}", author, sheet, truth)


def _register(title: str, author: Author, header: list[str], rows: list[list], year: int,
              show: set[str], total: str | None = None) -> SheetSpec:
    after = [total] if total else []
    after.append(f"填报时间：{year}年{10 if '春蕾' in title else 11}月")
    before = [f"填报单位：{author.name}"] if show & {"header", "title", "signature"} else []
    return SheetSpec(name="登记表", title=title, notes_before=before, notes_after=after,
                     table=TableSpec(header=[header], rows=rows))


def chunlei_register(rng: random.Random, author: Author, year: int, show: set[str]) -> Draft:
    """历下区春蕾女童登记表: one row per girl with ID number and guardian's phone."""
    n = rng.randint(3, 12)
    rows = []
    for i in range(n):
        born = rng.randint(year - 15, year - 7)
        rows.append([i + 1, people.name(rng), f"{born}.{rng.randint(1, 12):02d}", people.id_number(rng, born),
                     rng.choice(["历下区实验小学", "燕山学校", "甸柳一小", "明湖小学"]),
                     f"{rng.randint(1, 6)}年级", people.name(rng), people.mobile(rng),
                     rng.choice(["父亲病故，母亲无业", "单亲家庭，低保户", "父母残疾，收入微薄"])])
    header = ["序号", "姓名", "出生年月", "身份证号码", "就读学校", "年级", "监护人", "联系电话", "家庭困难情况"]
    total = f"合计：{n}人" if rng.random() < 0.5 else None
    sheet = _register("历下区春蕾女童登记表", author, header, rows, year, show, total)
    return Draft("chunlei_register", str(year), author, sheet, {"child.chunlei_girls": n}, pii=True)


def single_mother_register(rng: random.Random, author: Author, year: int, show: set[str]) -> Draft:
    n = rng.randint(3, 10)
    rows = []
    for i in range(n):
        born = rng.randint(1965, 1985)
        rows.append([i + 1, people.name(rng), people.id_number(rng, born), year - born,
                     f"{rng.choice(['燕子山路', '和平路', '文化东路', '历山路'])}{rng.randint(1, 200)}号",
                     rng.choice([people.mobile(rng), people.landline(rng)]),
                     f"育有{rng.choice(['一子', '一女', '一子一女'])}", rng.choice(["下岗失业", "身患重病", "无固定收入"]),
                     rng.choice(["发放救助金500元", "帮助申请低保", "推荐就业"])])
    header = ["序号", "姓名", "身份证号", "年龄", "家庭住址", "联系电话", "子女情况", "困难原因", "救助情况"]
    title = rng.choice(["单亲特困母亲家庭台账", f"{year}年单亲特困母亲家庭情况登记表"])
    sheet = _register(title, author, header, rows, year, show)
    return Draft("single_mother_register", str(year), author, sheet, {}, pii=True)


def parent_school_record(rng: random.Random, author: Author, year: int, show: set[str]) -> Draft:
    """Activity log of a parent school: child.family_education_activities = number of rows."""
    topics = ["如何与青春期孩子沟通", "亲子阅读分享会", "家庭安全教育讲座", "好家风好家训故事会",
              "隔代教育专题讲座", "亲子户外拓展活动", "儿童心理健康辅导", "科学育儿知识讲座",
              "“六一”亲子游园活动", "寒假亲子手工制作"]
    n = rng.randint(4, 10)
    months = sorted(rng.sample(range(1, 13), k=n))
    rows = [[i + 1, f"{year}.{m}.{rng.randint(1, 28)}", topic, rng.choice(["社区妇女之家", "社区活动室", "家长学校教室"]),
             rng.randint(20, 80), rng.choice(["区妇联讲师团", "心理咨询师", "社区妇联主席", "学校德育老师"])]
            for i, (m, topic) in enumerate(zip(months, rng.sample(topics, k=n), strict=True))]
    header = ["序号", "活动日期", "活动主题", "活动地点", "参加人数", "主讲人"]
    title = rng.choice([f"{year}年家长学校家庭教育实践活动记录", "家长学校活动记录表"])
    sheet = _register(title, author, header, rows, year, show)
    return Draft("parent_school_record", str(year), author, sheet, {"child.family_education_activities": n})


def sheet_as_doc(sheet: SheetSpec, signature: list[str] | None = None) -> DocSpec:
    """The same table as a Word/PDF document: title, notes, table, notes."""
    return DocSpec(title=sheet.title or sheet.name, body=[*sheet.notes_before, sheet.table, *sheet.notes_after],
                   signature=signature or [], title_style="bold")
