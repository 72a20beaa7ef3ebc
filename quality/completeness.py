"""Completeness audit: who sent what, for which period, on time.

Pure: DataFrames and rules in, DataFrames out; the archive supplies the inputs.

How a submission is placed (documented choice). For the unit's level and the
document type, the rules give one or more frequencies (e.g. work_summary: yearly
and half-yearly H1). A submission counts toward one cell at most:
- Types due once a period (doc_types.yaml once_per_period: summaries, statistics,
  registers) count only at their own granularity: "2013" summary -> "2013";
  "2013-H1" summary -> "2013-H1" only, never the year (a half-year summary is
  not the annual one). A finer one is unplaced as `too_fine` (a monthly petition
  report does not make the quarterly one), a coarser one as `too_coarse`.
- Types sent many times (info_report, parent_school_record) count toward the
  finest rule period that contains theirs: a parent-school record dated
  "2013-05" counts toward the yearly "2013"; an info report must carry a month,
  one with only "2013" cannot show which month it was for (`too_coarse`).
Identical bytes (same sha256) in one cell count once, at their earliest arrival.
Once-a-period types count at most 1 per cell: two yearly summaries for 2013 are
one report sent twice (the archive normally passes only the latest).

Statuses, per unit x doc type x due period:
- ok       count >= required and on_time >= required
- pending  not ok, and the deadline has not passed at `as_of` (includes periods
           not over yet); pending cells are left out of reporting rates
- missing  deadline passed, nothing received
- short    deadline passed, 0 < count < required
- late     deadline passed, count >= required but on_time < required
Deadlines are local dates in the rules' timezone (Asia/Shanghai): on time means
received before local midnight that ends the deadline day. Submissions received
after `as_of` are ignored, so an audit as of a past moment can be reproduced; one
without a receive time counts but is never on time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from quality.completeness_periods import containing_period, parse_periods, period_table
from schemas.completeness import CompletenessRules
from schemas.doc_types import DocType, load_doc_types

UNIT_COLUMNS = ("code", "name", "level", "parent")
SUBMISSION_COLUMNS = ("unit", "doc_type", "period", "received_at", "sha256", "source_path")
ROW_COLUMNS = (
    "unit", "unit_name", "level", "parent", "doc_type", "label", "frequency", "period",
    "period_label", "month", "deadline", "required", "count", "on_time", "status", "unit_word")
STATUSES = ("ok", "pending", "missing", "short", "late")
UNPLACED_REASONS = ("bad_period", "unknown_unit", "no_rule", "too_coarse", "too_fine", "not_due")


@dataclass(frozen=True)
class AuditResult:
    rows: pd.DataFrame  # ROW_COLUMNS, one row per unit x doc type x due period
    unplaced: pd.DataFrame  # submissions of the year that counted toward nothing, with `reason`
    year: int
    as_of: pd.Timestamp


def _require(df: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s): {', '.join(missing)}")


def _aware(values: pd.Series | pd.Timestamp, what: str) -> pd.Series | pd.Timestamp:
    """Timestamps must carry a timezone: a naive one would be read in the wrong zone."""
    if isinstance(values, pd.Series):
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            return values
        if values.isna().all():  # nothing to misread: an empty or all-unknown column
            return pd.to_datetime(values, utc=True)
        try:
            out = pd.to_datetime(values)
        except ValueError:  # python datetimes in several zones; only here is a slow check paid
            if values.map(lambda v: getattr(v, "tzinfo", 0) is None).any():
                raise ValueError(f"{what} must be timezone-aware (UTC)") from None
            out = pd.to_datetime(values, utc=True)
        if not isinstance(out.dtype, pd.DatetimeTZDtype):
            raise ValueError(f"{what} must be timezone-aware (UTC)")
        return out
    out = pd.Timestamp(values)
    if out.tzinfo is None:
        raise ValueError(f"{what} must be timezone-aware")
    return out


def _unplaced(frame: pd.DataFrame, mask: pd.Series, reason: str) -> pd.DataFrame:
    return frame.loc[mask, list(SUBMISSION_COLUMNS)].assign(reason=reason)


def _place(subs: pd.DataFrame, levels: pd.Series, periods: pd.DataFrame, year: int,
           once: dict[str, bool]) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Give each submission of `year` its cell (unit, doc_type, period) and deadline."""
    parsed = parse_periods(subs["period"])
    lost = [_unplaced(subs, parsed["p_rank"].isna(), "bad_period")]
    s = subs.join(parsed)
    s = s[s["p_year"].eq(year).fillna(False)]
    s = s.assign(level=s["unit"].map(levels))
    lost.append(_unplaced(s, s["level"].isna(), "unknown_unit"))
    s = s[s["level"].notna()].reset_index(names="_row")
    ranks = periods[["level", "doc_type", "rank"]].drop_duplicates()
    cand = s.merge(ranks, on=["level", "doc_type"], how="left")
    has_rule = cand.groupby("_row")["rank"].transform("count").gt(0)
    lost.append(_unplaced(cand[~has_rule].drop_duplicates("_row"), slice(None), "no_rule"))
    cand = cand[has_rule]
    exact_only = cand["doc_type"].map(once).fillna(False).astype(bool)
    ok = (cand["rank"] == cand["p_rank"]) | (~exact_only & (cand["rank"] > cand["p_rank"]))
    fits = cand[ok.to_numpy(dtype=bool)].sort_values(["_row", "rank"]).drop_duplicates("_row")
    unfit = cand[~cand["_row"].isin(fits["_row"])]
    coarsest = unfit.groupby("_row")["rank"].transform("max")
    unfit = unfit.assign(reason=np.where(unfit["p_rank"] > coarsest, "too_coarse", "too_fine"))
    lost.append(unfit.drop_duplicates("_row").loc[:, [*SUBMISSION_COLUMNS, "reason"]])
    fits = fits.assign(cell=containing_period(year, fits["rank"], fits["p_month"]))
    due = fits.merge(periods[["level", "doc_type", "rank", "period", "deadline_end"]]
                     .rename(columns={"period": "cell"}), on=["level", "doc_type", "rank", "cell"],
                     how="left")
    lost.append(_unplaced(due, due["deadline_end"].isna(), "not_due"))
    return due[due["deadline_end"].notna()], lost


