"""Indicator values stated in sentences ("共培训326名妇女", "受理来信来访来电45件，办结44件").

Each number is paired with the nearest catalog keyword in its clause whose measure fits the
number's measure word. Numbers that are not this period's achievement are left alone:
targets restated (要求, 目标, 不少于, 每年…以上), plans (明年, 计划, 力争), comparisons
(去年, 同比, 比…), increments (增加46人), dates and document numbers, parts of plan sections.
A value stated nowhere is absent, never zero.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from itertools import accumulate

from extract.document import Block
from extract.numbers import Quantity, find_quantities
from extract.periods import prepare
from schemas.indicators import Indicator, IndicatorCatalog

# How well a measure word fits an indicator's measure (1.0 exact; lower: accepted if nothing better).
FIT: dict[str, dict[str, float]] = {
    "人": {"人": 1.0, "名": 1.0, "位": 1.0, "人次": 0.5},  # 人次 only when no 人 value exists
    "件": {"件": 1.0, "件次": 1.0, "起": 0.9, "例": 0.9, "宗": 0.9},
    "场": {"场": 1.0, "场次": 1.0, "次": 0.7},
    "次": {"次": 1.0, "场": 0.9, "场次": 0.9, "期": 0.8},
    "篇": {"篇": 1.0, "条": 0.8, "次": 0.6},
    # 家/所/处 mostly count places (在40家企业中建立…): a person confirms such a value
    "个": {"个": 1.0, "家": 0.5, "所": 0.5, "处": 0.5},
    "%": {"%": 1.0},
}
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
_CLAUSE = re.compile(r"(?:\d,(?=\d{3}(?!\d))|[^，,])+")  # a comma between digits groups thousands
_DATE = re.compile(r"(?:(?:19|20)\d{2}\s*年)?\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?(?:[至到\-—~～]\s*\d{1,2}\s*[日号])?"
                   r"|(?:19|20)\d{2}\s*年度?|\d{1,2}\s*[日号](?=[至到\-—~～，,、\s])"
                   r"|(?:19|20)\d{2}[./\-]\d{1,2}(?:[./\-]\d{1,2})?")
# Words that make a clause a target restated rather than an achievement.
_TARGET = re.compile(r"要求|目标|任务|不少于|不低于|不得少于|至少|指标|每年|每季度|每月")
_TARGET_LEAD = re.compile(r"对照|按照|根据|围绕|对标|依据")
_RETRO = re.compile(r"完成|实现|达到|超额|超过")
# Words after which the rest of the sentence is a plan for the future.
# 计划 as a programme's name ("春蕾计划", 《…计划》) is not a plan for next year.
_PLAN = re.compile(r"明年|下一步|下一年|来年|下年度|(?<!春蕾)计划(?!生育|[”\"」』》])|力争|拟|打算|争取|预计|将继续|将进一步|设想"
                   r"|将(?=在|于|要|会|组织|开展|举办|推出|陆续|再|建|实现|完成)|有望|即将")
# Stock and several years' totals (累计, 先后, 至今, 2010年以来): not this period's work.
# 三年来, 2015年来 (not 一年来: the year reported; not 2013年来信来访), 去年以来: across years
_SEVERAL_YEARS = r"多年来|近年来|历年来|(?:去|前|上)年以来"
_N_YEARS = r"(?:[两三四五六七八九十几]|\d{1,2}|(?:19|20)\d{2})\s*年"  # 三年, 2015年
_CUMULATIVE = re.compile(rf"累计|至今|历年|{_SEVERAL_YEARS}|(?<![一\d]){_N_YEARS}来(?![信访电])")
# 全年累计, 今年以来累计, 3月以来: this period (去年以来 is not)
_THIS_PERIOD = re.compile(r"全年|今年|本年|年内|当年|半年|季度|本月|当月|(?<!去年)(?<!前年)(?<!上年)以来")
# A paragraph that opens on several years (近年来，…) goes on counting them in its next sentences
# until one names this period again.
_SPAN_OPENER = re.compile(rf"^\s*(?:\S{{0,12}}?[，,]\s*)?(?:{_SEVERAL_YEARS}|{_N_YEARS}(?:以)?来(?![信访电]))")
# "目前，全市已在…建立妇女组织197个": what exists now, counted over the years
_NOW = re.compile(r"^\s*(?:(?:据统计|据了解|据悉|统计显示)\s*[，,]?\s*)?(?:截至|截止|到)?目前")  # 据统计，截至目前…
# Marks around a term do not change it: 新建“两新”组织妇女组织3个 reads as 新建两新组织妇女组织3个.
_QUOTES = re.compile(r"[“”‘’「」『』《》〈〉\"'〝〞]")
# A completion rate against a quota of subscriptions: "…230份，完成任务数的100%", "任务完成率达103.5%"
_QUOTA_RATE = re.compile(r"(?:完成(?:了)?(?:全年|上级下达的?)?(?:征订)?任务(?:数)?的|任务完成率(?:达到?|为)?|完成率(?:达到?|为)?)\s*"
                         r"(\d+(?:\.\d+)?)\s*%")
_SUBSCRIPTION = re.compile(r"征订|订阅|报刊|妇女报|杂志")
_COMPARE = re.compile(r"去年|上年|前年|同期|同比|环比|比\S{0,6}?的|较"
                      r"|多年来|历年|[两三四五六七八九十几]\s*年来")  # several years' total
_CHANGE_BEFORE = re.compile(r"(增加|增长|减少|提高|下降|增|减|多出|少于|多于|上升|翻了?)了?\s*$")
_OTHER_PLACE = re.compile(r"[\u4e00-\u9fa5]{2,6}社区(?!妇联组织)")
# Between a keyword and its number, these words mean the number counts something else.
_GAP_OTHER = re.compile(r"意向|岗位|咨询|资料|材料|宣传单|宣传品|发放|观众|培训班|课时|学时|家庭")
_NEGATION = re.compile(r"未|没有|尚未|不够|不能|没")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|第[一二三四五六七八九十]+[部分章节])")
_PLAN_HEADING = re.compile(r"打算|计划|思路|设想|安排|目标|要求|重点工作|工作重点|明年|下步|下一步|来年|展望")
_PAST_HEADING = re.compile(r"完成情况|主要成绩|工作回顾|取得的成效|主要做法|开展情况")


@dataclass
class Found:
    code: str
    value: float | bool
    measure: str
    confidence: float
    snippet: str
    location: str
    order: int


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _keyword_spans(ind: Indicator, clause: str) -> list[tuple[int, int]]:
    spans = []
    for kw in sorted(ind.keywords, key=len, reverse=True):
        if kw not in clause:  # most keywords are absent: skip the regex (30% of extraction time)
            continue
        for m in re.finditer(re.escape(kw), clause):
            if not any(s <= m.start() < e for s, e in spans):
                spans.append((m.start(), m.end()))
    return spans


def _distance(span: tuple[int, int], q: Quantity) -> float:
    if span[1] <= q.start:
        return q.start - span[1]
    return span[0] - q.end + 3  # a keyword after the number is a weaker pairing


def _all_keyword_spans(catalog: IndicatorCatalog, clause: str) -> list[tuple[int, int]]:
    return [s for ind in catalog.indicators for s in _keyword_spans(ind, clause)]


def _excluded(clause: str, q: Quantity, prev_end: int) -> bool:
    """A number that is a comparison, an increment or another year's figure."""
    segment = clause[prev_end:q.start]
    if _COMPARE.search(segment) or _CHANGE_BEFORE.search(segment):
        return True
    after = clause[q.end:q.end + 4]
    return bool(re.match(r"\s*(?:以上的|的(?:要求|目标|任务))|\s*的?意向", after))


