"""The kind of document (schemas.extraction.DOC_TYPES) from its title, name, tables and text.

Keywords come from schemas/doc_types.yaml (strongest first). A title or file name speaks
loudest; table headers next (a register is a table of people); the body only breaks ties.
`other` is a determination too: nothing fits.
"""

from __future__ import annotations

import re

from extract.document import Table
from schemas.doc_types import DocType, load_doc_types
from schemas.two_plans import TwoPlansCatalog

_ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_NAME_HEADERS = ("姓名", "名字")
CORRECTION = re.compile(r"修订|更正|修改版|修正|(?<![A-Za-z])[vV]\s?[2-9](?!\d)|第[二三四2-4]版|[（(]改[）)]|改正版")


def is_correction(*texts: str | None) -> bool:
    return any(t and CORRECTION.search(t) for t in texts)


def _keyword_score(dt: DocType, text: str, weight: float) -> float:
    score = 0.0
    for rank, kw in enumerate(dt.keywords):
        if kw in text:
            score += weight * (1.0 - 0.1 * min(rank, 5)) * (1 + len(kw) / 4)
    return score


def _table_signals(tables: list[Table], catalog: TwoPlansCatalog) -> dict[str, float]:
    """Evidence from tables: two-plans rows, registers of people, activity records."""
    scores: dict[str, float] = {}
    for table in tables:
        header = " ".join(str(c) for c in table.frame.columns)
        cells = " ".join(str(v) for v in table.frame.to_numpy().ravel()[:400])
        first_col = [str(v) for v in table.frame.iloc[:, 0]] if table.frame.shape[1] else []
        matched = sum(1 for label in first_col if label.strip() and catalog.match(label))
        if matched >= 3 or (matched >= 1 and ("指标" in header or "两规" in header)):
            scores["two_plans_statistics"] = scores.get("two_plans_statistics", 0) + 10 + matched
        people = any(h in header for h in _NAME_HEADERS) or bool(_ID_NUMBER.search(cells))
        both = header + cells
        if people and "春蕾" in both:
            scores["chunlei_register"] = scores.get("chunlei_register", 0) + 12
        if people and ("单亲" in both or "特困母亲" in both or "困难母亲" in both):
            scores["single_mother_register"] = scores.get("single_mother_register", 0) + 12
        if ("活动" in header or "授课" in header or "主题" in header) and ("家长学校" in both or "家庭教育" in both):
            scores["parent_school_record"] = scores.get("parent_school_record", 0) + 8
        if ("来信" in header or "来访" in header or "信访" in header) and ("受理" in both or "办结" in both):
            scores["petition_report"] = scores.get("petition_report", 0) + 8
    return scores


def classify(name: str, title: str | None, head: list[str], tables: list[Table], body: str,
             catalog: TwoPlansCatalog) -> str:
    """The type from the genre's shape first (a plan, a clipping, a summary, a short dated item
    about one event), then the best keyword score; `other` below a minimal score.

    Registers, records and statistics sheets are tables: running text about 春蕾女童, a
    家长学校 lecture or 信访 work is an item or a summary about that topic, not the form."""
    shaped = genre(name, title, body) if not tables else None
    if shaped:
        return shaped
    scores = _keyword_scores(name, title, head, tables, body, catalog)
    # the name and title speak for the document; opening sentences are body (they name activities)
    best = max(scores.items(), key=lambda kv: kv[1], default=("other", 0.0))
    if _INFO_TAIL.search(title or "") and not tables:  # "…举办家庭教育讲座的信息": the genre word decides
        return "info_report"
    if best[0] == "work_summary" and best[1] >= 2.0 and is_topical(title or name):
        return "other"
    return best[0] if best[1] >= 2.0 else "other"


def _keyword_scores(name: str, title: str | None, head: list[str], tables: list[Table], body: str,
                    catalog: TwoPlansCatalog) -> dict[str, float]:
    types = {c: d for c, d in load_doc_types().items() if c != "other"}
    scores = _table_signals(tables, catalog)
    # the name and title speak for the document; opening sentences are body (they name activities)
    named = " ".join(t for t in (name, title or "", *[h for h in head[:2] if len(h) <= 30 and "。" not in h]) if t)
    for code, dt in types.items():
        if code in FORMS and not tables and not _FORM_WORD.search(named):
            continue  # a form is a table: without one, only a title naming the form (…登记表) says so
        s = _keyword_score(dt, named, 4.0) + _keyword_score(dt, body[:3000], 0.3)
        scores[code] = scores.get(code, 0) + s
    return scores


FORMS = ("two_plans_statistics", "petition_report", "chunlei_register", "single_mother_register",
         "parent_school_record")
_FORM_WORD = re.compile(r"表|台账|台帐|名册|花名册|登记|记录|报表|统计")
# Plans state intentions: …工作要点, …工作计划, …实施方案, …工作安排, 明年工作打算.
_PLAN_TITLE = re.compile(r"(?:要点|计划|方案|安排|打算|思路|规划)(?:[（(][^）)]*[）)])?\s*$|工作计划|工作要点|实施方案")
# A newspaper's or a news site's item: 本报讯, XX网讯, (记者 XX), 记者XX 发自…
_CLIPPING = re.compile(r"本报\S{0,4}讯|[\u4e00-\u9fa5]{1,6}网\S{0,8}讯|[(（]\s*记者|记者\s*[\u4e00-\u9fa5]{2,3}\s*(?:发自|报道)"
                       r"|来源\s*[:：]\s*\S{0,12}(?:日报|晚报|时报|报社)"
                       r"|记者[^。，,]{0,24}?(?:获悉|了解到|得知)")  # 记者从市妇联…获悉: a reporter's voice