def _count(placed: pd.DataFrame, doc_types: dict[str, DocType]) -> pd.DataFrame:
    """count and on_time per cell; identical bytes once; once-a-period types capped at 1."""
    placed = placed.assign(
        on_time=placed["received_at"] < placed["deadline_end"],
        sha=placed["sha256"].astype(object).where(placed["sha256"].notna(),
                                                  "row:" + placed["_row"].astype(str)))
    placed = placed.sort_values("received_at").drop_duplicates(["unit", "doc_type", "cell", "sha"])
    counts = (placed.groupby(["unit", "doc_type", "cell"], sort=False)
              .agg(count=("sha", "size"), on_time=("on_time", "sum")).reset_index()
              .rename(columns={"cell": "period"}))
    once = counts["doc_type"].map({k: v.once_per_period for k, v in doc_types.items()})
    cap = np.where(once.fillna(False).astype(bool), 1, np.iinfo(np.int64).max)
    counts["count"] = np.minimum(counts["count"].to_numpy(), cap)
    counts["on_time"] = np.minimum(counts["on_time"].to_numpy(dtype=np.int64), cap)
    return counts


def _status(cells: pd.DataFrame, as_of: pd.Timestamp) -> np.ndarray:
    complete = cells["count"] >= cells["required"]
    timely = cells["on_time"] >= cells["required"]
    open_ = as_of < cells["deadline_end"]
    return np.select(
        [complete & timely, open_, cells["count"].eq(0), ~complete],
        ["ok", "pending", "missing", "short"], default="late")


def audit(units: pd.DataFrame, submissions: pd.DataFrame, rules: CompletenessRules, year: int,
          as_of: pd.Timestamp, *, doc_types: dict[str, DocType] | None = None) -> AuditResult:
    """Audit one year: a row per unit x due document x period, see the module doc for statuses."""
    _require(units, UNIT_COLUMNS, "units")
    _require(submissions, SUBMISSION_COLUMNS, "submissions")
    as_of = _aware(as_of, "as_of")
    doc_types = doc_types if doc_types is not None else load_doc_types()
    periods = period_table(rules, year, {k: v.name for k, v in doc_types.items()})
    subs = submissions.loc[:, list(SUBMISSION_COLUMNS)].reset_index(drop=True)
    subs["received_at"] = _aware(subs["received_at"], "submissions.received_at")
    # Not yet received at as_of: left out. No receive time at all: counted, never on time.
    subs = subs[subs["received_at"].le(as_of).fillna(False) | subs["received_at"].isna()]
    units = units.drop_duplicates("code")
    once = {k: v.once_per_period for k, v in doc_types.items()}
    placed, lost = _place(subs, units.set_index("code")["level"], periods, year, once)
    counts = _count(placed, doc_types)
    cells = (units.loc[:, list(UNIT_COLUMNS)].reset_index(names="_unit_order")
             .rename(columns={"code": "unit", "name": "unit_name"})
             .merge(periods, on="level")
             .merge(counts, on=["unit", "doc_type", "period"], how="left"))
    cells[["count", "on_time"]] = cells[["count", "on_time"]].fillna(0).astype("int64")
    cells["status"] = _status(cells, as_of)
    cells = cells.sort_values(["_unit_order", "rule_order", "month"], kind="stable")
    unplaced = pd.concat([x for x in lost if not x.empty] or [lost[0]], ignore_index=True)
    return AuditResult(cells.loc[:, list(ROW_COLUMNS)].reset_index(drop=True),
                       unplaced.reset_index(drop=True), year, as_of)


# The rest of the public API lives in small modules; import it from here.
from quality.completeness_grid import render_grid  # noqa: E402
from quality.completeness_notices import diff, missing_items, missing_notices  # noqa: E402
from quality.completeness_rates import reporting_rates  # noqa: E402

__all__ = [
    "AuditResult", "ROW_COLUMNS", "STATUSES", "SUBMISSION_COLUMNS", "UNIT_COLUMNS",
    "UNPLACED_REASONS", "audit", "diff", "missing_items", "missing_notices", "render_grid",
    "reporting_rates",
]