def _taken(ind: Indicator, span: tuple[int, int], q: Quantity, others: list[Quantity]) -> bool:
    """Another fitting number sits between the keyword and this one: the keyword is that number's."""
    lo, hi = (span[1], q.start) if span[1] <= q.start else (q.end, span[0])
    fits = FIT.get(ind.measure, {})
    return any(o is not q and lo <= o.start and o.end <= hi and o.measure in fits for o in others)


_COUNTED_NOUN = re.compile(r"女性|妇女|姐妹|人员|群众|家庭|学员|妈妈|母亲|女童|儿童")


_QUOTED = re.compile(r"[“‘「『《〈\"'〝]([^“”‘’「」『』《》〈〉\"'〝〞]{1,30})[”’」』》〉\"'〞]")


def _unquote(text: str) -> str:
    """Quoted terms read as the words they quote; a name in quotes is one term, so words
    inside it (“春风送岗位”) do not count as what lies between a keyword and its number."""
    text = _QUOTED.sub(lambda m: _GAP_OTHER.sub(lambda g: "＊" * len(g.group()), m.group(1)), text)
    return _QUOTES.sub("", text)


def _modifier(clause: str, q: Quantity, span: tuple[int, int]) -> bool:
    """A keyword right after the number that describes the people counted (1000余名创新创业女性
    参加培训): they are trainees described, not entrepreneurs supported."""
    return span[0] >= q.end and span[0] - q.end <= 4 and bool(_COUNTED_NOUN.match(clause, span[1]))


