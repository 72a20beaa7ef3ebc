"""Checks every row of a two-plans table gets, whether or not a catalog name matched it.

A row no catalog entry covers (a local indicator, a name the catalog lacks) is still
a value someone will read: a negative count, an empty cell or a row listed twice is
wrong there too. Rows are identified by catalog code when matched, else by their name
as written (normalised), so the same local row listed twice is a duplicate as well.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from quality.findings import fmt
from quality.frames import row_finding
from schemas.findings import Finding
from schemas.two_plans import TwoPlansCatalog
from schemas.units import normalise_name

# the measures of a count: a count of anything is never below zero
COUNT_MEASURES = ("人", "个", "件", "户", "人次", "名", "所", "家", "次", "场", "万人")
_COUNT_NAME = re.compile(r"(人数|个数|户数|件数|人次|次数|场次|数量|[（(](人|个|件|户|名|所|家)[)）])$")
# a value cell that says nothing: how people write "no figure"
PLACEHOLDERS = ("", "—", "–", "-", "--", "——", "/", "／", "空", "空白", "暂无", "无", "N/A", "n/a",
                "NA", "未统计", "不详", "…", "nan", "None")
# Why a blank cell is flagged: (form name or "") for the unit, year and code.
FormLookup = Callable[[str, int, str], str]


def is_count(name: str, measure: str) -> bool:
    """A row of people, places or cases: by its measure, else by how its name ends."""
    m = measure.strip()
    if m:
        return m in COUNT_MEASURES
    return bool(_COUNT_NAME.search(normalise_name(name)))


def long_frame(rows: pd.DataFrame, catalog: TwoPlansCatalog) -> pd.DataFrame:
    """`rows` plus ident, matched and count_value (the value of an unmatched count row).

    A row the extraction left unmatched whose name is exactly a catalog name or alias
    (an older or local name) is matched here, before anything judges completeness.
    """
    codes = {i.code for i in catalog.indicators}
    rows = rows.assign(code=[c if c in codes else _exact_code(catalog, n)
                             for c, n in zip(rows["code"], rows["name"], strict=True)])
    matched = rows["code"].isin(codes)
    ident = rows["code"].where(matched, "名:" + rows["name"].map(normalise_name))
    counts = np.array([not m and is_count(n, ms) for m, n, ms in
                       zip(matched, rows["name"], rows["measure"], strict=True)], dtype=bool)
    return rows.assign(ident=ident, matched=matched,
                       count_value=rows["value"].where(counts & rows["value"].notna()))


def _exact_code(catalog: TwoPlansCatalog, name: str) -> str:
    ind = catalog.match_exact(name) if name else None
    return ind.code if ind is not None else ""


def blank_findings(long: pd.DataFrame, positions: list[int], form_of: FormLookup,
                   names: dict[str, str]) -> list[Finding]:
    """A present row whose cell has no number: an error when the unit's form asks for it.

    An empty repeat of a row reported with a value elsewhere is only a duplicate.
    """
    has_value = set(map(tuple, long.loc[long["value"].notna(), ["unit", "ident", "year"]]
                        .to_numpy().tolist()))
    out = []
    for pos in positions:
        r = long.iloc[pos]
        if (r["unit"], r["ident"], r["year"]) in has_value:
            continue
        form = form_of(r["unit"], int(r["year"]), r["code"]) if r["matched"] else ""
        raw = str(r["raw"]).strip()
        seen = f"“{raw}”" if raw else "空白"
        why = f"，《{form}》要求填报" if form else ""
        out.append(row_finding(
            r, names, kind="missing_value", severity="error" if form else "warning",
            observed=raw or "空白", expected="数值",
            message=f"{r['year']}年“{r['name']}”一栏为{seen}，没有数值{why}",
            rule="ExpectColumnValuesToNotBeNull"))
    return out


def negative_count_findings(long: pd.DataFrame, positions: list[int],
                            names: dict[str, str]) -> list[Finding]:
    """Counts of rows no catalog entry covers (matched rows get the catalog's own range)."""
    return [row_finding(r, names, kind="negative_value", severity="error",
                        observed=fmt(r["value"]), expected="≥0",
                        message=f"“{r['name']}”是人数/个数类指标，填报为负值（{fmt(r['value'])}）",
                        rule="ExpectColumnValuesToBeBetween")
            for r in (long.iloc[p] for p in positions)]


def duplicate_findings(long: pd.DataFrame, positions: list[int],
                       names: dict[str, str]) -> list[Finding]:
    """One finding per repeated (unit, indicator, year), naming every place it appears."""
    out: list[Finding] = []
    rows = long.iloc[sorted(set(positions))]
    for _key, group in rows.groupby(["unit", "ident", "year"], sort=True):
        first = group.iloc[0]
        values = [fmt(v) if not pd.isna(v) else (raw or "空白")
                  for v, raw in zip(group["value"], group["raw"], strict=True)]
        differ = len(set(values)) > 1
        year = int(first["year"])
        out.append(row_finding(
            first, names, kind="duplicate_indicator_row",
            severity="error" if differ else "warning",
            observed=" / ".join(values), expected="每个单位每年一行",
            message=f"{first['name']}在{year}年填报了{len(group)}次（{'、'.join(values)}）"
                    + ("，数值不一致" if differ else ""),
            rule="ExpectCompoundColumnsToBeUnique",
            source_path="; ".join(dict.fromkeys(group["source_path"])),
            sha256="; ".join(dict.fromkeys(group["sha256"])),
            location="; ".join(group["location"])))
    return out


_XLSX_CELL = re.compile(r"^(?:(?P<table>.*)!)?(?P<col>[A-Z]+)(?P<row>\d+)$")  # CSV: no sheet
_GRID_CELL = re.compile(r"^(?P<table>.*?)第(?P<row>\d+)行第(?P<col>\d+)列$")
_PART = re.compile(r"^\s*(其中|内[:：]|含[:：])")


def cell_position(location: str) -> tuple[str, str, int] | None:
    """(table, column, row) of a cell location (Sheet1!C7, 表1第3行第2列); None otherwise."""
    m = _XLSX_CELL.match(location) or _GRID_CELL.match(location)
    return (m["table"] or "", m["col"], int(m["row"])) if m else None


def part_findings(long: pd.DataFrame, catalog: TwoPlansCatalog,
                  names: dict[str, str]) -> list[Finding]:
    """A 其中 row no catalog entry covers against the row it is part of, in the same column.

    Its whole is the nearest row above that is neither a 其中 row nor a catalog part
    (those have their own whole in the catalog). Only counts are compared: a part's rate
    (其中：女性 毛入学率) may well exceed the whole's.
    """
    parts_in_catalog = {i.code for i in catalog.indicators if i.part_of}
    pos = [cell_position(str(loc)) for loc in long["location"]]
    frame = long.assign(_table=[p[0] if p else None for p in pos],
                        _col=[p[1] if p else None for p in pos],
                        _row=[p[2] if p else -1 for p in pos])
    frame = frame[frame["_table"].notna()]
    out = []
    for _, column in frame.groupby(["sha256", "_table", "_col"], sort=False):
        whole = None
        for _, r in column.sort_values("_row").iterrows():
            is_part = bool(_PART.match(r["name"])) and not r["matched"]
            if not is_part:
                if r["code"] not in parts_in_catalog:
                    whole = r
                continue
            if (whole is not None and is_count(r["name"], r["measure"])
                    and is_count(whole["name"], whole["measure"] or "人")
                    and 0 <= whole["value"] < r["value"]):  # a negative whole is its own finding
                out.append(row_finding(
                    r, names, kind="part_exceeds_whole", severity="error",
                    observed=fmt(r["value"]), expected=f"≤{fmt(whole['value'])}",
                    message=f"“{r['name']}”（{fmt(r['value'])}）大于其所属的"
                            f"“{whole['name']}”（{fmt(whole['value'])}，{whole['location']}）",
                    rule="part_row_vs_whole_row", reference=f"{whole['name']}={fmt(whole['value'])}"))
    return out
