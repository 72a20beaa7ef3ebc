"""The two-plans checks Great Expectations cannot express, in pandas on the (unit, year) grid.

- rate_inconsistent: a stated rate against numerator/denominator (catalog `rate_of`), ±0.5.
- implausible_change: change against the year before beyond the catalog's `change_bound`.
  Small counts jump by chance (0→1→3 deaths), so a change must also exceed Poisson noise,
  3·√max(before, after), of the count itself or, for a rate, of its numerator when known.
- wrong_unit_scale: a value off by the power of ten that one measure mistaken for another
  gives (a ‰ rate written as %, 1/10万 as a fraction, a head count in 万人). Shown by the numerator/denominator
  or by the indicator's plausible range (error), or suggested by the unit's own earlier
  years, or — with no earlier years — by the district's other units that year (median and
  MAD); warnings: small-count rates do move a lot. The finding's rule names the evidence.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from quality.findings import Candidate, fmt, measure_text
from quality.frames import Grid
from quality.gx_suites import hard_range
from schemas.two_plans import TwoPlansCatalog, TwoPlansIndicator

# value written = true value × 10^k when one way of writing a rate is taken for another:
# fraction (1), % (10²), ‰ (10³), 1/万 (10⁴), 1/10万 (10⁵).
SCALE_SHIFTS: dict[str, tuple[int, ...]] = {
    "%": (-2, 1), "‰": (-3, -1, 1), "1/10万": (-5, -3, -2, -1), "女=100": (-2,),
    "人": (-4,),  # a head count written in 万人, as yearbooks print it
}
RATE_TOLERANCE = 0.5  # points of the rate's own measure
EXACT_SHIFT = 0.1  # log10 distance from 10^k when counts prove the scale
LIKELY_SHIFT = 0.2  # … when only earlier years suggest it
NOISE_SIGMAS = 3.0
MIN_PEERS = 4  # fewer other units: no judgement from peers
PEER_SIGMAS = 3.0


def scale_shift(value: float, reference: float, measure: str, tol: float) -> int | None:
    """k when value ≈ reference × 10^k for a k that mistaking measures produces, else None."""
    if not (value > 0 and reference > 0):
        return None
    d = math.log10(value / reference)
    k = round(d)
    return k if k in SCALE_SHIFTS.get(measure, ()) and abs(d - k) <= tol else None


def _plausible(ind: TwoPlansIndicator) -> tuple[float, float]:
    if ind.valid is not None:
        return ind.valid
    lo, hi = hard_range(ind)
    return lo, hi if hi is not None else math.inf


def _scale_candidate(ind: TwoPlansIndicator, pos: int, value: float, k: int, severity: str,
                     why: str, rule: str, reference: str = "") -> Candidate:
    corrected = value / 10 ** k
    return Candidate(pos, ind.code, "wrong_unit_scale", severity, fmt(value),
                     f"约{fmt(round(corrected, 4))}{measure_text(ind.measure)}",
                     f"{ind.name}填报为{fmt(value)}，与{why}相差{fmt(10 ** abs(k))}倍，"
                     f"疑似计量单位填错（应以{ind.measure}计）", rule=rule, reference=reference)


def rate_checks(catalog: TwoPlansCatalog, grid: Grid) -> list[Candidate]:
    """Stated rates against their numerator and denominator."""
    out: list[Candidate] = []
    vals = grid.values
    for ind in catalog.indicators:
        if ind.rate_of is None:
            continue
        r = ind.rate_of
        den = vals[r.denominator].where(vals[r.denominator] > 0)
        computed = vals[r.numerator] / den * r.scale
        stated, computed = vals[ind.code].to_numpy(), computed.to_numpy()
        for pos in np.flatnonzero(np.abs(stated - computed) > RATE_TOLERANCE + 1e-9):
            v, c = float(stated[pos]), float(computed[pos])
            k = scale_shift(v, c, ind.measure, EXACT_SHIFT)
            if k is not None:
                out.append(_scale_candidate(ind, pos, v, k, "error", f"分子分母计算值（{fmt(round(c, 4))}）",
                                            "unit_scale_vs_own_counts", f"计算值{fmt(round(c, 4))}"))
                continue
            num, whole = catalog.get(r.numerator), catalog.get(r.denominator)
            out.append(Candidate(
                pos, ind.code, "rate_inconsistent", "error", fmt(v), f"{c:.2f}±{RATE_TOLERANCE}",
                f"{ind.name}填报为{fmt(v)}，按{num.name if num else r.numerator}"
                f"÷{whole.name if whole else r.denominator}计算应为{c:.2f}，相差超过{RATE_TOLERANCE}",
                rule="rate_vs_own_counts", reference=f"计算值{c:.2f}"))
    return out


def scale_checks(catalog: TwoPlansCatalog, grid: Grid, history_median: pd.DataFrame) -> list[Candidate]:
    """Rates whose magnitude betrays a mistaken measure (when counts do not settle it)."""
    out: list[Candidate] = []
    vals = grid.values
    for ind in catalog.indicators:
        if ind.measure not in SCALE_SHIFTS:
            continue
        lo, hi = _plausible(ind)
        proven = _has_counts(ind, vals)
        column, refs = vals[ind.code].to_numpy(), history_median[ind.code].to_numpy()
        for pos in np.flatnonzero((column > 0) & ~proven):
            v = float(column[pos])
            ref = float(refs[pos])
            if not lo <= v <= hi:
                k = next((k for k in SCALE_SHIFTS[ind.measure] if lo <= v / 10 ** k <= hi), None)
                # 102.6% is not 10.26% written tenfold when the unit's own years say ≈93%
                if k is not None and _closer_to(ref, v / 10 ** k, v):
                    out.append(_scale_candidate(ind, pos, v, k, "error",
                                                f"该指标的合理范围（{fmt(lo)}–{fmt(hi)}）",
                                                "unit_scale_vs_plausible_range"))
                continue
            if not np.isnan(ref):
                k = scale_shift(v, ref, ind.measure, LIKELY_SHIFT)
                if k is not None and lo <= v / 10 ** k <= hi:
                    out.append(_scale_candidate(ind, pos, v, k, "warning",
                                                f"本单位往年数值（中位数{fmt(ref)}）",
                                                "unit_scale_vs_history", f"往年中位数{fmt(ref)}"))
                continue
            peer = _peer_scale(ind, grid, pos, v, lo, hi)
            if peer is not None:
                out.append(peer)
    return out


def _peer_scale(ind: TwoPlansIndicator, grid: Grid, pos: int, v: float, lo: float,
                hi: float) -> Candidate | None:
    """Last evidence, when neither counts nor the unit's own years settle it: the district's
    other units that year. Robust: the value must lie far outside median ± PEER_SIGMAS·MAD
    (MAD floored at a tenth of the median) and the value shifted by a power of ten inside."""
    year = grid.keys[pos][1]
    others = [i for i, (_u, y) in enumerate(grid.keys) if y == year and i != pos]
    sample = grid.values[ind.code].to_numpy()[others]
    sample = sample[sample > 0]
    if len(sample) < MIN_PEERS:
        return None
    med = float(np.median(sample))
    spread = max(1.4826 * float(np.median(np.abs(sample - med))), 0.1 * med)
    inside = abs(v - med) <= PEER_SIGMAS * spread
    k = next((k for k in SCALE_SHIFTS[ind.measure]
              if abs(v / 10 ** k - med) <= PEER_SIGMAS * spread and lo <= v / 10 ** k <= hi), None)
    if inside or k is None:
        return None
    ref = f"同区{len(sample)}个单位中位数{fmt(round(med, 4))}，MAD {fmt(round(spread, 4))}"
    return _scale_candidate(ind, pos, v, k, "warning", ref, "unit_scale_vs_district_peers", ref)


def _closer_to(ref: float, corrected: float, value: float) -> bool:
    """True without a reference; else whether the corrected value is nearer it (log scale)."""
    if not (ref > 0 and corrected > 0 and value > 0):
        return True
    return abs(math.log10(corrected / ref)) < abs(math.log10(value / ref))


def _has_counts(ind: TwoPlansIndicator, vals: pd.DataFrame) -> np.ndarray:
    if ind.rate_of is None:
        return np.zeros(len(vals), dtype=bool)
    r = ind.rate_of
    return (vals[r.numerator].notna() & (vals[r.denominator] > 0)).to_numpy()


def change_checks(catalog: TwoPlansCatalog, grid: Grid, previous: pd.DataFrame) -> list[Candidate]:
    """Year-on-year changes beyond the catalog bound and beyond chance."""
    out: list[Candidate] = []
    vals = grid.values
    for ind in catalog.indicators:
        bound = catalog.change_bound(ind)
        v, p = vals[ind.code], previous[ind.code]
        rel = (v - p) / p.abs().where(p != 0)
        mask = (rel.abs() > bound + 1e-9) & _beyond_noise(ind, vals, previous)
        cur_np, prev_np, rel_np = v.to_numpy(), p.to_numpy(), rel.to_numpy()
        for pos in np.flatnonzero(mask.to_numpy()):
            cur, before = float(cur_np[pos]), float(prev_np[pos])
            if scale_shift(cur, before, ind.measure, LIKELY_SHIFT) is not None:
                continue  # a power-of-ten jump is a unit-scale problem, reported by scale_checks
            year = grid.keys[pos][1]
            out.append(Candidate(
                pos, ind.code, "implausible_change", "warning", fmt(cur),
                f"{fmt(before)}±{bound:.0%}",
                f"{ind.name}由{year - 1}年的{fmt(before)}变为{year}年的{fmt(cur)}，"
                f"变化{float(rel_np[pos]):+.0%}，超过允许的±{bound:.0%}",
                rule="year_on_year_change", reference=f"{year - 1}年{fmt(before)}"))
    return out


def _beyond_noise(ind: TwoPlansIndicator, vals: pd.DataFrame, previous: pd.DataFrame) -> pd.Series:
    chance = _counts_noise(ind, vals, previous)
    if ind.measure in RARE_EVENT_MEASURES:  # one death to none among a street's thousand births
        zero = (vals[ind.code] == 0) | (previous[ind.code] == 0)
        return chance & ~zero
    return chance


RARE_EVENT_MEASURES = ("‰", "1/10万")


def _counts_noise(ind: TwoPlansIndicator, vals: pd.DataFrame, previous: pd.DataFrame) -> pd.Series:
    if not ind.is_rate:
        a, b = vals[ind.code], previous[ind.code]
    elif ind.rate_of is not None:
        a, b = vals[ind.rate_of.numerator], previous[ind.rate_of.numerator]
    else:
        return pd.Series(True, index=vals.index)
    noise = NOISE_SIGMAS * np.sqrt(np.maximum(np.maximum(a, b), 1.0))
    known = a.notna() & b.notna()
    return ~known | ((a - b).abs() > noise)
