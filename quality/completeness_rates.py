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
        "unit": done["unit"], "month": done["month"],
        "expected": 1,
        "actual": (done["count"] >= done["required"]).astype("int64"),
        "on_time": (done["on_time"] >= done["required"]).astype("int64"),
    })


def _by_period(flags: pd.DataFrame, key: str, year: str) -> pd.DataFrame:
    cols = ["expected", "actual", "on_time"]
    monthly = flags.groupby([key, "month"], sort=False)[cols].sum().reset_index()
    monthly["period"] = year + "-" + monthly["month"].map("{:02d}".format)
    yearly = flags.groupby(key, sort=False)[cols].sum().reset_index().assign(period=year)
    return pd.concat([monthly.drop(columns="month"), yearly], ignore_index=True).rename(
        columns={key: "unit"})


def reporting_rates(rows: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Rates per unit, scope (own, tree) and period ("2013-01" … "2013-12", and "2013").

    Every unit gets all 13 periods in both scopes, with zeros where nothing is expected.
    """
    if rows.empty:
        return pd.DataFrame(columns=list(RATE_COLUMNS))
    year = str(rows["period"].iloc[0])[:4]
    flags = _flags(rows)
    tree = flags.merge(ancestry(units), on="unit").drop(columns="unit")
    parts = [_by_period(flags, "unit", year).assign(scope="own"),
             _by_period(tree, "ancestor", year).assign(scope="tree")]
    counted = pd.concat(parts, ignore_index=True)
    info = units.drop_duplicates("code").reset_index(drop=True)
    grid = pd.MultiIndex.from_product(
        [range(len(info)), ["own", "tree"], [f"{year}-{m:02d}" for m in range(1, 13)] + [year]],
        names=["_order", "scope", "period"]).to_frame(index=False)
    grid["unit"] = info["code"].to_numpy()[grid["_order"].to_numpy()]
    out = grid.merge(counted, on=["unit", "scope", "period"], how="left")
    out[["expected", "actual", "on_time"]] = (
        out[["expected", "actual", "on_time"]].fillna(0).astype("int64"))
    expected = out["expected"].replace(0, np.nan)
    out["rate"] = out["actual"] / expected
    out["on_time_rate"] = out["on_time"] / expected
    out["unit_name"] = info["name"].to_numpy()[out["_order"].to_numpy()]
    out["level"] = info["level"].to_numpy()[out["_order"].to_numpy()]
    return out.loc[:, list(RATE_COLUMNS)]
