"""Input frames made uniform, and the (unit, year) × indicator grid the checks work on.

The archive hands two-plans values in long form (one row per value). Most
checks compare values of the same unit and year, so they run on a wide grid:
one row per (unit, year), one column per catalog code, plus a parallel grid
of long-row numbers that ties every value back to its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from schemas.findings import Finding

TEXT_COLUMNS = ("unit", "unit_name", "code", "name", "measure", "raw", "source_path", "sha256",
                "location")
KEY = ["unit", "code", "year"]


def prepare(df: pd.DataFrame | None, text_columns: tuple[str, ...] = TEXT_COLUMNS) -> pd.DataFrame:
    """A copy with every expected column present, text as str, year as int, value as float."""
    cols = [*text_columns, "year", "value"]
    if df is None or len(df) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object if c in text_columns else float)
                             for c in cols})
    out = df.copy()
    for col in text_columns:
        out[col] = out[col].fillna("").astype(str) if col in out else ""
    out["year"] = pd.to_numeric(out.get("year"), errors="coerce")
    out["value"] = pd.to_numeric(out.get("value"), errors="coerce").astype(float)
    out = out[out["year"].notna()].copy()
    out["year"] = out["year"].astype(int)
    return out.reset_index(drop=True)


@dataclass
class Grid:
    keys: list[tuple[str, int]]  # (unit, year) of each grid row
    values: pd.DataFrame  # grid rows × codes, float, NaN where absent or missing
    rows: pd.DataFrame  # grid rows × codes, the row number in `cells`, -1 where absent
    cells: pd.DataFrame  # the long rows checked, one per (unit, code, year)
    present: set[tuple[str, int]] = field(default_factory=set)  # (unit, year) with any row
    unit_names: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        c = self.cells
        self._evidence = list(zip(c["source_path"], c["sha256"], c["location"], strict=True))
        self._tables: dict[tuple[str, int], tuple[str, str]] = {}
        for unit, year, src, sha in zip(c["unit"], c["year"], c["source_path"], c["sha256"],
                                        strict=True):
            self._tables.setdefault((unit, int(year)), (src, sha))
        self._value_arrays = {code: self.values[code].to_numpy() for code in self.values.columns}
        self._row_arrays = {code: self.rows[code].to_numpy() for code in self.rows.columns}

    def value(self, pos: int, code: str) -> float:
        return float(self._value_arrays[code][pos])

    def row(self, pos: int, code: str) -> int:
        """The row number in `cells` of a grid value, -1 when there is none."""
        return int(self._row_arrays[code][pos])

    def evidence(self, row: int) -> tuple[str, str, str]:
        """source_path, sha256 and location of a row of `cells`."""
        return self._evidence[row]

    def table_of(self, pos: int) -> tuple[str, str]:
        """source_path and sha256 of the table a (unit, year) reported in, if any."""
        return self._tables.get(self.keys[pos], ("", ""))


def build_grid(cells: pd.DataFrame, units: list[str], years: list[int], codes: list[str],
               unit_names: dict[str, str]) -> Grid:
    """The wide grid over every expected unit and year; `cells` must be free of duplicates."""
    all_units = sorted(set(units) | set(cells["unit"]))
    index = pd.MultiIndex.from_product([all_units, sorted(years)], names=["unit", "year"])
    numbered = cells.assign(_row=np.arange(len(cells)))
    values = _pivot(numbered, "value", index, codes, np.nan)
    rows = _pivot(numbered, "_row", index, codes, -1).astype(int)
    present = set(zip(cells["unit"], cells["year"], strict=True))
    return Grid(list(index), values, rows, cells, present, unit_names)


def _pivot(df: pd.DataFrame, column: str, index: pd.MultiIndex, codes: list[str],
           fill: float) -> pd.DataFrame:
    if df.empty:
        wide = pd.DataFrame(index=index, columns=codes, dtype=float)
    else:
        wide = df.pivot(index=["unit", "year"], columns="code", values=column)
        wide = wide.reindex(index=index, columns=codes)
    wide = wide.reset_index(drop=True).astype(float)
    return wide if np.isnan(fill) else wide.fillna(fill)


def aligned_previous(ref: pd.DataFrame, keys: list[tuple[str, int]],
                     codes: list[str]) -> pd.DataFrame:
    """Each grid row's values of the year before, from the reference frame (NaN when absent)."""
    index = pd.MultiIndex.from_tuples([(u, y - 1) for u, y in keys], names=["unit", "year"])
    if ref.empty:
        return pd.DataFrame(np.nan, index=range(len(keys)), columns=codes)
    wide = ref.pivot(index=["unit", "year"], columns="code", values="value")
    return wide.reindex(index=index, columns=codes).reset_index(drop=True)


def aligned_history_median(ref: pd.DataFrame, keys: list[tuple[str, int]],
                           codes: list[str]) -> pd.DataFrame:
    """Median of each unit's positive values of earlier years, per code, aligned to the grid."""
    out = pd.DataFrame(np.nan, index=range(len(keys)), columns=codes)
    key_frame = pd.DataFrame(keys, columns=["unit", "year"])
    for year in sorted(key_frame["year"].unique()):
        earlier = ref[(ref["year"] < year) & (ref["value"] > 0)]
        if earlier.empty:
            continue
        med = earlier.groupby(["unit", "code"])["value"].median().unstack()
        pos = key_frame.index[key_frame["year"] == year]
        block = med.reindex(index=key_frame.loc[pos, "unit"], columns=codes)
        out.loc[pos, :] = block.to_numpy()
    return out


def row_finding(row: pd.Series, unit_names: dict[str, str], **fields: str) -> Finding:
    """A finding about one long row (matched to the catalog or not), with its evidence."""
    evidence = {k: row[k] for k in ("source_path", "sha256", "location")}
    evidence.update({k: fields.pop(k) for k in list(fields) if k in evidence})
    return Finding(unit=row["unit"], unit_name=unit_names.get(row["unit"], row["unit_name"]),
                   year=int(row["year"]), indicator=row["code"] if row.get("matched", True) else "",
                   name=row["name"], **evidence, **fields)  # type: ignore[arg-type]
