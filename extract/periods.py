"""The period a document is about (year, half, quarter, month) and the date written on it.

Explicit statements in the file name or title win ("2013年工作总结" is about 2013 even when
signed in January 2014). Without one, the dates in the body decide at the granularity the
document type usually has (an information report is about the month of its events).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from extract.numbers import CN_DIGITS, cn_to_number, normalise

YEAR_MIN, YEAR_MAX = 1990, 2100
_CN_D = "〇零○一二三四五六七八九"
_CN_YEAR = re.compile(f"[{_CN_D}]{{4}}(?=年)")
_MONTH_CN = "一二三四五六七八九十"

# A full date: 2013年11月5日, 2013.11.5, 2013-11-05, 2013/11/5
_FULL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"
    r"|[./\-](\d{1,2})[./\-](\d{1,2})(?!\d))")
_YEAR_MONTH = re.compile(r"(?<![\d])((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])"
                         r"|[./\-_](\d{1,2})(?![\d./\-]))")
_YEAR = re.compile(r"(?<![\d])((?:19|20)\d{2})(?:\s*年度?|(?!\d))")
_BODY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")  # in a body, 2000人 is not a year
_YYYYMM = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(?!\d)")
_MONTH_RANGE = re.compile(r"(?<!\d)(\d{1,2})\s*(?:月份?)?\s*(?:-|—|~|～|至|到)\s*(\d{1,2})\s*月")
_HALF = re.compile(r"(上|下)半年|(?<!上)(?<!下)半年")
_QUARTER = re.compile(r"第?([一二三四1-4])季度|(?<![A-Za-z])Q([1-4])(?!\d)")
_MONTH = re.compile(rf"(?<![\d年])(\d{{1,2}}|[{_MONTH_CN}]{{1,3}})\s*月份?(?!\s*\d{{0,2}}\s*[日号])")
_DOC_NUMBER = re.compile(r"[〔\[［]\s*(?:19|20)\d{2}\s*[〕\]］]\s*\d*\s*号?|[(（]\s*(?:19|20)\d{2}\s*[)）]\s*\d+\s*号")
_YEAR_RANGE = re.compile(r"(?:19|20)\d{2}\s*年?\s*(?:-|—|~|～|至|到)\s*(?:19|20)\d{2}\s*年?")
_DAY_FIRST = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})(?![\d.])")
# An event's day without its year: 3月4日, 11月8日上午 (not 2013年3月4日, a full date)
_EVENT_DAY = re.compile(r"(?<![\d年./\-])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_CN_MONTH_DAY = re.compile(r"(?<=年)([一二三四五六七八九十]{1,3})(?=月)|(?<=月)([一二三四五六七八九十]{1,3})(?=[日号])")


@dataclass
class Period:
    period: str | None
    evidence: str | None
    document_date: str | None


@dataclass
class _Explicit:
    year: int | None = None
    half: int | None = None
    quarter: int | None = None
    month: int | None = None

    def found(self) -> bool:
        return any(v is not None for v in (self.year, self.half, self.quarter, self.month))

    def render(self, year: int | None) -> str | None:
        y = self.year or year
        if y is None:
            return None
        if self.month:
            return f"{y}-{self.month:02d}"
        if self.quarter:
            return f"{y}-Q{self.quarter}"
        if self.half:
            return f"{y}-H{self.half}"
        return str(y)


def prepare(text: str) -> str:
    """Half-width, 二〇一三年 → 2013年, document numbers (〔2013〕12号) blanked out."""
    t = normalise(text)
    t = _CN_YEAR.sub(lambda m: "".join(str(CN_DIGITS[c]) for c in m.group()), t)
    t = _CN_MONTH_DAY.sub(lambda m: str(int(cn_to_number(m.group()) or 0)), t)
    return _DOC_NUMBER.sub(lambda m: " " * len(m.group()), t)


def _ok_year(y: int) -> bool:
    return YEAR_MIN <= y <= YEAR_MAX


def full_dates(text: str) -> list[tuple[int, int, int, int]]:
    """(position, year, month, day) for each complete date in text, in reading order."""
    out = []
    t = prepare(text)
    for m in _FULL_DATE.finditer(t):
        y = int(m.group(1))
        mo, d = (m.group(2), m.group(3)) if m.group(2) else (m.group(4), m.group(5))
        if _ok_year(y) and 1 <= int(mo) <= 12 and 1 <= int(d) <= 31:
            out.append((m.start(), y, int(mo), int(d)))
    for m in _DAY_FIRST.finditer(t):  # 18.10.2017: web pages print day.month.year
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _ok_year(y) and 1 <= mo <= 12 and 1 <= d <= 31:
            out.append((m.start(), y, mo, d))
    return sorted(out)


def _month_value(token: str) -> int | None:
    v = int(token) if token.isdigit() else cn_to_number(token)
    return int(v) if v and 1 <= v <= 12 else None


def explicit(text: str) -> _Explicit:
    """What a title or file name says about its period."""
    t = _YEAR_RANGE.sub(" ", prepare(text))
    t = _FULL_DATE.sub(lambda m: f"{m.group(1)}年{m.group(2) or m.group(4)}月" + " " * 3, t)
    e = _Explicit()
    if (r := _MONTH_RANGE.search(t)) and _span(e, int(r.group(1)), int(r.group(2))):
        t = t[:r.start()] + " " * (r.end() - r.start()) + t[r.end():]
    m = _YEAR_MONTH.search(t)
    if m and _ok_year(int(m.group(1))):
        e.year = int(m.group(1))
        e.month = _month_value(m.group(2) or m.group(3))
    if e.year is None and (m := _YYYYMM.search(t)):
        e.year, e.month = int(m.group(1)), int(m.group(2))
    if e.year is None and (m := _YEAR.search(t)) and _ok_year(int(m.group(1))):
        e.year = int(m.group(1))
    if (m := _HALF.search(t)) and m.group(1):
        e.half = 1 if m.group(1) == "上" else 2
    elif m:
        e.half = 1  # 半年总结 without 上/下 is the mid-year report
    if (m := _QUARTER.search(t)):
        q = m.group(1) or m.group(2)
        e.quarter = int(q) if q.isdigit() else "一二三四".index(q) + 1
    if e.month is None and (m := _MONTH.search(t)):
        e.month = _month_value(m.group(1))
    return e


def _span(e: _Explicit, first: int, last: int) -> bool:
    """1-6月 is the first half, 7-9月 the third quarter, 1-12月 the year."""
    if (first, last) == (1, 12):
        return True
    if (first, last) in ((1, 6), (7, 12)):
        e.half = 1 if first == 1 else 2
        return True
    if first % 3 == 1 and last == first + 2:
        e.quarter = (first + 2) // 3
        return True
    return False


def document_date(tail_texts: list[str]) -> str | None:
    """The last complete date in the closing lines (落款), ISO."""
    for text in reversed(tail_texts):
        dates = full_dates(text)
        if dates:
            _, y, mo, d = dates[-1]
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _body_year(text: str) -> int | None:
    years = [int(y) for y in _BODY_YEAR.findall(prepare(text)) if _ok_year(int(y))]
    years += [y for _, y, _, _ in full_dates(text)]  # 2013.1.8 in a dated register
    return Counter(years).most_common(1)[0][0] if years else None


def determine(name: str, title: str | None, head: list[str], tail: list[str], body: str,
              granularity: str = "year") -> Period:
    """Period from name, title, first lines, else from body dates at the type's granularity."""
    doc_date = document_date(tail)
    for line in tail:  # the date it was written is not a year the document is about
        if document_date([line]):
            body = body.replace(line, "")
    sources = [("file name", _strip_ext(name)), ("title", title or "")]
    sources += [("heading", h) for h in head]
    found = [(where, explicit(text)) for where, text in sources if text]
    found = [(w, e) for w, e in found if e.found()]
    year_hint = next((e.year for _, e in found if e.year), None)
    from_date = False
    for where, e in found:
        if e.year is None and year_hint is None:
            year_hint = _body_year(body)
            if year_hint is None and doc_date:
                year_hint, from_date = int(doc_date[:4]), True
        if where == "heading" and granularity == "year":
            e.month = None  # a date line under a register's title is when it was filled in
        p = e.render(year_hint)
        if p and granularity == "month" and p.isdigit():  # "2013年第12期简报": the month is in the dates
            finer = _from_body(body, doc_date, granularity)
            if finer.period and finer.period.startswith(p + "-"):
                return Period(finer.period, f"{where} + {finer.evidence}", doc_date)
        if p:
            if from_date:
                p = reported_before(p, doc_date)  # type: ignore[arg-type]
            return Period(p, where, doc_date)
    return _from_body(body, doc_date, granularity)