def _pair(catalog: IndicatorCatalog, clause: str, q: Quantity, sentence: str,
          others: list[Quantity]) -> tuple[Indicator, float] | None:
    """The indicator whose keyword sits nearest the number, if the measure fits."""
    best: tuple[float, Indicator, float] | None = None
    for ind in catalog.indicators:
        fit = FIT.get(ind.measure, {}).get(q.measure)
        if not fit:
            continue
        if ind.requires and not any(r in sentence for r in ind.requires):
            continue
        for span in _keyword_spans(ind, clause):
            d = _distance(span, q)
            gap = clause[span[1]:q.start] if span[1] <= q.start else clause[q.end:span[0]]
            if d < 0 or d > 24 or _GAP_OTHER.search(gap) or _taken(ind, span, q, others):
                continue
            # a keyword that only describes the people counted: a person decides
            this_fit = fit * (0.5 if _modifier(clause, q, span) else 1.0)
            if best is None or d < best[0]:
                best = (d, ind, this_fit)
    if best is None:
        return None
    d, ind, fit = best
    return ind, fit * (1.0 if d <= 6 else 0.9 if d <= 12 else 0.8)


_BOUND_AFTER = re.compile(r"\s*(?:以上|以下|之上)")
_FULL_COVERAGE = re.compile(r"全覆盖|全部建立|全面覆盖")


def _word_rates(catalog: IndicatorCatalog, clause: str) -> list[tuple[Indicator, Quantity, float]]:
    """"实现社区妇联组织全覆盖": a rate of 100% said in words."""
    m = _FULL_COVERAGE.search(clause)
    if not m:
        return []
    q = Quantity(100.0, "%", m.start(), m.end(), m.group())
    return [(ind, q, 0.9) for ind in catalog.indicators
            if ind.measure == "%" and any(kw in clause for kw in ind.keywords)]


