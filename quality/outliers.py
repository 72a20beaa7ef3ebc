"""Robust outliers among work-area indicator values.

A value is compared with other units of the same level (same indicator and
period) and with the unit's own earlier periods of the same kind (2021-H1,
2022-H1 …), by a median-based z-score: z = (x − median) / (1.4826·MAD).
Counts are small and skewed, so they are compared on a log(1+x) scale; when
MAD is 0 (many equal counts) the mean absolute deviation stands in, and a
scale floor keeps tiny differences from looking extreme. Too few peers or
earlier periods: no judgement.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from quality.findings import fmt
from quality.rules import prepare_values
from schemas.findings import Finding
from schemas.indicators import IndicatorCatalog, load_indicator_catalog
from schemas.validation_rules import OutlierSettings, ValidationRules, load_validation_rules


def robust_z(x: np.ndarray, sample: np.ndarray, floor: float) -> np.ndarray:
    """z of each x against the sample's median and MAD (mean deviation when MAD is 0)."""
    med = float(np.median(sample))
    scale = 1.4826 * float(np.median(np.abs(sample - med)))
    if scale == 0:
        scale = 1.2533 * float(np.mean(np.abs(sample - med)))
    return (x - med) / max(scale, floor)


def _transform(values: np.ndarray, log: bool) -> np.ndarray:
    return np.sign(values) * np.log1p(np.abs(values)) if log else values


def outlier_findings(values: pd.DataFrame, rules: ValidationRules | None = None,
                     catalog: IndicatorCatalog | None = None, year: int | None = None) -> list[Finding]:
    """One finding per value that stands out from its peers, its own history, or both."""
    settings = (rules or load_validation_rules()).outliers
    cat = catalog or load_indicator_catalog()
    measures = {i.code: i.measure for i in cat.indicators}
    df = prepare_values(values)
    df = df[df["code"].isin(measures)].reset_index(drop=True)
    if df.empty:
        return []
    df["log"] = df["code"].map(lambda c: measures[c] in settings.log_measures)
    reasons: dict[int, list[str]] = {}
    for idx, text in _peer_reasons(df, settings) + _history_reasons(df, settings):
        reasons.setdefault(idx, []).append(text)
    out = []
    for idx in sorted(reasons):
        row = df.loc[idx]
        if year is not None and int(row["year"]) != year:
            continue
        out.append(Finding(
            unit=row["unit"], unit_name=row["unit_name"], year=int(row["year"]),
            period=row["period"], indicator=row["code"], name=cat.get(row["code"]).name,
            kind="outlier", severity=settings.severity, observed=fmt(row["value"]),
            expected=f"稳健z绝对值≤{fmt(settings.threshold)}",
            message=f"{cat.get(row['code']).name}为{fmt(row['value'])}，" + "；".join(reasons[idx]),
            source_path=row["source_path"], sha256=row["sha256"], location=row["location"]))
    return out


def _floor(settings: OutlierSettings, log: bool) -> float:
    return settings.scale_floor["log" if log else "linear"]


def _peer_reasons(df: pd.DataFrame, settings: OutlierSettings) -> list[tuple[int, str]]:
    out = []
    for _, group in df.groupby(["level", "code", "period"], sort=True):
        if len(group) - 1 < settings.min_peers:
            continue
        log = bool(group["log"].iat[0])
        x = _transform(group["value"].to_numpy(float), log)
        z = robust_z(x, x, _floor(settings, log))
        med = float(np.median(group["value"]))
        for idx, zi in zip(group.index, z, strict=True):
            if abs(zi) > settings.threshold:
                out.append((int(idx), f"明显偏离同级{len(group)}个单位的中位数{fmt(med)}"
                                      f"（稳健z={zi:.1f}）"))
    return out


def _history_reasons(df: pd.DataFrame, settings: OutlierSettings) -> list[tuple[int, str]]:
    out = []
    kind = df["period"].str.replace(r"^\d{4}", "", regex=True)
    for _, group in df.assign(_kind=kind).groupby(["unit", "code", "_kind"], sort=True):
        group = group.sort_values(["year", "period"])
        log = bool(group["log"].iat[0])
        x = _transform(group["value"].to_numpy(float), log)
        for i in range(settings.min_history, len(group)):
            zi = float(robust_z(x[i:i + 1], x[:i], _floor(settings, log))[0])
            if abs(zi) > settings.threshold:
                med = float(np.median(group["value"].iloc[:i]))
                out.append((int(group.index[i]), f"明显偏离本单位前{i}期的中位数{fmt(med)}"
                                                 f"（稳健z={zi:.1f}）"))
    return out