def item_period(name: str, title: str | None, tail: list[str], body: str,
                folders: tuple[str, ...] = ()) -> Period:
    """The month an information item (or a clipping) is about.

    Its title's own month (十二月份工作信息), else its own date or its event's date, else
    the folder's month; never a year mentioned in passing ("召开2022年…部署会" held in
    November is not about 2022), never moved to the year before. Untold: None, for review.
    """
    doc_date = document_date(tail)
    for line in tail:
        if document_date([line]):
            body = body.replace(line, "")
    for where, text in (("title", title or ""), ("file name", _strip_ext(name))):
        e = explicit(text)
        if e.month and (e.year or doc_date):
            p = e.render(e.year or int(doc_date[:4]))  # type: ignore[index]
            return Period(reported_before(p, doc_date) if not e.year else p, where, doc_date)  # type: ignore[arg-type]
    dates = full_dates(body)
    if dates:
        _, y, mo, _ = dates[0]
        return Period(f"{y}-{mo:02d}", "body date", doc_date)
    event = _EVENT_DAY.search(prepare(body))
    if event and doc_date:
        mo, year = int(event.group(1)), int(doc_date[:4])
        year -= 1 if mo > int(doc_date[5:7]) else 0  # 12月28日 reported on 2014-01-05
        return Period(f"{year}-{mo:02d}", "event date + document date", doc_date)
    if doc_date:
        return Period(doc_date[:7], "document date", doc_date)
    for folder in reversed(folders):
        e = explicit(folder)
        if e.year and e.month:
            return Period(e.render(None), "folder", doc_date)
    return Period(None, None, doc_date)


