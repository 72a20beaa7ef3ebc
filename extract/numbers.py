"""Numbers as Chinese documents write them: digits, full-width, Chinese numerals, percentages, ranges.

`find_quantities(text)` returns every number in a text together with the measure word that
follows it (人, 人次, 件, 场 …), so callers can tell 12期 (sessions) from 326人 (people).
Positions refer to the text given after `normalise()`, which keeps length one-to-one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUM_CHARS = "".join(CN_DIGITS) + "".join(CN_UNITS) + "".join(CN_BIG)

# Measure words, longest first so 人次 wins over 人 and 场次 over 场.
MEASURES = ("个百分点", "人次", "件次", "场次", "万元", "余人", "多人", "人", "名", "位", "户", "件", "起", "例", "宗",
            "场", "次", "期", "篇", "条", "个", "家", "所", "处", "项", "元", "岁", "批", "班", "支",
            "届", "份", "本", "册", "幅", "封", "天", "课", "节", "组", "对", "座", "辆")
_MEASURE_RE = "|".join(MEASURES)
APPROX = ("余", "多", "左右", "约", "近")


@dataclass
class Quantity:
    value: float | None  # None for a range
    measure: str  # measure word as written (人次, 名, %, 个百分点 …); "" when none
    start: int
    end: int
    text: str
    low: float | None = None  # ranges: 1-2场次
    high: float | None = None
    approx: bool = False  # 300余人, 约300人
    chinese: bool = False  # written in Chinese numerals

    @property
    def is_range(self) -> bool:
        return self.low is not None

    @property
    def is_percent(self) -> bool:
        return self.measure == "%"

    @property
    def is_points(self) -> bool:
        """A difference of two rates (3个百分点), never a rate itself."""
        return self.measure == "个百分点"


class _HalfWidth(dict):
    """Code point → its NFKC form when that is one character (else itself), worked out on first
    sight: str.translate then maps a text in C instead of one normalize() call a character."""

    def __missing__(self, code: int) -> str:
        n = unicodedata.normalize("NFKC", chr(code))
        self[code] = n if len(n) == 1 else chr(code)
        return self[code]


_HALF_WIDTH = _HalfWidth()


def normalise(text: str) -> str:
    """Full-width to half-width, character for character, so positions stay comparable."""
    return text.translate(_HALF_WIDTH)


def cn_to_number(text: str) -> float | None:
    """三百二十六 → 326, 一千二百 → 1200, 十二 → 12, 两 → 2, 二〇一三 → 2013, 1.2万 → 12000."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"[\d.]+万", text):
        return float(text[:-1]) * 10_000
    if all(ch in CN_DIGITS for ch in text):  # digit by digit: 二〇一三
        return float("".join(str(CN_DIGITS[ch]) for ch in text)) if len(text) > 1 else float(CN_DIGITS[text])
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            section += (1 if digit is None else digit) * CN_UNITS[ch]
            digit = None
        elif ch in CN_BIG:
            total += (section + (digit or 0)) * CN_BIG[ch]
            section, digit = 0, None
        else:
            return None
    return float(total + section + (digit or 0))


def parse_number(text: str) -> float | None:
    """A cell or token as a number: '1,200', '３２６', '98.5%', '百分之九十八', '三百二十六'; None otherwise."""
    t = normalise(text).strip().replace(" ", "")
    t = re.sub(r"(人次|人|名|件|个|场次|场|次|篇|户|%|‰)$", "", t)
    m = re.fullmatch(r"百分之(.+)", t)
    if m:
        t = m.group(1)
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", t):
        t = t.replace(",", "")
    if re.fullmatch(r"[+-]?\d+(\.\d+)?", t):
        return float(t)
    if t and all(ch in CN_NUM_CHARS or ch.isdigit() or ch == "." for ch in t):
        return cn_to_number(t)
    return None


_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN = f"[{CN_NUM_CHARS}]+"
_NUM = f"(?:{_ARABIC})万?|{_CN}"
_RANGE_SEP = r"\s*(?:-|~|～|—|至|到)\s*"
_QTY = re.compile(
    rf"(?P<pct>百分之(?P<pctnum>{_ARABIC}|{_CN}))"
    rf"|(?P<a>{_NUM})(?:{_RANGE_SEP}(?P<b>{_NUM}))?\s*(?P<approx>余|多)?\s*(?P<m>%|‰|{_MEASURE_RE})?"
)


def _value(token: str) -> float | None:
    token = token.replace(",", "")
    if re.fullmatch(r"\d+(\.\d+)?万", token):
        return float(token[:-1]) * 10_000
    if re.fullmatch(r"\d+(\.\d+)?", token):
        return float(token)
    return cn_to_number(token)


def _from_match(m: re.Match[str]) -> Quantity | None:
    if m.group("pct"):
        v = _value(m.group("pctnum"))
        return Quantity(v, "%", m.start(), m.end(), m.group(), chinese=not m.group("pctnum")[0].isdigit())
    a, b, measure = m.group("a"), m.group("b"), m.group("m") or ""
    chinese = not a[0].isdigit()
    if chinese and not measure:
        return None  # 一些, 一系列, 三八: Chinese numerals count only with a measure word
    if chinese and len(a) == 1 and a in "百千万亿":
        return None  # 百人宣讲团, 万人空巷: a name, not a count
    approx = bool(m.group("approx")) or measure in ("余人", "多人")
    if measure in ("余人", "多人"):
        measure = "人"
    va = _value(a)
    if va is None:
        return None
    if b:
        vb = _value(b)
        if vb is None:
            return None
        return Quantity(None, measure, m.start(), m.end(), m.group(), low=va, high=vb, chinese=chinese)
    return Quantity(va, measure, m.start(), m.end(), m.group(), approx=approx, chinese=chinese)


def find_quantities(text: str) -> list[Quantity]:
    """Every number in text with its measure word; text is normalised first (same length)."""
    norm = normalise(text)
    out: list[Quantity] = []
    for m in _QTY.finditer(norm):
        if m.start() > 0 and (norm[m.start() - 1].isdigit() or norm[m.start() - 1] == "第"):
            continue  # inside a longer number, or an ordinal (第3期)
        q = _from_match(m)
        if q is None:
            continue
        tail = norm[q.end:q.end + 2]
        if q.measure and any(tail.startswith(w) for w in ("左右",)):
            q.approx = True
        if q.start > 0 and norm[q.start - 1] in "约近":
            q.approx = True
        out.append(q)
    return out
