"""Reporting rates as DHIS2 gives them, per unit and rolled up the unit hierarchy.

A report is one audit cell (unit x due document x period). expected counts the
cells whose status is not `pending`; actual those with count >= required (ok or
late); on_time those with on_time >= required (ok). rate = actual / expected,
on_time_rate = on_time / expected (NaN when nothing is expected).

A cell belongs to the month its period ends in (a Q1 report to March, the
half-year to June, yearly ones to December), so the twelve months add up to
the year. scope `own` is the unit alone; `tree` adds every unit below it (a
street and its communities; the district over all).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

RATE_COLUMNS = ("unit", "unit_name", "level", "scope", "period", "expected", "actual",
                "on_time", "rate", "on_time_rate")
_MAX_DEPTH = 32


def ancestry(units: pd.DataFrame) -> pd.DataFrame:
    """Pairs (unit, ancestor) for every unit and each unit above it, itself included."""
    codes = units["code"].drop_duplicates()
    parent = units.drop_duplicates("code").set_index("code")["parent"]
    pairs = [pd.DataFrame({"unit": codes.to_numpy(), "ancestor": codes.to_numpy()})]
    step = pairs[0]
    for _ in range(_MAX_DEPTH):
        step = step.assign(ancestor=step["ancestor"].map(parent))
        step = step[step["ancestor"].isin(codes)]
        if step.empty:
            return pd.concat(pairs, ignore_index=True)
        pairs.append(step)
    raise ValueError("unit hierarchy has a cycle or is deeper than 32 levels")


def _flags(rows: pd.DataFrame) -> pd.DataFrame:
    done = rows[rows["status"] != "pending"]
    return pd.DataFrame({
        "unit": done["unit"], "doc_type": done["doc_type"], "month": done["month"],
        "expected": 1,
        "actual": (done["count"] >= done["required"]).astype("int64"),
        "on_time": (done["on_time"] >= done["required"]).astype("int64"),
    })


def _by_period(flags: pd.DataFrame, keys: list[str], year: str) -> pd.DataFrame:
    cols = ["expected", "actual", "on_time"]
    monthly = flags.groupby([*keys, "month"], sort=False)[cols].sum().reset_index()
    monthly["period"] = year + "-" + monthly["month"].map("{:02d}".format)
    yearly = flags.groupby(keys, sort=False)[cols].sum().reset_index().assign(period=year)
    return pd.concat([monthly.drop(columns="month"), yearly], ignore_index=True).rename(
        columns={keys[0]: "unit"})


def _frame(units: pd.DataFrame, year: str, doc_types: list[str] | None) -> pd.DataFrame:
    """Every unit x scope x period (x doc type): the rows the result always has."""
    periods = [f"{year}-{m:02d}" for m in range(1, 13)] + [year]
    axes = [range(len(units)), ["own", "tree"], periods]
    names = ["_order", "scope", "period"]
    if doc_types is not None:
        axes.insert(1, doc_types)
        names.insert(1, "doc_type")
    grid = pd.MultiIndex.from_product(axes, names=names).to_frame(index=False)
    order = grid["_order"].to_numpy()
    return grid.assign(unit=units["code"].to_numpy()[order],
                       unit_name=units["name"].to_numpy()[order],
                       level=units["level"].to_numpy()[order])


def reporting_rates(rows: pd.DataFrame, units: pd.DataFrame, *,
                    by_doc_type: bool = False) -> pd.DataFrame:
    """Rates per unit, scope (own, tree) and period ("2013-01" … "2013-12", and "2013").

    Every unit gets all 13 periods in both scopes, with zeros where nothing is expected.
    by_doc_type: one more key, `doc_type` (DHIS2's rate per data set), for every type in rows.
    """
    columns = list(RATE_COLUMNS) if not by_doc_type else [*RATE_COLUMNS[:3], "doc_type",
                                                          *RATE_COLUMNS[3:]]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    year = str(rows["period"].iloc[0])[:4]
    extra = ["doc_type"] if by_doc_type else []
    flags = _flags(rows)
    tree = flags.merge(ancestry(units), on="unit").drop(columns="unit")
    counted = pd.concat([_by_period(flags, ["unit", *extra], year).assign(scope="own"),
                         _by_period(tree, ["ancestor", *extra], year).assign(scope="tree")],
                        ignore_index=True)
    info = units.drop_duplicates("code").reset_index(drop=True)
    frame = _frame(info, year, rows["doc_type"].drop_duplicates().tolist() if by_doc_type else None)
    out = frame.merge(counted, on=["unit", *extra, "scope", "period"], how="left")
    out[["expected", "actual", "on_time"]] = (
        out[["expected", "actual", "on_time"]].fillna(0).astype("int64"))
    expected = out["expected"].replace(0, np.nan)
    out["rate"] = out["actual"] / expected
    out["on_time_rate"] = out["on_time"] / expected
    return out.loc[:, columns]
