"""Two-plans (两规) statistics tables → `TwoPlansRow`s in long form.

A table is read in either layout: indicators down the rows (指标名称 | 计量单位 | 目标值 |
2013年 | 2012年) or units down the rows with indicators across. Value columns are those
headed by a year or by 本年/上年 (上年, 上年同期 → the year before). Cells that say nothing
(—, 暂无, empty) give value None with the raw text kept: missing is not zero.

A data row no catalog name matches is kept too, with code "" and its name and measure as
written: quality still checks it (a negative count, a blank, a row listed twice) and
`fulian catalog unmatched` lists it so the catalog can grow. Headings and notes — rows
with no value in any value column — are not data rows.
"""

from __future__ import annotations

import re

from extract.document import Table
from extract.numbers import normalise, parse_number
from schemas.extraction import Evidence, TwoPlansRow
from schemas.two_plans import TwoPlansCatalog, TwoPlansIndicator
from schemas.units import UnitRegistry

_YEAR = re.compile(r"((?:19|20)\d{2})")
_CURRENT = re.compile(r"本年|本期|今年|当年|实际|完成|数值|统计值|监测值|合计")
_PREVIOUS = re.compile(r"上年|去年|上期|前一年")
_NOT_VALUE = re.compile(r"目标|规划|计量|单位|序号|备注|达标|排名|增减|变化|比较|差|说明|来源|口径|^指标|名称|项目")
_TARGET_COL = re.compile(r"目标|规划值")
_MEASURE_COL = re.compile(r"^(计量)?单位$|计量单位")
_MEASURE_IN_NAME = re.compile(r"[（(]\s*(%|‰|1/10万|/10万|1/万|/万|人|个|件|户|名|所|家|次|岁|人次|万人|女=100)\s*[)）]$")
_PART_ROW = re.compile(r"^\s*(其中|内[:：]|含[:：])")
_NOTE = re.compile(r"^(注|说明|备注|资料来源|数据来源|填报|填表|审核|制表|负责人|联系电话)")
_CHANGE_COL = re.compile(r"增减|增长|减少|变化|变动|比较|差值|±|增幅|降幅")
# The 甲/乙/丙/1/2 row of statistical forms names the columns, it holds no data
_COLUMN_MARKS = re.compile(r"^[甲乙丙丁戊己庚]$")
_MISSING = {"", "—", "-", "--", "——", "/", "暂无", "无", "空", "未统计", "不详", "nan", "None", "…"}


def _header(table: Table) -> list[str]:
    return [normalise(str(c)).replace(" ", "") for c in table.frame.columns]


def _value_columns(header: list[str], year: int | None) -> dict[int, int]:
    """Column index → the year its values are about."""
    cols: dict[int, int] = {}
    for i, h in enumerate(header):
        m = _YEAR.search(h)
        if _CHANGE_COL.search(h):
            continue  # 比上年增减: a difference, not last year's values
        if _PREVIOUS.search(h) and year:
            cols[i] = year - 1
        elif m and not _TARGET_COL.search(h):
            cols[i] = int(m.group(1))
        elif _CURRENT.search(h) and not _NOT_VALUE.search(h) and year:
            cols[i] = year
    return cols


def _find_header(table: Table, year: int | None) -> tuple[list[str], int]:
    """The header as read, or one of the first rows when the reader took none (header, first data row)."""
    header = _header(table)
    if _value_columns(header, year):
        return header, 0
    for k in range(min(3, table.frame.shape[0])):
        row = [normalise(_cell(table, k, c)).replace(" ", "") for c in range(table.frame.shape[1])]
        if _value_columns(row, year):
            return row, k + 1
    return header, 0


def _label_column(table: Table, catalog: TwoPlansCatalog) -> tuple[int, int]:
    """The column whose cells name the most indicators, and how many."""
    best = (0, 0)
    for c in range(min(table.frame.shape[1], 4)):
        n = sum(1 for v in table.frame.iloc[:, c] if str(v).strip() and catalog.match(str(v)))
        if n > best[1]:
            best = (c, n)
    return best