def _clause_values(catalog: IndicatorCatalog, clause: str, sentence: str) -> list[tuple[Indicator, Quantity, float]]:
    out = []
    prev_end = 0
    quantities = find_quantities(clause)
    for q in quantities:
        if q.is_range or q.is_points or q.value is None or not q.measure:
            prev_end = q.end
            continue
        if not _excluded(clause, q, prev_end):
            paired = _pair(catalog, clause, q, sentence, quantities)
            if paired:
                ind, conf = paired
                conf *= 0.8 if q.approx else 1.0
                # "就业率达到80%以上": a bound, not the rate; a person reads it (待核实)
                conf *= 0.5 if q.measure == "%" and _BOUND_AFTER.match(clause, q.end) else 1.0
                conf *= 0.5 if _in_brackets(clause, q.start) else 1.0
                conf *= 0.7 if "其中" in clause[:q.start] else 1.0  # a part of a total stated elsewhere
                conf *= 0.6 if _OTHER_PLACE.search(clause) else 1.0
                out.append((ind, q, conf))
        prev_end = q.end
    return out or _word_rates(catalog, clause)


def _neighbour_values(catalog: IndicatorCatalog, clauses: list[str], i: int,
                      sentence: str) -> list[tuple[Indicator, Quantity, float]]:
    """A number whose keyword sits in the next or previous clause, itself without numbers but money.

    "帮助12名妇女申请小额贷款，成功实现自主创业" / "开展技能培训，共计326人"."""
    clause = clauses[i]
    if _all_keyword_spans(catalog, clause):
        return []
    for j in (i + 1, i - 1):
        # a neighbour holding only money may still name who is counted: "春蕾资助款6万元，受助女童45名"
        if 0 <= j < len(clauses) and all(q.measure == "元" for q in find_quantities(clauses[j])) \
                and not _PLAN.search(clauses[j]) \
                and not _is_target_clause(catalog, clauses[j]):
            joined = clause + "，" + clauses[j] if j > i else clauses[j] + "，" + clause
            found = _clause_values(catalog, joined, sentence)
            if found:
                return [(ind, q, conf * 0.85) for ind, q, conf in found]
    return []


def _in_brackets(clause: str, pos: int) -> bool:
    """A number inside (…) is an aside: 培训326人（其中下岗失业妇女100人）."""
    before = clause[:pos]
    return before.rfind("(") > before.rfind(")")


def _is_target_clause(catalog: IndicatorCatalog, clause: str) -> bool:
    chars = list(clause)
    for kw in {k for ind in catalog.indicators for k in ind.keywords}:  # 征订任务 is a keyword, not a target
        if kw not in clause:
            continue
        for m in re.finditer(re.escape(kw), clause):  # found in the clause as written: overlaps all go
            chars[m.start():m.end()] = " " * len(kw)
    bare = "".join(chars)
    return bool(_TARGET.search(bare))


def sentence_values(catalog: IndicatorCatalog, sentence: str, other_year: re.Pattern[str] | None = None,
                    in_target: bool = False, outer: re.Pattern[str] | None = None
                    ) -> list[tuple[Indicator, Quantity, float]]:
    """Values in one sentence, after dates and document numbers are blanked out."""
    text = _unquote(prepare(sentence))
    if other_year:  # another year's figure reads like 去年's: mark it so _COMPARE sees it
        text = other_year.sub(lambda m: "上年" + " " * (len(m.group()) - 2), text)
    # "2011年以来累计…" is several years' total: keep that meaning once the date is blanked
    # (the report's own year 以来 is this year: "2013年以来" in a 2013 summary)
    text = re.sub(r"(?:19|20)\d{2}\s*年以来", lambda m: m.group() if other_year and not other_year.match(m.group())
                  else "历年" + " " * (len(m.group()) - 2), text)
    text = _blank(text, _DATE)
    out = []
    carry = in_target
    last: list[tuple[Indicator, Quantity, float]] = []
    clauses = [m.group() for m in _CLAUSE.finditer(text)]
    # what is asked of the whole sentence, asked once: per clause it was quadratic (a CSV's
    # 200,000-character field is one sentence of 12,000 clauses: 64 s, issue 14)
    part_before = list(accumulate(["其中" in c for c in [""] + clauses[:-1]], operator.or_))
    whole = _Sentence(bool(_THIS_PERIOD.search(text)), bool(_NOW.search(text)))
    for i, clause in enumerate(clauses):
        if outer and outer.search(clause):  # 全区共培训… in a street's report: the district's figure
            continue
        cumulative = _stock(whole, clause)
        if cumulative:
            carry = True  # the rest of the sentence counts several years or the stock
            clause = clause[:cumulative.start()]
        target = _is_target_clause(catalog, clause)
        plan = _PLAN.search(clause)
        if plan:
            carry = True
            clause = clause[:plan.start()]  # what precedes 计划 in the clause may still be done work
        if target:
            if not _RETRO.search(clause):
                carry = carry or clause.rstrip().endswith((":", "："))
            lead = _TARGET_LEAD.search(clause)  # "…刊发稿件1篇对照…不少于2篇的目标" (a lost ；)
            if lead and lead.start() > 0 and not carry and not _is_target_clause(catalog, clause[:lead.start()]):
                out += _clause_values(catalog, clause[:lead.start()], text)
            continue
        if carry:
            continue
        found = _clause_values(catalog, clause, text) or _neighbour_values(catalog, clauses, i, text)
        women = _women_part(clause, last) if not found else []
        if women:  # "培训各类人员560人，其中妇女480人": the women are the indicator's value
            out = [f for f in out if f not in last] + women
            last = women
            continue
        if part_before[i]:  # 其中… opened earlier in the sentence: a part
            found = [(ind, q, conf * 0.7) for ind, q, conf in found]
        out += found
        last = found
    return out


