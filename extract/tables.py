"""Work-area indicator values stated in tables (a summary's 工作完成情况表).

Two layouts: indicators down the rows (项目 | 目标 | 完成情况) and indicators across the
header with one row of values. The value column is the one headed 完成/实际/数量 …, never
目标/计划/上年; a label's measure in brackets (培训妇女（人次）) is checked against the catalog.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from extract.document import Table
from extract.narrative import FIT
from extract.numbers import normalise, parse_number
from schemas.indicators import Indicator, IndicatorCatalog

_VALUE_HEAD = re.compile(r"完成|实际|数量|数值|本年|合计|结果|情况|人数|件数|次数|场次|数")
_NOT_VALUE = re.compile(r"目标|计划|要求|上年|去年|同期|任务|标准|备注|序号|增减|比较|说明|指标值")
_TOTAL_HEAD = re.compile(r"合计|总计|共计|总数")
_BRACKET_MEASURE = re.compile(r"[（(]\s*(人次|人|名|件|场次|场|次|个|篇|%|％)\s*[)）]")


@dataclass
class TableValue:
    code: str
    value: float
    measure: str
    confidence: float
    snippet: str
    location: str


def _match(catalog: IndicatorCatalog, label: str) -> tuple[Indicator, float] | None:
    """The indicator a label names: its catalog name, else its longest keyword."""
    norm = normalise(label).replace(" ", "")
    bare = _BRACKET_MEASURE.sub("", norm)
    for ind in catalog.indicators:
        if ind.name in bare:
            return ind, 1.0
    best: tuple[int, Indicator] | None = None
    for ind in catalog.indicators:
        for kw in ind.keywords:
            if kw in bare and (not ind.requires or any(r in bare for r in ind.requires)) \
                    and (best is None or len(kw) > best[0]):
                best = (len(kw), ind)
    if best is None or best[0] < 2:
        return None
    return best[1], 0.9


def _measure_fit(ind: Indicator, label: str) -> float:
    m = _BRACKET_MEASURE.search(normalise(label))
    if not m:
        return 1.0
    word = "%" if m.group(1) in ("%", "％") else m.group(1)
    return FIT.get(ind.measure, {}).get(word, 0.0)


def _unit_fit(ind: Indicator, unit: str) -> float:
    """How well a unit-of-measure cell fits the indicator: 宗 counts cases, 元 counts nothing we count."""
    word = normalise(unit).strip("（()） ")
    word = "%" if word in ("%", "％", "百分比") else word
    return FIT.get(ind.measure, {}).get(word, 0.0)


def _cell(table: Table, r: int, c: int) -> str:
    v = table.frame.iat[r, c]
    return "" if v is None else str(v).strip()


# A column of units of measure (项目 | 单位 | 2007年), not of values; 单位名称 names organisations
_MEASURE_HEAD = re.compile(r"^(?:计量)?单位$|^计量单位|^单位[（(]")


def _measure_column(header: list[str]) -> int | None:
    return next((i for i, h in enumerate(header) if _MEASURE_HEAD.search(h)), None)


def _value_column(header: list[str], label_col: int, year: int | None = None) -> int | None:
    skip = {label_col, _measure_column(header)}
    scored = [(i, h) for i, h in enumerate(header) if i not in skip and not _NOT_VALUE.search(h)]
    headed = [i for i, h in scored if _VALUE_HEAD.search(h)]
    if headed:
        return headed[0]
    if len(scored) == 1:
        return scored[0][0]
    # 2024年 | 2023年: the column of the report's own year, when exactly one names it
    own = [i for i, h in scored if year and re.search(rf"(?<!\d){year}(?!\d)", h)]
    return own[0] if len(own) == 1 else None


def _rows_layout(table: Table, catalog: IndicatorCatalog, year: int | None = None,
                 skip: Callable[[str], object] | None = None) -> list[TableValue]:
    header = [normalise(str(c)).replace(" ", "") for c in table.frame.columns]
    out = []
    measures = _measure_column(header)
    for label_col in range(min(2, table.frame.shape[1])):
        col = _value_column(header, label_col, year)
        if col is None:
            continue
        for r in range(table.frame.shape[0]):
            label = _cell(table, r, label_col)
            matched = _match(catalog, label) if label and not (skip and skip(label)) else None
            value = parse_number(_cell(table, r, col)) if matched else None
            if matched is None or value is None:
                continue
            ind, conf = matched
            fit = _measure_fit(ind, label + header[col])
            if measures is not None and _cell(table, r, measures):  # 件, 宗, %, 元 in its own column
                fit = min(fit, _unit_fit(ind, _cell(table, r, measures)))
            if fit:
                out.append(TableValue(ind.code, value, ind.measure, conf * fit,
                                      f"{label}：{_cell(table, r, col)}", table.cell_location(r, col)))
        if out:
            return out
    return out


def _columns_layout(table: Table, catalog: IndicatorCatalog) -> list[TableValue]:
    """Indicators across the header, values in the single data row (or the 合计 row)."""
    frame = table.frame
    rows = [r for r in range(frame.shape[0]) if any(_cell(table, r, c) for c in range(frame.shape[1]))]
    total = [r for r in rows if "合计" in _cell(table, r, 0) or "总计" in _cell(table, r, 0)]
    if len(rows) != 1 and not total:
        return []
    r = total[0] if total else rows[0]
    out = []
    for c, col in enumerate(frame.columns):
        label = str(col)
        matched = _match(catalog, label)
        value = parse_number(_cell(table, r, c)) if matched else None
        if matched is None or value is None or _NOT_VALUE.search(label):
            continue
        ind, conf = matched
        if ind.measure != "%" and (_SHARE.search(label) or "%" in _cell(table, r, c)):
            continue  # 占信访总数 93%: a share of the cases, not a number of cases
        fit = _measure_fit(ind, label)
        if _TOTAL_HEAD.search(label):  # 受理合计 beats 来访, one of its parts
            conf = min(1.0, conf + 0.1)
        if fit:
            out.append(TableValue(ind.code, value, ind.measure, conf * fit,
                                  f"{label}：{_cell(table, r, c)}", table.cell_location(r, c)))
    return out


_CHANNEL = re.compile(r"来信|来电|来访|网上|信访|热线|接待")
_PETITION = re.compile(r"信访|来信|来访|来电|维权")
_SHARE = re.compile(r"占|比例|比重|百分比|构成")
_COUNT_HEAD = re.compile(r"件数|数量|受理|合计|总数|^件$|件")
_CLOSED_HEAD = re.compile(r"办结|结案|处结")
_RATE_HEAD = re.compile(r"办结率|结案率|处结率")


def _total_row(table: Table) -> int | None:
    for r in range(table.frame.shape[0]):
        if _TOTAL_HEAD.search(normalise(_cell(table, r, 0)).replace(" ", "")):
            return r
    return None


def _petition_totals(table: Table, catalog: IndicatorCatalog, title: str = "") -> list[TableValue]:
    """A rights-work sheet: rows of channels (来信 / 来电 / 来访) or kinds of case and a 合计 row;
    the 合计 row gives the cases received (its count column), closed and the closure rate."""
    total = _total_row(table)
    if total is None:
        return []
    header = [normalise(str(c)).replace(" ", "") for c in table.frame.columns]
    labels = " ".join(_cell(table, r, 0) for r in range(table.frame.shape[0]))
    if not (_PETITION.search(" ".join(header) + title) or len(_CHANNEL.findall(labels)) >= 2):
        return []
    codes = {"rights.cases_received": None, "rights.cases_closed": None, "rights.case_closure_rate": None}
    for c, h in enumerate(header[1:], start=1):
        code = ("rights.case_closure_rate" if _RATE_HEAD.search(h) else None) or (
            None if _SHARE.search(h) else "rights.cases_closed" if _CLOSED_HEAD.search(h)
            else "rights.cases_received" if _COUNT_HEAD.search(h) else None)
        if code and codes[code] is None:
            codes[code] = c
    out = []
    for code, c in codes.items():
        raw = _cell(table, total, c) if c is not None else ""
        value = parse_number(raw) if raw else None
        if value is None or (code != "rights.case_closure_rate" and "%" in raw):
            continue
        out.append(TableValue(code, value, catalog.get(code).measure, 1.0,
                              f"{_cell(table, total, 0)}·{header[c]}：{raw}", table.cell_location(total, c)))
    return out


def extract(tables: list[Table], catalog: IndicatorCatalog, title: str | None = None,
            year: int | None = None, skip: Callable[[str], object] | None = None) -> list[TableValue]:
    """All layouts; where several name an indicator, the total wins: in 受理件数 | 办结件数 by
    来信 / 来访 / 合计, the 来访 row is one part, not the whole."""
    out: list[TableValue] = []
    for table in tables:
        if table.frame.empty:
            continue
        if skip is not None:  # only the rows another catalog does not claim
            out += _rows_layout(table, catalog, year, skip)
            continue
        found = _petition_totals(table, catalog, title or "")
        for v in _columns_layout(table, catalog) + _rows_layout(table, catalog, year):
            if v.code not in {f.code for f in found}:
                found.append(v)
        out += found
    return out