def _cell(table: Table, r: int, c: int) -> str:
    v = table.frame.iat[r, c]
    return "" if v is None else str(v).strip()


def _value(raw: str) -> float | None:
    t = normalise(raw).strip()
    if t in _MISSING:
        return None
    return parse_number(re.sub(r"[（(].*?[)）]", "", t))


def _row(ind: TwoPlansIndicator | None, unit: str | None, year: int, raw: str, loc: str,
         target: str | None, label: str, sha256: str, version: str, measure: str = "") -> TwoPlansRow:
    """A value; `ind` None for a row no catalog name matched (name and measure as written)."""
    value = _value(raw)
    if ind is not None and value is not None:
        value = _in_catalog_measure(value, measure, ind.measure)
    code, name = (ind.code, ind.name) if ind else ("", label)
    measure = ind.measure if ind else measure
    return TwoPlansRow(
        unit=unit, code=code, name=name, measure=measure, target=target or (ind.target if ind else None),
        year=year, value=value, raw=raw, location=loc,
        evidence=Evidence(sha256=sha256, location=loc, snippet=f"{label}：{raw}" if raw else f"{label}：（空）",
                          extractor_version=version, confidence=1.0 if value is not None or not raw else 0.5))


# Measures a table may deliberately use instead of the catalog's, and how to convert: yearbooks
# print head counts in 万人; birth defects are given per 万 or per mille.
_PER_BASE = {"‰": 1_000, "1/万": 10_000}


def _in_catalog_measure(value: float, written: str, catalog_measure: str) -> float:
    """The value in the catalog's measure when the row writes another that converts exactly
    (7950 万人 → 79,500,000 人; 1.352‰ → 13.52/万). Any other difference stays as written:
    a measure column is as likely to be wrong as the value, and quality judges the scale."""
    w = normalise(written).replace(" ", "")
    if not w or w == catalog_measure:
        return value
    if w == "万" + catalog_measure:
        return round(value * 10_000, 6)
    if w in _PER_BASE and catalog_measure in _PER_BASE:
        return round(value * _PER_BASE[catalog_measure] / _PER_BASE[w], 10)
    return value


def _long_rows(table: Table, catalog: TwoPlansCatalog, unit: str | None, year: int | None,
               sha256: str, version: str) -> list[TwoPlansRow]:
    label_col, n = _label_column(table, catalog)
    if n == 0:
        return []
    header, start = _find_header(table, year)
    cols = {c: y for c, y in _value_columns(header, year).items() if c != label_col}
    if not cols:
        return []
    target_col = next((i for i, h in enumerate(header) if _TARGET_COL.search(h)), None)
    measure_col = next((i for i, h in enumerate(header) if _MEASURE_COL.search(h)), None)
    rows = []
    whole: TwoPlansIndicator | None = None  # the row a following 其中 row is part of
    for r in range(start, table.frame.shape[0]):
        label = _cell(table, r, label_col)
        if not label or _NOTE.match(label) or _COLUMN_MARKS.match(label):
            continue
        measure = _measure(label, _cell(table, r, measure_col) if measure_col is not None else "")
        ind = _match(catalog, label, measure)
        if ind is None and whole is not None and _PART_ROW.match(label):
            ind = catalog.match_part(label, whole.code)
        elif not _PART_ROW.match(label):
            whole = ind
        if ind is None and not _unmatched_data_row(table, r, label, cols):
            continue
        target = _cell(table, r, target_col) if target_col is not None else None
        for c, y in cols.items():
            rows.append(_row(ind, unit, y, _cell(table, r, c), table.cell_location(r, c),
                             target or None, label, sha256, version, measure))
    return rows


def _unmatched_data_row(table: Table, r: int, label: str, cols: dict[int, int]) -> bool:
    """A row worth keeping though no catalog name matched: a name and some number in a value
    column (a repeated header row — 本年, 上年 — or a signature line — 填表人：… — has none)."""
    if _YEAR.fullmatch(label):
        return False
    return any(_value(_cell(table, r, c)) is not None for c in cols)