def reported_before(period: str, doc_date: str) -> str:
    """A period whose year came only from the date it was written is the latest one that had
    begun by then: 第四季度 written 2014-01-05 is 2013-Q4, 十二月份 written in January is last
    December, and a year's summary written in January–March is about the year before."""
    year, rest = int(period[:4]), period[4:]
    month = int(doc_date[5:7])
    start = {"": 1, "-H1": 1, "-H2": 7, "-Q1": 1, "-Q2": 4, "-Q3": 7, "-Q4": 10}.get(
        rest, int(rest[1:]) if rest[1:].isdigit() else 1)
    if (rest and start > month) or (not rest and month <= 3):
        return f"{year - 1}{rest}"
    return period


def _from_body(body: str, doc_date: str | None, granularity: str) -> Period:
    dates = full_dates(body)
    if granularity == "month":
        if dates:
            _, y, mo, _ = dates[0]
            return Period(f"{y}-{mo:02d}", "body date", doc_date)
        if doc_date:
            return Period(doc_date[:7], "document date", doc_date)
    year = _body_year(body)
    if granularity == "quarter" and year:
        e = explicit(body[:400])
        if e.quarter:
            return Period(f"{year}-Q{e.quarter}", "body", doc_date)
    if year:
        return Period(str(year), "body", doc_date)
    if doc_date:
        return Period(reported_before(doc_date[:4], doc_date), "document date", doc_date)
    return Period(None, None, doc_date)


def _strip_ext(name: str) -> str:
    name = re.split(r"[\\/]", name)[-1]
    return re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name)
