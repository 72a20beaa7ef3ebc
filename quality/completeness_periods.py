"""Periods for the completeness audit: due periods of a year, deadlines, parsing period strings.

Period strings are "2013", "2013-H1", "2013-Q3", "2013-05". A period's rank is its
coarseness: month 0, quarter 1, half-year 2, year 3.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from schemas.completeness import CompletenessRules, Rule

RANK = {"monthly": 0, "quarterly": 1, "half_yearly": 2, "yearly": 3}
_CN_NUM = "一二三四"
_PERIOD_RE = r"^\s*(?P<year>\d{4})(?:-(?P<suffix>H[12]|Q[1-4]|0[1-9]|1[0-2]))?\s*$"


def end_month(suffix: str) -> int:
    """The calendar month a period of the year ends in (12 for the year itself)."""
    if not suffix:
        return 12
    if suffix[0] == "H":
        return 6 * int(suffix[1])
    if suffix[0] == "Q":
        return 3 * int(suffix[1])
    return int(suffix)


def period_label(year: int, suffix: str) -> str:
    """Chinese name of a period: 2013年3月, 2013年第一季度, 2013年上半年, 2013年."""
    if not suffix:
        return f"{year}年"
    if suffix[0] == "H":
        return f"{year}年{'上' if suffix == 'H1' else '下'}半年"
    if suffix[0] == "Q":
        return f"{year}年第{_CN_NUM[int(suffix[1]) - 1]}季度"
    return f"{year}年{int(suffix)}月"


def _last_day(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _rule_rows(rule: Rule, order: int, year: int, tz: str) -> list[dict]:
    out = []
    for suffix in rule.suffixes():
        month = end_month(suffix)
        deadline = _last_day(year, month) + timedelta(days=rule.deadline_days)
        # On time = received before local midnight that ends the deadline day.
        deadline_end = pd.Timestamp(deadline + timedelta(days=1)).tz_localize(tz)
        out.append({
            "level": rule.level, "doc_type": rule.doc_type, "frequency": rule.frequency,
            "rank": RANK[rule.frequency], "rule_order": order,
            "period": f"{year}-{suffix}" if suffix else str(year),
            "period_label": period_label(year, suffix), "month": month,
            "required": rule.min_count, "deadline": deadline.isoformat(),
            "deadline_end": deadline_end, "label": rule.label, "unit_word": rule.unit_word,
        })
    return out


def period_table(rules: CompletenessRules, year: int, labels: dict[str, str]) -> pd.DataFrame:
    """One row per rule and due period of the year, with its deadline.

    `labels` maps doc type codes to their Chinese names, used where a rule has no label.
    """
    rows = [r for i, rule in enumerate(rules.rules) for r in _rule_rows(rule, i, year, rules.timezone)]
    table = pd.DataFrame(rows, columns=[
        "level", "doc_type", "frequency", "rank", "rule_order", "period", "period_label",
        "month", "required", "deadline", "deadline_end", "label", "unit_word"])
    if table.empty:
        table["deadline_end"] = pd.Series(dtype=f"datetime64[ns, {rules.timezone}]")
    fallback = table["doc_type"].map(labels).fillna(table["doc_type"])
    table["label"] = table["label"].fillna(fallback)
    return table


def parse_periods(period: pd.Series) -> pd.DataFrame:
    """Parse: year (Int64), rank (Int64), start month (Int64); <NA> when unparseable.

    Only the distinct strings are parsed (a year has a few dozen periods), then spread back.
    """
    codes, uniques = pd.factorize(period.astype("string"), use_na_sentinel=True)
    parsed = _parse_unique(pd.Series(uniques, dtype="string"))
    # code -1 (missing value) takes the extra all-NA row appended at the end
    parsed = pd.concat([parsed, parsed.iloc[0:0].reindex([len(parsed)])], ignore_index=True)
    out = parsed.iloc[np.where(codes < 0, len(uniques), codes)].astype("Int64")
    return out.set_axis(period.index)


def _parse_unique(period: pd.Series) -> pd.DataFrame:
    parts = period.str.extract(_PERIOD_RE)
    suffix = parts["suffix"].fillna("")
    is_year = suffix.eq("").to_numpy(dtype=bool)
    is_half = suffix.str.startswith("H").to_numpy(dtype=bool, na_value=False)
    is_quarter = suffix.str.startswith("Q").to_numpy(dtype=bool, na_value=False)
    digits = suffix.str.lstrip("HQ")
    digit = pd.to_numeric(digits.where(~is_year, "1")).to_numpy(dtype=float)
    conds = [is_year, is_half, is_quarter]
    rank = np.select(conds, [3, 2, 1], default=0)
    start = np.select(conds, [1, (digit - 1) * 6 + 1, (digit - 1) * 3 + 1], default=digit)
    ok = parts["year"].notna()
    return pd.DataFrame({
        "p_year": pd.to_numeric(parts["year"]).astype("Int64"),
        "p_rank": pd.Series(rank, index=period.index).where(ok).astype("Int64"),
        "p_month": pd.Series(start, index=period.index).where(ok).astype("Int64"),
    }, index=period.index)


_MONTH_SUFFIX = np.array([""] + [f"-{m:02d}" for m in range(1, 13)], dtype=object)
_QUARTER_SUFFIX = np.array([""] + [f"-Q{(m - 1) // 3 + 1}" for m in range(1, 13)], dtype=object)
_HALF_SUFFIX = np.array([""] + [f"-H{(m - 1) // 6 + 1}" for m in range(1, 13)], dtype=object)


def containing_period(year: int, rank: pd.Series, month: pd.Series) -> pd.Series:
    """The period of the given rank that contains `month` of `year`, as a period string."""
    m = month.to_numpy(dtype=int)
    r = rank.to_numpy(dtype=int)
    suffix = np.select(
        [r == 0, r == 1, r == 2],
        [_MONTH_SUFFIX[m], _QUARTER_SUFFIX[m], _HALF_SUFFIX[m]], default="")
    return pd.Series(str(year) + suffix.astype(object), index=rank.index, dtype=object)
