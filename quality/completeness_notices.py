"""What to tell people: per-unit notices of missing documents, and changes since the last run."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from schemas.vocabulary import load_vocabulary

KEY = ["unit", "doc_type", "period"]
GAP = ("missing", "short")
DONE = ("ok", "late")
# Changes between two audits, in the order they are reported.
CHANGES = {
    "newly_complete": "新补齐",
    "late_arrival": "逾期补报",
    "newly_overdue": "新到期未报齐",
    "still_missing": "仍未报齐",
    "regressed": "由齐全变为未齐",
}
STATUS_CN = {**load_vocabulary().short("completeness_status"), None: "无"}


def _n(values: pd.Series) -> pd.Series:
    return values.astype("int64").astype(str)


def missing_items(rows: pd.DataFrame, *, include_late: bool = False) -> pd.DataFrame:
    """One line of Chinese text per cell that is missing or short (and late, if asked)."""
    wanted = GAP + (("late",) if include_late else ())
    gaps = rows[rows["status"].isin(wanted)]
    head = gaps["period_label"] + gaps["label"]
    w = gaps["unit_word"]
    req = "应报" + _n(gaps["required"]) + w
    text = head + "未报（" + req + "）"
    short = gaps["status"].eq("short")
    text = text.where(~short, head + "缺" + _n(gaps["required"] - gaps["count"]) + w
                      + "（" + req + "，已报" + _n(gaps["count"]) + w + "）")
    late = gaps["status"].eq("late")
    text = text.where(~late, head + "逾期报送（截止" + gaps["deadline"].astype(str) + "，按时"
                      + _n(gaps["on_time"]) + w + "，" + req + "）")
    cols = ["unit", "unit_name", "doc_type", "period", "status"]
    return gaps.loc[:, cols].assign(text=text).reset_index(drop=True)


def missing_notices(rows: pd.DataFrame, *, include_late: bool = False) -> pd.DataFrame:
    """One notice per unit with gaps: unit, unit_name, missing, short, late, text.

    text reads "泉城路街道妇联：2013年3月工作信息缺1条（应报2条，已报1条）；…。请尽快补报。"
    """
    items = missing_items(rows, include_late=include_late)
    cols = ["unit", "unit_name", "missing", "short", "late", "text"]
    if items.empty:
        return pd.DataFrame(columns=cols)
    counts = pd.crosstab(items["unit"], items["status"]).reindex(
        columns=["missing", "short", "late"], fill_value=0)
    joined = items.groupby("unit", sort=False).agg(
        unit_name=("unit_name", "first"), body=("text", "；".join))
    out = joined.join(counts).reset_index()
    # A unit that only sent late has nothing to make up: ask for punctuality instead.
    gaps = (out["missing"] + out["short"]) > 0
    out["text"] = out["unit_name"] + "：" + out["body"] + np.where(gaps, "。请尽快补报。",
                                                                   "。请今后按时报送。")
    return out.loc[:, cols]


@dataclass(frozen=True)
class DiffResult:
    changes: pd.DataFrame  # unit, unit_name, doc_type, period, period_label, label, before, after, change
    counts: dict[str, int] = field(default_factory=dict)  # change -> number of cells
    text: str = ""


def _classify(before: pd.Series, after: pd.Series) -> pd.Series:
    was_done, now_done = before.isin(DONE), after.isin(DONE)
    change = pd.Series(None, index=after.index, dtype=object)
    change[after.eq("ok") & ~before.eq("ok")] = "newly_complete"
    change[after.eq("late") & ~was_done] = "late_arrival"
    gap_now = after.isin(GAP)
    change[gap_now & ~before.isin(GAP) & ~was_done] = "newly_overdue"
    change[gap_now & before.isin(GAP)] = "still_missing"
    change[was_done & ~now_done] = "regressed"
    return change


def _text(changes: pd.DataFrame, counts: dict[str, int], limit: int) -> str:
    if not counts:
        return "与上次核查相比没有变化。"
    summary = "，".join(f"{CHANGES[k]}{v}项" for k, v in counts.items())
    lines = [f"与上次核查相比：{summary}。"]
    for key in ("newly_complete", "late_arrival", "newly_overdue", "regressed"):
        part = changes[changes["change"] == key]
        if part.empty:
            continue
        names = (part["unit_name"] + part["period_label"] + part["label"]).head(limit).tolist()
        more = f"等{len(part)}项" if len(part) > limit else ""
        lines.append(f"{CHANGES[key]}：" + "、".join(names) + more + "。")
    return "\n".join(lines)


def diff(previous_rows: pd.DataFrame | None, current_rows: pd.DataFrame, *,
         limit: int = 5) -> DiffResult:
    """What changed between two audits' rows (cells matched by unit, doc_type, period).

    A cell absent before counts as not yet known (before = None). `limit` caps the names
    listed per kind of change in the text.
    """
    prev = (previous_rows if previous_rows is not None else current_rows.iloc[0:0])
    merged = current_rows.merge(prev.loc[:, KEY + ["status"]].rename(columns={"status": "before"}),
                                on=KEY, how="left")
    merged = merged.rename(columns={"status": "after"})
    before = merged["before"].astype(object).where(merged["before"].notna(), None)
    merged["before"] = before
    merged["change"] = _classify(before, merged["after"])
    cols = ["unit", "unit_name", "doc_type", "period", "period_label", "label", "before", "after",
            "change"]
    changes = merged.loc[merged["change"].notna(), cols].reset_index(drop=True)
    sizes = changes["change"].value_counts()
    counts = {k: int(sizes[k]) for k in CHANGES if k in sizes.index}
    return DiffResult(changes, counts, _text(changes, counts, limit))
