"""Narrative documents with ground truth: work summaries, info reports, news clippings.

Each builder returns a `Draft`: the format-free content plus what a careful reader
would take from it (unit, period, type, indicator values).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from fulian.samples import phrasing as ph
from fulian.samples.spec import DocSpec, SheetSpec, TableSpec, Workbook
from fulian.samples.text import (
    CLOSINGS,
    FILLERS,
    OPENINGS,
    cn_date,
    cn_number,
    cn_year,
    community_full_name,
    street_name,
)

Value = float | bool
PLACES = ("title", "header", "signature", "body")  # where a document may name its unit


@dataclass
class Author:
    """Who wrote the document: a registry street, or a community the registry lacks."""

    name: str  # as written: 泉城路街道妇联, 泉城路街道芙蓉街社区妇联
    unit: str | None  # registry code (None for a new community)
    community: str | None = None  # full name of a new community
    parent: str | None = None  # its street's code

    @property
    def is_community(self) -> bool:
        return self.community is not None


@dataclass
class Draft:
    doc_type: str
    period: str
    author: Author
    content: DocSpec | SheetSpec | Workbook
    indicators: dict[str, Value] = field(default_factory=dict)
    two_plans: list[tuple[str | None, str, int, float | None]] = field(default_factory=list)
    pii: bool = False


AREAS = [
    ("（一）加强组织建设，夯实基层基础", ["org.federation_coverage", "org.two_new_women_orgs_new",
                                 "org.provincial_model_homes", "org.fund_separate_account"]),
    ("（二）突出宣传教育，弘扬社会新风", ["pub.models_publicized", "pub.news_provincial",
                                 "pub.news_municipal", "pub.news_national",
                                 "pub.subscription_completion"]),
    ("（三）促进妇女发展，助力创业就业", ["dev.job_fairs", "dev.women_trained", "dev.women_employed",
                                 "dev.entrepreneurs_supported"]),
    ("（四）依法维护妇女权益，促进社会和谐", ["rights.cases_received", "rights.cases_closed",
                                   "rights.case_closure_rate"]),
    ("（五）关爱儿童健康成长", ["child.family_education_activities", "child.chunlei_girls"]),
]


def pick_values(rng: random.Random, small: bool, share: float = 0.7) -> dict[str, Value]:
    """Plausible results for one unit and year; each indicator present with probability `share`."""
    f = 0.25 if small else 1.0
    received = rng.randint(int(12 * f) + 3, int(80 * f) + 5)
    closed = received - rng.choice([0, 0, 1, 2]) if received > 3 else received
    full = {
        "org.federation_coverage": rng.choice([100, 100, 100, 95.5]),
        "org.two_new_women_orgs_new": rng.randint(1, 5),
        "org.provincial_model_homes": rng.randint(1, 2),
        "org.fund_separate_account": rng.random() < 0.85,
        "pub.models_publicized": rng.randint(1, 3),
        "pub.news_provincial": rng.randint(1, 3),
        "pub.news_municipal": rng.randint(2, 8),
        "pub.news_national": 1,
        "pub.subscription_completion": rng.choice([100, 100, 98.6]),
        "dev.job_fairs": rng.randint(1, 3),
        "dev.women_trained": rng.randint(int(150 * f), int(1500 * f)),
        "dev.women_employed": rng.randint(int(40 * f), int(220 * f)),
        "dev.entrepreneurs_supported": rng.randint(2, int(18 * f) + 3),
        "rights.cases_received": received, "rights.cases_closed": closed,
        "rights.case_closure_rate": round(closed / received * 100, 1),
        "child.family_education_activities": rng.randint(4, 14),
        "child.chunlei_girls": rng.randint(3, int(30 * f) + 4),
    }
    if small:  # a community has no sub-units to organise or two-new organisations to count
        for code in ("org.federation_coverage", "org.two_new_women_orgs_new", "dev.job_fairs"):
            full.pop(code)
    chosen = {k: v for k, v in full.items() if rng.random() < share}
    if "rights.cases_received" not in chosen:  # "办结…件" is only written after "受理…件"
        chosen.pop("rights.cases_closed", None)
    return chosen


def _area_paragraph(heading: str, codes: list[str], values: dict[str, Value], ctx: ph.Ctx,
                    distract: float) -> str:
    rng, clauses = ctx.rng, []
    for code in codes:
        if code not in values:
            continue
        value = values[code]
        clause = ph.state(code, value, ctx)
        if code in ph.TARGETS and rng.random() < distract:
            clause = ph.TARGETS[code] + "，" + clause
        extra = ph.last_year(code, float(value), ctx) if rng.random() < distract else None
        share = ph.community_share(code, float(value), ctx) if rng.random() < distract else None
        clauses.append("，".join(c for c in (clause, extra, share) if c))
    if not clauses:
        return ""
    body = "；".join(clauses) + "。" + rng.choice(FILLERS)
    return f"{heading}。{body}" if rng.random() < 0.5 else f"{heading}\n{body}"


def _signature(author: Author, show: set[str], date: str, stamp: bool = False) -> list[str]:
    """The closing lines: unit (sometimes marked as stamped) and date, or the date alone."""
    if "signature" not in show:
        return [date]
    return [author.name + ("（盖章）" if stamp else ""), date]


def work_summary(rng: random.Random, author: Author, year: int, show: set[str],
                 half: bool = False, values: dict[str, Value] | None = None,
                 styles: tuple[str, ...] = ("arabic",), part: str | None = None,
                 partner: str | None = None) -> Draft:
    """An annual (or first-half) work summary stating `values` for the author and period."""
    values = pick_values(rng, author.is_community) if values is None else values
    ctx = ph.Ctx(rng, styles, part, span="上半年" if half else "全年",
                 case_word="起" if rng.random() < 0.2 else "件", year=year)
    name = author.name if "title" in show else ""
    span = "上半年" if half else rng.choice(["", "度"])
    year_text = cn_year(year) if rng.random() < 0.15 else str(year)
    title = rng.choice([f"{name}{year_text}年{span}工作总结", f"{name}{year_text}年{span}妇联工作总结"])
    if not name and rng.random() < 0.3:
        title = f"关于{year_text}年{span}妇联工作情况的汇报"
    self_name = author.name if "body" in show else ("我社区妇联" if author.is_community else "我街道妇联")
    openings = OPENINGS if year >= 2013 else OPENINGS[:2]  # [2] cites a 2013 document
    opening = rng.choice(openings).format(year=f"{year}年{'上半年' if half else ''}", unit=self_name,
                                          span=ctx.span)
    if rng.random() < 0.25:  # a document number and date that are not results
        opening = (f"根据区妇联《关于做好{year}年基层妇联工作的通知》（历下妇发〔{year}〕{rng.randint(2, 9)}号）"
                   f"和{year}年{rng.randint(2, 4)}月{rng.randint(1, 28)}日全区妇联工作会议要求，") + opening
    body: list[str] = [opening, "一、主要工作开展情况"]
    for heading, codes in AREAS:
        para = _area_paragraph(heading, codes, values, ctx, distract=0.35)
        if para:
            body.extend(para.split("\n"))
    if partner:  # another unit named in the body as a partner, not as the author
        body.insert(2, f"与{partner}联合举办“巾帼心向党”主题宣讲活动，营造了良好氛围。")
    table = _key_figures(values) if rng.random() < 0.25 else None
    if table is not None:  # the same results again, next to their targets and completion ratios
        body += ["主要指标完成情况见下表：", table]
    body += ["二、存在的问题", rng.choice(CLOSINGS).format(span=ctx.span), "三、下一步工作打算"]
    if year < 2013:  # the 18th Party Congress and the "Chinese Dream" date from late 2012
        body = [_before_2013(b) if isinstance(b, str) else b for b in body]
    next_label = "下半年" if half else rng.choice([f"{year + 1}年", "明年", "新的一年"])
    body.append(ph.plan_sentence(list(values), values, next_label, ctx))
    month, day = (7, rng.randint(1, 15)) if half else (12, rng.randint(10, 28))
    spec = DocSpec(title=title, body=body, header=author.name if "header" in show else None,
                   signature=_signature(author, show, cn_date(year, month, day, rng), rng.random() < 0.2),
                   title_style=rng.choice(["title", "heading", "bold", "bold", "plain"]),
                   doc_number=_doc_number(rng, author, year) if rng.random() < 0.2 else None)
    period = f"{year}-H1" if half else str(year)
    return Draft("work_summary", period, author, spec, dict(values))


# code -> (row label, target as written, target number for the completion ratio)
KEY_FIGURES: dict[str, tuple[str, str, float | None]] = {
    "dev.women_trained": ("培训妇女（人）", "300", 300), "dev.women_employed": ("安置就业（人）", "50", 50),
    "dev.job_fairs": ("妇女专场招聘会（场）", "1-2", None),
    "dev.entrepreneurs_supported": ("扶持妇女创业（人）", "5", 5),
    "child.family_education_activities": ("家庭教育实践活动（次）", "4", 4),
    "rights.case_closure_rate": ("案件处结率（%）", "98", 98),
}


def _key_figures(values: dict[str, Value]) -> TableSpec | None:
    """序号 | 指标 | 年度目标 | 完成情况 | 完成率: targets and ratios sit beside the results."""
    rows: list[list[str | int | float | None]] = []
    for code, (label, target, number) in KEY_FIGURES.items():
        if code in values and not isinstance(values[code], bool):
            value = float(values[code])
            ratio = f"{value / number * 100:.1f}%" if number else "—"
            rows.append([len(rows) + 1, label, target, f"{value:g}", ratio])
    if len(rows) < 2:
        return None
    return TableSpec(header=[["序号", "指标", "年度目标", "完成情况", "完成率"]], rows=rows)


def _before_2013(text: str) -> str:
    return text.replace("党的十八大精神", "党的十七届六中全会精神").replace("“中国梦”", "“喜迎十八大”")


def _doc_number(rng: random.Random, author: Author, year: int) -> str:
    short = author.name[:2]
    return f"{short}妇字〔{year}〕{rng.randint(3, 30)}号"


INFO_EVENTS = [
    ("dev.job_fairs", "{d}，{u}联合辖区劳动保障服务站举办妇女专场招聘会{n}场，{k}家用人单位进场招聘，"
                      "达成就业意向{j}人。"),
    ("child.family_education_activities", "{d}，{u}依托家长学校开展家庭教育实践活动{n}次，"
                                          "邀请心理咨询师为{k}名家长讲授亲子沟通技巧。"),
    ("dev.women_trained", "{d}，{u}举办巾帼家政服务技能培训班，培训妇女{n}人，培训期间邀请专业老师授课{k}课时。"),
    (None, "{d}，{u}组织巾帼志愿者{k}人走访慰问辖区困难妇女{j}户，送去米、面、油等慰问品。"),
    (None, "{d}，{u}开展“法律进社区”宣传咨询活动，发放宣传材料{k}0余份，接受群众咨询{j}人次。"),
]


def info_report(rng: random.Random, author: Author, year: int, month: int, show: set[str]) -> Draft:
    """A monthly 工作信息/简报: '十一月份' in the title, the year only in the dates."""
    month_text = rng.choice([f"{cn_number(month)}月份", f"{month}月份", f"{year}年{month}月"])
    name = author.name if "title" in show else ""
    title = rng.choice([f"{name}{month_text}工作信息", f"{name}工作动态（{month_text}）",
                        f"{name}妇联工作简报（{month_text}）"])
    self_name = author.name if "body" in show else ("我社区妇联" if author.is_community else "我街道妇联")
    events = rng.sample(INFO_EVENTS, k=rng.randint(2, 3))
    body, truth = [], {}
    for i, (code, text) in enumerate(events):
        n = rng.randint(1, 2) if code in ("dev.job_fairs", "child.family_education_activities") \
            else rng.randint(30, 90)
        day = rng.randint(3 + 8 * i, 9 + 8 * i)
        body.append(text.format(d=f"{month}月{day}日", u=self_name, n=n, k=rng.randint(12, 60),
                                j=rng.randint(10, 45)))
        if code:
            truth[code] = n
    spec = DocSpec(title=title, body=body, header=author.name if "header" in show else None,
                   signature=_signature(author, show, cn_date(year, month, rng.randint(25, 28))),
                   title_style=rng.choice(["bold", "title", "plain"]))
    return Draft("info_report", f"{year}-{month:02d}", author, spec, truth)


def news_clipping(rng: random.Random, author: Author, year: int, month: int) -> Draft:
    """A newspaper report about the unit's work, as submitted for the publicity count."""
    paper = rng.choice(["济南日报", "济南时报", "齐鲁晚报", "大众日报"])
    day = rng.randint(1, 28)
    street = author.name.removesuffix("妇联")
    spec = DocSpec(
        title=rng.choice([f"{street}：巾帼家政培训助力妇女就业", f"{street}妇联“娘家人”暖心维权"]),
        doc_number=f"《{paper}》{year}年{month}月{day}日 第A{rng.randint(2, 12)}版",
        body=[f"本报讯（记者 王静 通讯员 李娜）近日，{author.name}在辖区举办了一场别开生面的活动，"
              f"吸引了{rng.randint(50, 200)}余名居民参加。",
              "据介绍，今年以来该街道妇联坚持把服务妇女群众作为工作的出发点和落脚点，"
              "通过技能培训、岗位推介等方式帮助妇女实现家门口就业。"],
        title_style="bold")
    return Draft("news_clipping", f"{year}-{month:02d}", author, spec, {})


