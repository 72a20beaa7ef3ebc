"""Sentences that state indicator values in many ways, and distractors that must not count.

`state(code, value, ctx)` returns a sentence truly stating the value; `distract(...)`
returns sentences with numbers near the same keywords that are NOT this unit's value
for this period (targets, last year, next year's plan, a community's share, counts of
other things). Ground truth comes only from `state`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from fulian.samples.text import fmt_number

Value = float | bool


@dataclass
class Ctx:
    rng: random.Random
    styles: tuple[str, ...] = ("arabic",)  # number styles allowed in this document
    part: str | None = None  # a community name for "其中…社区" distractors
    span: str = "全年"  # 上半年 in a half-year summary
    case_word: str = "件"  # 件 or 起, one per document
    year: int = 2013

    def n(self, value: float, liang: bool = False) -> str:
        if liang and value == 2 and self.rng.random() < 0.5:
            return "两"
        return fmt_number(value, self.rng, self.styles)

    def k(self, low: int, high: int) -> str:
        return str(self.rng.randint(low, high))


def _pct(value: float) -> str:
    return f"{value:g}%"


def _trained(v: float, c: Ctx) -> str:
    return c.rng.choice([
        f"{c.span}共培训妇女{c.n(v)}人", f"共培训{c.n(v)}名妇女", f"共有{c.n(v)}名妇女参加了技能培训",
        f"开展技能培训{c.k(6, 15)}期，培训妇女达{c.n(v)}人次",
        f"举办家政服务、电子商务等培训班{c.k(4, 12)}期，参训妇女{c.n(v)}人",
        f"依托妇女之家开展创业就业培训，培训人数达{c.n(v)}人", f"累计培训妇女{c.n(v)}人次",
        f"组织{c.n(v)}名妇女参加育婴师、家政服务员等职业技能培训",
        f"培训人数{c.n(v)}人（其中下岗失业妇女{c.k(1, max(1, int(v) // 3))}人）"])


def _employed(v: float, c: Ctx) -> str:
    return c.rng.choice([f"帮助{c.n(v)}名妇女实现就业", f"安置妇女就业{c.n(v)}人", f"帮助辖区妇女实现就业{c.n(v)}人",
                         f"推荐{c.n(v)}名下岗失业妇女实现再就业",
                         f"通过岗位推介帮助妇女实现就业{c.n(v)}人", f"经培训后实现就业的妇女{c.n(v)}人",
                         f"帮助{c.n(v)}名妇女实现家门口就业"])


def _fairs(v: float, c: Ctx) -> str:
    date = f"{c.rng.randint(2, 10)}月{c.rng.randint(1, 28)}日"  # a date right before the keyword
    return c.rng.choice([f"举办妇女专场招聘会{c.n(v, liang=True)}场",
                         f"先后于{date}等时间举办妇女专场招聘会{c.n(v, liang=True)}场",
                         f"组织妇女专场招聘会{c.n(v, liang=True)}次",
                         f"联合劳动保障服务站举办妇女专场招聘会{c.n(v, liang=True)}场，"
                         f"{c.k(20, 60)}家企业提供就业岗位{c.k(300, 900)}个"])


def _entrepreneurs(v: float, c: Ctx) -> str:
    return c.rng.choice([f"扶持{c.n(v)}名妇女自主创业", f"扶持妇女创业{c.n(v)}人",
                         f"帮助{c.n(v)}名妇女申请小额担保贷款，成功实现自主创业",
                         f"帮助{c.n(v)}名妇女成功创业", f"扶持创业妇女{c.n(v)}人"])


def _received(v: float, c: Ctx) -> str:
    w = c.case_word
    return c.rng.choice([f"受理来信来访来电{c.n(v)}{w}", f"{c.span}共接待妇女群众来信来访{c.n(v)}{w}",
                         f"受理妇女信访案件{c.n(v)}{w}", f"共受理各类信访案件{c.n(v)}{w}"])


def _closed(v: float, c: Ctx) -> str:
    w = c.case_word
    return c.rng.choice([f"办结{c.n(v)}{w}", f"已办结{c.n(v)}{w}", f"其中办结{c.n(v)}{w}"])


def _rate(v: float, c: Ctx) -> str:
    return c.rng.choice([f"案件处结率达{_pct(v)}", f"处结率为{_pct(v)}", f"办结率{_pct(v)}", f"结案率{_pct(v)}"])


def _family(v: float, c: Ctx) -> str:
    return c.rng.choice([f"组织开展家庭教育实践活动{c.n(v)}次",
                         f"依托家长学校开展家庭教育实践活动{c.n(v)}次，参与家长{c.k(120, 600)}人次",
                         f"{c.span}举办家庭教育实践活动共{c.n(v)}次",
                         f"举办家庭教育讲座、亲子阅读等家庭教育实践活动{c.n(v)}场"])


def _chunlei(v: float, c: Ctx) -> str:
    return c.rng.choice([f"调查摸底，登记春蕾女童{c.n(v)}名", f"建立春蕾女童登记表，共登记春蕾女童{c.n(v)}人",
                         f"为{c.n(v)}名春蕾女童建立了档案"])


def _models(v: float, c: Ctx) -> str:
    return c.rng.choice([f"选树宣传妇女和家庭先进典型{c.n(v, liang=True)}个",
                         f"培树了{c.n(v, liang=True)}个先进典型并大力宣传",
                         f"推出先进典型{c.n(v, liang=True)}个"])


def _news(code: str) -> object:
    media = {"pub.news_provincial": ("省级媒体", "《大众日报》等省级报刊"),
             "pub.news_municipal": ("市级媒体", "《济南日报》《济南时报》等市级媒体"),
             "pub.news_national": ("全国级媒体", "《中国妇女报》")}[code]

    def news(v: float, c: Ctx) -> str:
        return c.rng.choice([f"在{media[0]}刊发宣传报道{c.n(v, liang=True)}篇",
                             f"在{media[1]}刊发稿件{c.n(v, liang=True)}篇",
                             f"工作经验被{media[1]}报道{c.n(v, liang=True)}次"])
    return news


def _subscription(v: float, c: Ctx) -> str:
    return c.rng.choice([f"妇联系统报刊征订任务完成率{_pct(v)}",
                         f"圆满完成报刊征订任务，完成率达{_pct(v)}"])


def _coverage(v: float, c: Ctx) -> str:
    if v == 100 and c.rng.random() < 0.3:
        return "实现社区妇联组织全覆盖"
    return c.rng.choice([f"辖区社区妇联组织建立率达{_pct(v)}",
                         f"辖区{c.k(6, 14)}个社区妇联组织建会率为{_pct(v)}"])


def _two_new(v: float, c: Ctx) -> str:
    return c.rng.choice([f"在两新组织中新建妇女组织{c.n(v, liang=True)}个",
                         f"在辖区非公企业和新社会组织中新成立妇委会{c.n(v, liang=True)}个",
                         f"新建两新组织妇女组织{c.n(v, liang=True)}个"])


def _model_homes(v: float, c: Ctx) -> str:
    return c.rng.choice([f"{c.n(v, liang=True)}个社区妇女之家被评为省级示范妇女之家",
                         f"新创建省级示范妇女之家{c.n(v, liang=True)}个"])


def _fund(v: Value, c: Ctx) -> str:
    if v:
        return c.rng.choice(["妇联专项工作经费单独建帐、独立核算，确保专款专用",
                             "专项经费做到单独建账，专款专用", "经费实行单独建账管理"])
    return "专项经费尚未单独建帐，与街道其他经费合并使用"


STATE = {
    "dev.women_trained": _trained, "dev.women_employed": _employed, "dev.job_fairs": _fairs,
    "dev.entrepreneurs_supported": _entrepreneurs, "rights.cases_received": _received,
    "rights.cases_closed": _closed, "rights.case_closure_rate": _rate,
    "child.family_education_activities": _family, "child.chunlei_girls": _chunlei,
    "pub.models_publicized": _models, "pub.news_provincial": _news("pub.news_provincial"),
    "pub.news_municipal": _news("pub.news_municipal"), "pub.news_national": _news("pub.news_national"),
    "pub.subscription_completion": _subscription, "org.federation_coverage": _coverage,
    "org.two_new_women_orgs_new": _two_new, "org.provincial_model_homes": _model_homes,
    "org.fund_separate_account": _fund,
}

# Targets restated from the standardisation document: numbers that are not results.
TARGETS = {
    "dev.women_trained": "按照每年培训妇女300人以上的要求",
    "dev.women_employed": "对照安置就业50人以上的目标",
    "dev.job_fairs": "按照每年举办妇女专场招聘会1-2场次的要求",
    "dev.entrepreneurs_supported": "围绕每年扶持5名以上妇女创业的任务",
    "rights.case_closure_rate": "按照案件处结率达98%以上的要求",
    "child.family_education_activities": "按照每年至少组织4次家庭教育实践活动的要求",
    "pub.news_municipal": "对照市级新闻宣传报道不少于2篇的目标",
}
# Next year's plan: measure word and wording per indicator.
PLANS = {
    "dev.women_trained": ("培训妇女", "人"), "dev.women_employed": ("安置妇女就业", "人"),
    "dev.job_fairs": ("举办妇女专场招聘会", "场"), "dev.entrepreneurs_supported": ("扶持妇女创业", "人"),
    "child.family_education_activities": ("开展家庭教育实践活动", "次"),
}
MEASURE = {"dev.women_trained": "人", "dev.women_employed": "人", "dev.entrepreneurs_supported": "人",
           "rights.cases_received": "件", "child.family_education_activities": "次"}


def state(code: str, value: Value, ctx: Ctx) -> str:
    return STATE[code](value, ctx)  # type: ignore[operator]


def last_year(code: str, value: float, ctx: Ctx) -> str | None:
    """'比去年的280人增加46人', '同比增长16.4%', '2011年以来累计培训妇女2600人次':
    appended to a true statement; none of these numbers is this period's value."""
    measure = MEASURE.get(code)
    if measure is None or value < 10:
        return None
    measure = ctx.case_word if measure == "件" else measure
    prev = int(value * ctx.rng.uniform(0.7, 0.95))
    options = [f"比去年的{prev}{measure}增加{int(value) - prev}{measure}",
               f"同比增长{(value - prev) / prev * 100:.1f}%", f"较上年增加{int(value) - prev}{measure}"]
    if code in PLANS and code != "child.family_education_activities":
        word = PLANS[code][0]
        options.append(f"{ctx.year - 2}年以来累计{word}{int(value * ctx.rng.uniform(2.2, 3.0))}{measure}")
    return ctx.rng.choice(options)


def community_share(code: str, value: float, ctx: Ctx) -> str | None:
    """'其中芙蓉街社区培训妇女86人': a part belonging to another unit."""
    if ctx.part is None or code not in ("dev.women_trained", "dev.women_employed") or value < 20:
        return None
    share = int(value * ctx.rng.uniform(0.2, 0.4))
    word = "培训妇女" if code == "dev.women_trained" else "安置妇女就业"
    return f"其中{ctx.part}{word}{share}人"


def plan_sentence(codes: list[str], values: dict[str, Value], next_label: str, ctx: Ctx) -> str:
    """The 'next year' paragraph: planned numbers larger than this year's, never results."""
    items = []
    for code in codes:
        if code in PLANS:
            word, measure = PLANS[code]
            base = values.get(code, 10)
            planned = int(float(base) * ctx.rng.uniform(1.1, 1.4)) + 1
            items.append(f"{word}{planned}{measure}")
    if not items:
        return f"{next_label}，我们将继续围绕中心、服务大局，推动妇联工作再上新台阶。"
    ordinals = "一二三四五六"
    parts = [f"{ordinals[i]}是计划{item}" for i, item in enumerate(items[:6])]
    return f"{next_label}工作打算：" + "；".join(parts) + "。"
