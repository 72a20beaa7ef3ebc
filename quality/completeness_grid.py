"""A unit x month grid of audit statuses for an 80–120-column terminal (rich)."""

from __future__ import annotations

import pandas as pd
from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from schemas.units import COMMUNITY_SUFFIXES, STREET_SUFFIXES
from schemas.vocabulary import load_vocabulary

# Worst first: a month cell shows the worst status among the documents due in it.
SYMBOLS = {
    "missing": ("✗", "bold red"),
    "short": ("◐", "yellow"),
    "late": ("!", "magenta"),
    "pending": ("·", "dim"),
    "ok": ("✓", "green"),
}
STATUS_CN = load_vocabulary().long("completeness_status")
LEVEL_CN = load_vocabulary().short("unit_level")
_SEVERITY = {s: i for i, s in enumerate(SYMBOLS)}
_OTHER_SUFFIXES = ("妇女联合会", "妇联", "妇委会", "妇女工作委员会")
_NAME_MIN, _NAME_MAX = 4, 16  # display columns for the unit name


def short_name(name: str) -> str:
    """泉城路街道妇联 -> 泉城路; 甸柳庄社区妇联 -> 甸柳庄; other units lose 妇联-like endings."""
    for suffix in STREET_SUFFIXES + COMMUNITY_SUFFIXES + _OTHER_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _fit(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text
    while text and cell_len(text) > width - 1:
        text = text[:-1]
    return text + "…"


def _worst(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    sev = frame["status"].map(_SEVERITY)
    return sev.groupby([frame[k] for k in keys], sort=False).min().map(dict(enumerate(SYMBOLS)))


def _yearly_cell(statuses: list[str], room: int) -> Text:
    """One symbol per non-monthly item in rule order, or counts when they do not fit."""
    if len(statuses) <= room:
        return Text.assemble(*[(SYMBOLS[s][0], SYMBOLS[s][1]) for s in statuses])
    counts = pd.Series(statuses).value_counts()
    parts = [(f"{SYMBOLS[s][0]}{counts[s]}", SYMBOLS[s][1]) for s in SYMBOLS if s in counts]
    return Text(" ").join(Text(p, style=st) for p, st in parts)


def _item_names(other: pd.DataFrame) -> list[str]:
    """Per level, the non-monthly items in the order the yearly column shows them."""
    lines = []
    for level, part in other.drop_duplicates(["level", "doc_type", "frequency", "period"]).groupby(
            "level", sort=False):
        names = []
        for (_, freq), grp in part.groupby(["doc_type", "frequency"], sort=False):
            label = grp["label"].iloc[0]
            suffixes = grp["period"].str[5:].tolist()
            if freq != "yearly":
                span = suffixes[0] if len(suffixes) == 1 else f"{suffixes[0]}–{suffixes[-1]}"
                label += f"({span})"
            names.append(label)
        lines.append(f"{LEVEL_CN.get(level, level)}：" + "、".join(names))
    return lines


def _legend(item_lines: list[str]) -> Text:
    legend = Text("图例：")
    for status, (sym, style) in SYMBOLS.items():
        legend.append(sym, style=style)
        legend.append(f" {STATUS_CN[status]}  ")
    legend.append("空白 无应报。月份格为当月应报材料中最差的状态。")
    if item_lines:
        legend.append("\n年度项依次为——" + "；".join(item_lines) + "。")
    return legend


def _layout(console_width: int, names: list[str], n_yearly: int) -> tuple[int, int, bool]:
    """Name width, yearly-column width and whether there is room for borders.

    Bordered: every column costs its width + 2 padding + 1 rule, plus the closing rule.
    Plain: no padding, one space between columns.
    """
    name_w = min(_NAME_MAX, max([_NAME_MIN, *map(cell_len, names)]))
    yearly_need = max(4, n_yearly)
    if name_w + 12 * 5 + 3 + yearly_need + 4 <= console_width:
        return name_w, yearly_need, True
    fixed = 12 * 3 + 1
    yearly_w = max(4, min(yearly_need, console_width - fixed - name_w))
    name_w = max(_NAME_MIN, min(name_w, console_width - fixed - yearly_w))
    return name_w, yearly_w, False


def render_grid(rows: pd.DataFrame, console_width: int = 100, *, title: str | None = None) -> Table:
    """Units down, months 1–12 across, then one compact column for quarterly/half/yearly items."""
    monthly = rows[rows["frequency"] == "monthly"]
    other = rows[rows["frequency"] != "monthly"]
    month_sym = _worst(monthly, ["unit", "month"]) if not monthly.empty else pd.Series(dtype=object)
    yearly = other.groupby("unit", sort=False)["status"].agg(list)
    units = rows.drop_duplicates("unit")[["unit", "unit_name"]]
    names = [short_name(n) for n in units["unit_name"]]
    name_w, yearly_w, bordered = _layout(console_width, names, int(yearly.map(len).max() or 0)
                                         if not yearly.empty else 0)
    table = Table(title=title or "材料报送完整性", box=box.SQUARE if bordered else box.SIMPLE_HEAD,
                  padding=(0, 1 if bordered else 0), caption=_legend(
                      _item_names(other)), caption_justify="left", width=None, show_edge=bordered)
    table.add_column("单位", width=name_w, no_wrap=True)
    for m in range(1, 13):
        table.add_column(str(m), justify="center", width=2, no_wrap=True)
    table.add_column("年度项", width=yearly_w, no_wrap=True)
    month_map = month_sym.to_dict()
    for code, name in zip(units["unit"], names, strict=True):
        cells = []
        for m in range(1, 13):
            sym = month_map.get((code, m))
            cells.append(Text(SYMBOLS[sym][0], style=SYMBOLS[sym][1]) if sym else Text(""))
        year_cell = _yearly_cell(yearly.get(code, []), yearly_w)
        table.add_row(_fit(name, name_w), *cells, year_cell)
    return table