@dataclass(frozen=True)
class _Sentence:
    this_period: bool  # the sentence speaks of this period's work (_THIS_PERIOD)
    now: bool  # … or of what exists now (_NOW)


def _stock(sentence: _Sentence, clause: str) -> re.Match[str] | None:
    """Where a clause starts counting several years or what exists now (not this period's work)."""
    m = _CUMULATIVE.search(clause)
    if m and not sentence.this_period:
        return m
    if sentence.now:  # 目前，全市已在…建立妇女组织197个
        return re.search(r"已(?!经?(?:圆满)?(?:结束|完成))", clause)
    return None


_WOMEN_PART = re.compile(r"其中\s*(?:妇女|女性)")


def _women_part(clause: str, previous: list[tuple[Indicator, Quantity, float]]
                ) -> list[tuple[Indicator, Quantity, float]]:
    """The women among people counted in the clause before, for indicators about women."""
    if not _WOMEN_PART.search(clause):
        return []
    people = [q for q in find_quantities(clause) if q.measure in ("人", "名") and q.value is not None]
    about_women = [(ind, conf) for ind, _, conf in previous if ind.measure == "人" and ind.area == "dev"]
    return [(ind, people[0], conf) for ind, conf in about_women] if people else []


_ALL_CLOSED = re.compile(r"(?:全部|均已|均|已全部|全都)(?:办结|结案|处结|办理完毕)")


def _all_closed(found: list[tuple[Indicator, Quantity, float]], sentence: str,
                catalog: IndicatorCatalog) -> list[tuple[Indicator, Quantity, float]]:
    """"受理信访案件45件，已全部办结": as many closed as received, said in words."""
    received = [(q, c) for ind, q, c in found if ind.code == "rights.cases_received"]
    if not received or not _ALL_CLOSED.search(sentence) or any(i.code == "rights.cases_closed" for i, _, _ in found):
        return []
    closed = next((i for i in catalog.indicators if i.code == "rights.cases_closed"), None)
    return [(closed, received[0][0], received[0][1] * 0.9)] if closed else []


