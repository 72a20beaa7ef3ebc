"""Benchmark: the GX two-plans suites on a 100,000-row frame against plain pandas range checks.

Both sides check the same things (measure and plausible ranges, blank cells,
one row per unit/indicator/year, part ≤ whole) on the same frame in the same run;
seconds are measured after imports, best of three. Run:
    .venv/bin/python bench/quality.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

# run as a script, this file's folder comes first on sys.path and its name would hide
# the `quality` package: put the repository root there instead
sys.path[0] = str(Path(__file__).resolve().parents[1])

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from quality import gx_suites, table_rows  # noqa: E402
from quality.frames import KEY, build_grid, prepare  # noqa: E402
from quality.two_plans import check_two_plans  # noqa: E402
from schemas.two_plans import load_two_plans_catalog  # noqa: E402

ROWS = 100_000


def make_frame(rows: int = ROWS, seed: int = 1) -> pd.DataFrame:
    """Long two-plans rows for enough (unit, year) pairs; ~1% of values off."""
    cat = load_two_plans_catalog()
    rng = np.random.default_rng(seed)
    per_table = len(cat.indicators)
    tables = -(-rows // per_table)
    units = [f"u{i:04d}" for i in range(-(-tables // 10))]
    keys = [(u, 2014 + y) for u in units for y in range(10)][:tables]
    lo = np.array([(i.valid or (0, 100))[0] for i in cat.indicators], float)
    hi = np.array([(i.valid or (0, 100))[1] for i in cat.indicators], float)
    vals = rng.uniform(lo + 0.2 * (hi - lo), lo + 0.3 * (hi - lo), size=(len(keys), per_table))
    bad = rng.random(vals.shape) < 0.01
    vals[bad] = -vals[bad]
    vals[rng.random(vals.shape) < 0.005] = np.nan
    df = pd.DataFrame({
        "unit": np.repeat([k[0] for k in keys], per_table),
        "year": np.repeat([k[1] for k in keys], per_table),
        "code": np.tile([i.code for i in cat.indicators], len(keys)),
        "measure": np.tile([i.measure for i in cat.indicators], len(keys)),
        "value": vals.ravel()})
    df["unit_name"] = df["unit"]
    df["location"] = "Sheet1!C" + (df.index % per_table + 3).astype(str)
    df = df.iloc[:rows - 50]
    return pd.concat([df, df.sample(50, random_state=seed)], ignore_index=True)


def pandas_range_checks(df: pd.DataFrame, units: list[str]) -> dict[str, int]:
    """The same checks as the GX suites, written directly in pandas."""
    cat = load_two_plans_catalog()
    bounds = pd.DataFrame([(i.code, *gx_suites.hard_range(i), *(i.valid or (np.nan, np.nan)))
                           for i in cat.indicators],
                          columns=["code", "lo", "hi", "vlo", "vhi"])
    dup = df.duplicated(KEY, keep=False)
    d = df[~df.duplicated(KEY)].merge(bounds, on="code", how="left")
    v = d["value"]
    counts = {"duplicate": int(dup.sum()), "blank": int(df["value"].isna().sum()),
              "hard_range": int(((v < d["lo"]) | (v > d["hi"].fillna(np.inf))).sum()),
              # GX has no separate valid-range expectation where it equals the hard range
              "valid_range": int((((v < d["vlo"]) | (v > d["vhi"]))
                                  & ((d["vlo"] != d["lo"]) | (d["vhi"] != d["hi"]))).sum())}
    grid = pd.MultiIndex.from_product([sorted(set(units) | set(df["unit"])),
                                       sorted(df["year"].unique())])
    wide = d.pivot(index=["unit", "year"], columns="code", values="value").reindex(grid)
    part = 0
    for i in cat.indicators:
        if i.part_of:
            part += int((wide[i.code] > wide[i.part_of]).sum())
    counts["part_of"] = part
    return counts


def gx_range_checks(df: pd.DataFrame, units: list[str]) -> dict[str, int]:
    cat = load_two_plans_catalog()
    codes = [i.code for i in cat.indicators]
    long = table_rows.long_frame(prepare(df), cat)
    cells = long.drop_duplicates(KEY).reset_index(drop=True)
    grid = build_grid(cells, units, sorted(set(long["year"])), codes, {})
    counts: dict[str, int] = {}
    for v in gx_suites.validate(cat, long, grid.values):
        counts[v.check] = counts.get(v.check, 0) + len(v.positions)
    return counts


def best(fn, *args, runs: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn(*args)
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    df = make_frame()
    units = sorted(set(df["unit"]))
    t0 = time.perf_counter()
    import great_expectations  # noqa: F401  (the import is paid once, outside the timings)
    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    gx_suites.runner_for(load_two_plans_catalog())
    t_ctx = time.perf_counter() - t0
    t_pd, pd_counts = best(pandas_range_checks, df, units)
    t_gx, gx_counts = best(gx_range_checks, df, units)
    t_all, found = best(check_two_plans, df, pd.DataFrame(), units, None, runs=1)
    same = {k: pd_counts.get(k, 0) for k in gx_counts} == gx_counts
    print(f"rows: {len(df):,}  indicators: {df['code'].nunique()}  (unit, year) tables: "
          f"{len(df.groupby(['unit', 'year']))}")
    print(f"GX import: {t_import:.2f} s   GX context + suites (once per process): {t_ctx:.2f} s")
    print(f"pandas range checks:          {t_pd:.3f} s  {pd_counts}")
    print(f"GX suites (same checks):      {t_gx:.3f} s  {gx_counts}  same counts: {same}")
    print(f"ratio GX / pandas:            {t_gx / t_pd:.1f}x")
    print(f"full check_two_plans:         {t_all:.3f} s  ({len(found):,} findings)  "
          f"ratio to pandas floor: {t_all / t_pd:.1f}x")


if __name__ == "__main__":
    main()
