"""Personal data in documents: ID numbers (GB 11643), phone numbers, names in registers.

`scan()` says which kinds a document holds; `mask()` hides them in any text that leaves
extraction (evidence snippets, full text), so a register's people never reach search or logs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from extract.numbers import normalise

if TYPE_CHECKING:  # a type only: the archive and the faces mask names without importing pandas
    from extract.document import Table

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# 18 characters shaped like an ID: 6-digit region, a birth date 18xx-20xx, sequence, check.
ID_SHAPE = re.compile(r"(?<![\dA-Za-z])(\d{6})((?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(\d{3})([\dXx])(?![\dA-Za-z])")
# First-generation IDs (15 digits: region, YYMMDD, sequence), still on old registers.
ID15_SHAPE = re.compile(r"(?<![\dA-Za-z])([1-8]\d{5})(\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(\d{3})(?![\dA-Za-z])")
# An 18-character ID typed in groups ("370102 19800101 123X"): counted only when its check digit is right.
ID_SPACED = re.compile(r"(?<![\dA-Za-z])(\d(?:[ \u3000]?\d){16}[ \u3000]?[\dXx])(?![\dA-Za-z])")
MOBILE = re.compile(r"(?<![\d+])(?:\+?86[\s\-]?)?(1[3-9]\d)[\s\-]?(\d{4})[\s\-]?(\d{4})(?!\d)")
LANDLINE = re.compile(r"(?<!\d)[(（]?(0\d{2,3})[)）]?[\s\-－]?(\d{3,4})(\d{4})(?!\d)")
LOCAL_PHONE = re.compile(r"((?:电话|联系方式|手机|座机|Tel|TEL)\s*[:：]?\s*)(\d{3,4})(\d{4})(?!\d)")
NAME_LABEL = re.compile(r"((?:姓名|联系人|申请人|监护人|家长|母亲|女童)\s*[:：]\s*)([\u4e00-\u9fa5·]{2,4})")
NAME_HEADERS = ("姓名", "名字", "联系人", "监护人", "家长", "母亲", "申请人", "户主")
_NAME = re.compile(r"^[\u4e00-\u9fa5]{1,2}[\u4e00-\u9fa5·]{1,3}$")
_NOT_NAMES = ("合计", "总计", "小计", "备注", "以下空白", "无")


def valid_id(number: str) -> bool:
    """An 18-character resident ID number whose check digit is right (GB 11643-1999)."""
    n = normalise(number).strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", n):
        return False
    total = sum(int(d) * w for d, w in zip(n[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == n[17]


@dataclass
class PiiScan:
    kinds: list[str] = field(default_factory=list)  # id_number, phone, name
    names: set[str] = field(default_factory=set)

    @property
    def found(self) -> bool:
        return bool(self.kinds)


def _name_columns(table: Table) -> list[int]:
    cols = []
    for i, col in enumerate(table.frame.columns):
        header = str(col)
        if any(h in header for h in NAME_HEADERS) and "单位" not in header and "电话" not in header:
            cols.append(i)
    return cols


def table_names(table: Table) -> set[str]:
    """Personal names in the columns headed 姓名, 联系人, 家长 …"""
    names: set[str] = set()
    for col in _name_columns(table):
        for value in table.frame.iloc[:, col]:
            v = re.sub(r"\s+", "", str(value or ""))
            if _NAME.match(v) and v not in _NOT_NAMES:
                names.add(v)
    return names


def scan(text: str, tables: Iterable[Table] = ()) -> PiiScan:
    tables = list(tables)
    cells = "\n".join(str(v) for t in tables for v in t.frame.to_numpy().ravel())
    every = normalise(text + "\n" + cells)
    result = PiiScan()
    if (any(valid_id(m.group()) for m in ID_SHAPE.finditer(every)) or ID15_SHAPE.search(every)
            or any(_spaced_id(m) for m in ID_SPACED.finditer(every))):
        result.kinds.append("id_number")
    if MOBILE.search(every) or LANDLINE.search(every) or LOCAL_PHONE.search(every):
        result.kinds.append("phone")
    for t in tables:
        result.names |= table_names(t)
    result.names |= {m.group(2) for m in NAME_LABEL.finditer(every)}
    if result.names:
        result.kinds.append("name")
    return result


def _mask_name(name: str) -> str:
    return name[0] + "*" * (len(name) - 1)


def _sub(pattern: re.Pattern[str], repl: Callable[[re.Match[str], str], str], text: str) -> str:
    """Match on the half-width form (３７０１… is an ID too), replace in the text as written."""
    norm = normalise(text)  # same length as text, character for character
    out, last = [], 0
    for m in pattern.finditer(norm):
        out += [text[last:m.start()], repl(m, text)]
        last = m.end()
    return "".join(out) + text[last:]


def _spaced_id(m: re.Match[str]) -> bool:
    digits = re.sub(r"[ \u3000]", "", m.group(1))
    return len(digits) == 18 and digits != m.group(1) and valid_id(digits)


def _mask_spaced(m: re.Match[str], text: str) -> str:
    """Digits 7–14 (the birth date) hidden, the spaces kept as written."""
    written, out, n = text[m.start(1):m.end(1)], [], 0
    for ch in written:
        if ch in " \u3000":
            out.append(ch)
            continue
        n += 1
        out.append("*" if 7 <= n <= 14 else ch)
    return "".join(out)


def _mask_landline(m: re.Match[str], text: str) -> str:
    """(0531)****2061 and 0531-****2061 keep the area code as written."""
    head = text[m.start():m.start(2)]
    return (head if head != m.group(1) else head + "-") + "*" * len(m.group(2)) + m.group(3)


def mask(text: str, names: Iterable[str] = ()) -> str:
    """370102********123X (birth date hidden), 138****5678, 0531-****2345, 张** — also ID-shaped numbers with a bad check digit."""
    t = _sub(ID_SPACED, lambda m, o: _mask_spaced(m, o) if _spaced_id(m) else o[m.start():m.end()], text)
    t = _sub(ID_SHAPE, lambda m, _: m.group(1) + "*" * 8 + m.group(3) + m.group(4).upper(), t)
    t = _sub(ID15_SHAPE, lambda m, _: m.group(1) + "*" * 6 + m.group(3), t)
    t = _sub(MOBILE, lambda m, o: o[m.start():m.start(1)] + m.group(1) + "****" + m.group(3), t)
    t = _sub(LANDLINE, _mask_landline, t)
    t = _sub(LOCAL_PHONE, lambda m, o: o[m.start(1):m.end(1)] + "*" * len(m.group(2)) + m.group(3), t)
    t = _sub(NAME_LABEL, lambda m, o: o[m.start(1):m.end(1)] + _mask_name(m.group(2)), t)
    for name in sorted(set(names), key=len, reverse=True):
        if len(name) >= 2:
            t = t.replace(name, _mask_name(name))
    return t


def mask_name(name: str | None) -> str | None:
    """A file name, path or URI as shown to people and written to logs: its ID and phone numbers
    masked as in text (张三_370102********1234_138****5678.docx). The one function every face,
    report and audit event uses for names; the archive record keeps the original. A URI is
    shown percent-decoded, so "370102%2019750315" cannot hide a number from the patterns."""
    if not name:
        return name
    if "://" in name:
        from urllib.parse import unquote

        name = unquote(name)
    return mask(name)