def _yes_no(catalog: IndicatorCatalog, sentence: str) -> list[tuple[Indicator, bool]]:
    """Yes/no indicators: a keyword stated as done (设立专户: True), as not done (暂未独立核算:
    False), or a `no_keywords` phrase with its subject (经费…与工会经费合并使用: False)."""
    if _TARGET.search(sentence) or _PLAN.search(sentence):
        return []
    out = []
    for ind in catalog.indicators:
        if ind.measure != "yes/no":
            continue
        hits = [m for k in ind.keywords for m in re.finditer(re.escape(k), sentence)]
        if hits:
            negated = any(_NEGATION.search(sentence[max(0, m.start() - 4):m.start()]) for m in hits)
            out.append((ind, not negated))
        elif any(k in sentence for k in ind.no_keywords) and any(r in sentence for r in ind.no_requires):
            out.append((ind, False))
    return out


def _quota_rates(catalog: IndicatorCatalog, sentence: str) -> list[tuple[Indicator, float]]:
    """A subscription quota met: "订阅报刊230份，完成任务数的100%" is a result, not a target."""
    m = _QUOTA_RATE.search(_QUOTES.sub("", prepare(sentence)))
    if not m or not _SUBSCRIPTION.search(sentence) or _PLAN.search(sentence[:m.start()]):
        return []
    ind = next((i for i in catalog.indicators if i.code == "pub.subscription_completion"), None)
    return [(ind, float(m.group(1)))] if ind else []


def _spans_years(sentence: str, current: bool, year: int | None) -> bool:
    """Whether this sentence still counts several years: a paragraph opened on 近年来 does until
    a sentence names this period (全年, 今年, the report's own year)."""
    if _THIS_PERIOD.search(sentence) or (year and re.search(rf"{year}\s*年(?!以?来)", sentence)):
        return False
    return current or bool(_SPAN_OPENER.search(sentence))


def _section_state(block: Block, current: bool) -> bool:
    """Whether the blocks from here on are plans or targets (三、2014年工作打算)."""
    text = block.text.strip()
    heading = block.kind in ("heading", "title") or (len(text) <= 30 and _HEADING.match(text))
    if not heading:
        return current
    if _PAST_HEADING.search(text):
        return False
    return bool(_PLAN_HEADING.search(text))


def extract(blocks: list[Block], catalog: IndicatorCatalog, year: int | None = None,
            outer: re.Pattern[str] | None = None) -> list[Found]:
    """Every indicator value stated in the blocks' sentences, in reading order; `outer`: words
    naming a wider area than the sender's (全区 in a street's report), whose figures are context."""
    other_year = re.compile(rf"(?:19|20)\d{{2}}(?<!{year})\s*年") if year else None
    found: list[Found] = []
    plan_section = False
    for block in blocks:
        plan_section = _section_state(block, plan_section)
        if plan_section or block.kind in ("header", "footer"):
            continue
        head_target = bool(re.match(r"^\s*\S{0,8}?(?:目标任务|工作目标|目标|要求)\s*[:：]", block.text))
        span = False  # inside a paragraph that counts several years (近年来，…)
        for m in _SENTENCE.finditer(block.text):
            sentence = m.group().strip()
            if not sentence:
                continue
            span = _spans_years(sentence, span, year)
            values = sentence_values(catalog, sentence, other_year, head_target or span, outer)
            for ind, q, conf in values + _all_closed(values, sentence, catalog):
                found.append(Found(ind.code, q.value, ind.measure, round(conf, 3), sentence,  # type: ignore[arg-type]
                                   block.location, len(found)))
            if not head_target and not any(f.code == "pub.subscription_completion" for f in found):
                for ind, rate in _quota_rates(catalog, sentence):
                    found.append(Found(ind.code, rate, ind.measure, 0.9, sentence, block.location, len(found)))
            if not head_target:
                for ind, yes in _yes_no(catalog, sentence):
                    found.append(Found(ind.code, yes, ind.measure, 0.8, sentence, block.location, len(found)))
    return found


def best_per_code(found: list[Found]) -> dict[str, Found]:
    """One value per indicator: the most confident, the first stated among equals."""
    best: dict[str, Found] = {}
    for f in found:
        cur = best.get(f.code)
        if cur is None or f.confidence > cur.confidence:
            best[f.code] = f
    return best