_SUMMARY_VOICE = re.compile(r"现将\S{0,30}?(?:总结|报告|汇报)如下|一年来的工作|述职报告")
# A title whose genre word is a summary's (…工作总结, …年终总结及明年打算), not a meeting about one
_SUMMARY_TITLE = re.compile(r"(?:总结|报告|汇报)(?:[（(][^）)]*[）)])?\s*$|总结(?:及|和|暨)\S{0,12}$|总结报告")
# A short item about one event: a date or "近日" up front, and an event's verb.
_EVENT_TIME = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]|(?<!\d)\d{1,2}\s*[日号](?:上午|下午|晚)|近日|日前|近期|(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}"
                         r"|\d{1,2}\.\d{1,2}\.(?:19|20)\d{2}|发布(?:时间|日期)|^\s*(?:时间|日期)\s*[:：]"
                         r"|昨日|今日|当天|当日|前夕|伊始|将至|之际")
_EVENT_VERB = re.compile(r"举办|开展|召开|举行|启动|走访|慰问|成立|揭牌|调研|考察|采访|座谈|培训|宣传|发放|推进|表彰|看望|探访|"
                         r"参观|部署|揭晓|签约|授牌|挂牌|救助|帮扶|送温暖|送去|送上|赠送|捐赠|资助|联谊|讲座|活动|会议")
_MEETING = re.compile(r"召开|举行|举办|会议|会$")  # 召开2014年工作总结会: an item about a meeting
INFO_MAX_CHARS = 1500  # an information item is a page or two; a summary is longer


def is_plan(title: str | None) -> bool:
    """A plan (…要点, …计划, …方案): it states intentions, so no values come from it."""
    t = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", (title or "").strip())
    return bool(t) and "总结" not in t and "情况" not in t and bool(_PLAN_TITLE.search(t))


def genre(name: str, title: str | None, body: str) -> str | None:
    """The type the document's shape tells, or None to let the keywords decide."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", re.split(r"[\\/]", name)[-1])
    if is_plan(title) or is_plan(stem):
        return "other"
    opening = body[:300]
    if _CLIPPING.search(opening):
        return "news_clipping"
    if any(_SUMMARY_TITLE.search(t) and not _MEETING.search(t) for t in (title or "", stem)):
        return None  # the title names a summary: the keywords (and the topical check) decide
    if _SUMMARY_VOICE.search(body[:600]):
        return "other" if title and is_topical(title) else "work_summary"
    if _INFO_TAIL.search(title or ""):
        return "info_report"
    if len(body) <= INFO_MAX_CHARS and _EVENT_TIME.search(opening) \
            and _EVENT_VERB.search((title or "") + opening):
        return "info_report"
    if title and len(body) <= INFO_MAX_CHARS // 2 and _EVENT_VERB.search(title):
        return "info_report"  # a headline of one event over a few short paragraphs
    if _OFFICIAL.search(title or stem):
        return None  # a notice or reply posted on the same site is not an item of news
    if len(body) <= INFO_MAX_CHARS and _POSTED.search(opening):
        return "info_report"  # a federation's own web posting: 发布时间… 来源:XX妇联
    if title and len(body) <= INFO_MAX_CHARS // 2 and _PLACE_HEADLINE.match(title):
        return "info_report"  # a news headline led by its place: "卓尼:实现…全覆盖"
    return None


# A posting's byline (a dated line naming its source); newspapers' bylines were taken as clippings above
_POSTED = re.compile(r"发布(?:时间|日期)\s*[:：]?\s*(?:19|20)\d{2}\s*[年\-./][^\n]{0,24}?(?:来源|作者|浏览|点击)")
_OFFICIAL = re.compile(r"关于|通知|通报|决定|意见|公告|公示|公函|批复|请示|附件")
# "卓尼：…", "历下区妇联:…" — not 附件1：, 关于…：, 通知：
_PLACE_HEADLINE = re.compile(r"(?!附件|关于|通知|说明|表)[\u4e00-\u9fa5]{2,10}\s*[:：]\s*[\u4e00-\u9fa5“\"]")
_INFO_TAIL = re.compile(r"(?:工作)?(?:信息|简报|动态|快讯)(?:[（(][^）)]*[）)])?\s*$")


# What a general work summary's title may hold besides the unit and the period.
_GENERAL_WORDS = re.compile(
    r"关于|历下区|历下|[\u4e00-\u9fa5]{0,8}?(?:街道办事处|街道|社区|办事处|镇|乡|县|区|市)|妇女联合会|妇联|妇委会|妇代会|"
    r"妇女儿童|妇女|儿童|全年|年度|年终|上半年|下半年|半年|第[一二三四1-4]季度|工作|总结|报告|汇报|情况|开展|"
    r"及|和|与|暨|的|下一步|打算|思路|安排|计划|设想|主要|[二〇〇一二三四五六七八九零\d]+年|年|度|修订版?|更正|修改版?|"
    r"报送|上报|呈报|关于")
_PUNCT = re.compile(r"[\W_a-zA-Z0-9]+")


def is_topical(title: str) -> bool:
    """A summary of one line of work or one event (信访工作总结, 三八维权周活动总结) is not the
    period's work summary: counted as one, it would replace the real one as a resubmission."""
    if "总结" not in title:
        return False
    bare = re.sub(r"\s+", "", re.sub(r"\.[a-zA-Z]+$", "", title))  # PDF text: "2013 年"
    rest = _PUNCT.sub("", _GENERAL_WORDS.sub("", bare))
    return len(rest) >= 2