_RATE_MEASURES = {"%", "‰", "1/10万", "女=100"}
_COUNT_MEASURES = {"人", "个", "件", "户", "名", "所", "家", "次", "人次", "万人"}


def _kind(measure: str) -> str | None:
    m = normalise(measure).strip().replace("％", "%")
    return "rate" if m in _RATE_MEASURES else "count" if m in _COUNT_MEASURES else None


def _match(catalog: TwoPlansCatalog, label: str, measure: str) -> TwoPlansIndicator | None:
    """The catalog indicator the row names. A name merely contained in the label (城镇单位女性
    从业人员占比 contains 城镇单位女性从业人员数's alias) does not hold when the row's own measure
    says the other kind (% against a count): the row stays unmatched, never a second value."""
    exact = catalog.match_exact(label)
    if exact is not None:
        return exact
    ind = catalog.match(label)
    if ind is not None and {_kind(measure), _kind(ind.measure)} == {"rate", "count"}:
        return None
    return ind


def _measure(label: str, written: str) -> str:
    """The measure as the measure column writes it, else as the name ends: 孕产妇死亡率（1/10万）."""
    text = normalise(written).strip()
    if text:
        return text
    m = _MEASURE_IN_NAME.search(normalise(label).strip())
    if m is None:
        return ""
    return "1" + m.group(1) if m.group(1).startswith("/") else m.group(1)


def _wide_rows(table: Table, catalog: TwoPlansCatalog, registry: UnitRegistry, year: int | None,
               sha256: str, version: str) -> list[TwoPlansRow]:
    """Units down the rows, indicators across the columns (a district summary sheet)."""
    header = _header(table)
    inds = {i: catalog.match(h) for i, h in enumerate(header) if h and catalog.match(h)}
    if len(inds) < 2 or year is None:
        return []
    rows = []
    for r in range(table.frame.shape[0]):
        label = _cell(table, r, 0)
        found = registry.find(label) if label else None
        if found is None:
            continue
        for c, ind in inds.items():
            rows.append(_row(ind, found.code, year, _cell(table, r, c), table.cell_location(r, c),  # type: ignore[arg-type]
                             None, f"{label} {header[c]}", sha256, version))
    return rows


def _unit_column_rows(table: Table, catalog: TwoPlansCatalog, registry: UnitRegistry, year: int | None,
                      sha256: str, version: str) -> list[TwoPlansRow]:
    """Indicators down the rows, one column per unit (历下区各街道…汇总表): the unit is the header."""
    label_col, n = _label_column(table, catalog)
    header = _header(table)
    units = {c: registry.find(h) for c, h in enumerate(header) if c != label_col and h}
    units = {c: u for c, u in units.items() if u is not None}
    if n == 0 or len(units) < 2 or year is None:
        return []
    rows = []
    for r in range(table.frame.shape[0]):
        label = _cell(table, r, label_col)
        ind = catalog.match(label) if label else None
        if ind is None:
            continue
        for c, unit in units.items():
            rows.append(_row(ind, unit.code, year, _cell(table, r, c), table.cell_location(r, c),
                             None, f"{header[c]} {label}", sha256, version))
    return rows


def table_year(table: Table, fallback: int | None) -> int | None:
    """The report year: the latest year named in the header, else the document's."""
    years = [int(y) for h in _header(table) for y in _YEAR.findall(h) if not _TARGET_COL.search(h)]
    return max(years) if years else fallback


def extract(tables: list[Table], catalog: TwoPlansCatalog, registry: UnitRegistry, unit: str | None,
            year: int | None, sha256: str, version: str) -> list[TwoPlansRow]:
    out: list[TwoPlansRow] = []
    for table in tables:
        y = table_year(table, year)
        rows = _unit_column_rows(table, catalog, registry, y, sha256, version)
        rows = rows or _long_rows(table, catalog, unit, y, sha256, version)
        out += rows or _wide_rows(table, catalog, registry, y, sha256, version)
    return out