def other_document(rng: random.Random, author: Author, year: int, show: set[str]) -> Draft:
    """Correspondence with no indicators: a recommendation report or meeting minutes."""
    name = author.name if "title" in show else ""
    title, body = rng.choice([
        (f"{name}关于推荐{year}年度“三八”红旗手的报告",
         [f"根据区妇联通知要求，经{rng.randint(3, 9)}个社区妇代会民主推荐、街道妇联审核，"
          f"拟推荐{rng.choice(['王秀英', '李桂兰', '张丽娟'])}同志为{year}年度“三八”红旗手。",
          "该同志长期扎根社区，热心为妇女群众办实事，在群众中有较高威信。"]),
        (f"{name}妇代会会议记录",
         [f"{year}年{rng.randint(3, 10)}月{rng.randint(1, 28)}日下午，召开妇代会全体会议，"
          f"应到{rng.randint(9, 15)}人，实到{rng.randint(7, 9)}人。",
          "会议传达了区妇联工作会议精神，研究部署了下一阶段重点工作。"]),
    ])
    month = rng.randint(3, 11)
    spec = DocSpec(title=title, body=body, header=author.name if "header" in show else None,
                   signature=_signature(author, show, cn_date(year, month, rng.randint(1, 28))),
                   title_style=rng.choice(["bold", "plain"]))
    return Draft("other", str(year), author, spec, {})


def street_author(code: str, style: int = 0) -> Author:
    return Author(street_name(code, style), code)


def community_author(street: str, community: str) -> Author:
    full = community_full_name(street, community)
    return Author(full, None, community=full, parent=street)
