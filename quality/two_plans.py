"""All checks on two-plans (两规) statistics: GX suites + pandas checks → findings.

Kinds and severities, decided once:
- negative_value (error): no two-plans value is below 0; counts (人, 个, 件, 户) of rows
  no catalog name matched are checked too.
- percent_out_of_range (error): above the ceiling of the definition (the catalog's `max`:
  100 for shares, none for gross enrolment rates; ‰ ≤ 1000, 1/10万 ≤ 100000, age ≤ 150).
- percent_out_of_range (warning): within the definition but outside the indicator's
  plausible `valid` range; the value can be true, a person should look.
- sex_ratio_implausible (warning): the same plausible-range check for 女=100 measures.
- missing_value: a row that is present with a blank or placeholder cell (—, /, 暂无 …);
  error when the unit's monitoring form asks for the row, warning otherwise.
- not_reported (warning): a row the unit's monitoring form asks for is absent (未报), or
  the whole table is; a row no form asks for is nothing.
- duplicate_indicator_row: error when the repeated values differ, warning when equal.
- part_exceeds_whole, rate_inconsistent (error); implausible_change (warning);
  wrong_unit_scale (error when proven, warning when inferred from earlier years).
One finding per value: see quality.findings.VALUE_PRIORITY.
"""

from __future__ import annotations

import pandas as pd

from quality import checks, gx_suites, table_rows
from quality.findings import Candidate, fmt, keep_one_per_value, measure_text
from quality.form_completeness import FormLookup, not_reported, unit_levels
from quality.frames import KEY, Grid, aligned_history_median, aligned_previous, build_grid, prepare
from schemas.findings import Finding
from schemas.monitoring_forms import MonitoringForms, load_monitoring_forms
from schemas.two_plans import TwoPlansCatalog, TwoPlansIndicator, load_two_plans_catalog
from schemas.units import load_registry


def check_two_plans(two_plans: pd.DataFrame, history: pd.DataFrame | None, units: list[str],
                    year: int | None = None,
                    catalog: TwoPlansCatalog | None = None,
                    forms: MonitoringForms | None = None) -> list[Finding]:
    """Findings for the values of `year` (every year in `two_plans` when None)."""
    cat = catalog or load_two_plans_catalog()
    codes = [i.code for i in cat.indicators]
    current, past = prepare(two_plans), prepare(history)
    checked = current if year is None else current[current["year"] == year]
    long = table_rows.long_frame(checked.reset_index(drop=True), cat)
    matched = long[long["matched"]].reset_index(drop=True)
    years = sorted(set(long["year"])) or ([year] if year is not None else [])
    if not years:
        return []
    # of repeated rows the first WITH a value is checked: an empty repeat is no missing value
    cells = (matched.assign(_empty=matched["value"].isna())
             .sort_values("_empty", kind="stable").drop_duplicates(KEY, keep="first")
             .drop(columns=["_empty", "ident", "matched", "count_value"]).reset_index(drop=True))
    names = _unit_names(current, past, units=units)
    grid = build_grid(cells, units, years, codes, names)
    lookup = FormLookup(forms or load_monitoring_forms(), unit_levels(sorted({u for u, _ in grid.keys}),
                                                                     _given_levels(current)))
    violations = gx_suites.validate(cat, long, grid.values)
    found = _row_findings(cat, long, violations, lookup, names)
    cands = _from_violations(cat, grid, [v for v in violations if v.frame == "wide"])
    cands += not_reported(cat, grid, lookup)
    ref = pd.concat([past, current], ignore_index=True)
    # earlier years as last reported: the current frame wins over history, blanks never do
    ref = ref[ref["code"].isin(codes) & ref["value"].notna()].drop_duplicates(KEY, keep="last")
    cands += checks.rate_checks(cat, grid)
    cands += checks.scale_checks(cat, grid, aligned_history_median(ref, grid.keys, codes))
    cands += checks.change_checks(cat, grid, aligned_previous(ref, grid.keys, codes))
    return found + [_finding(cat, grid, c) for c in keep_one_per_value(_drop_consequences(cat, cands))]


def _given_levels(df: pd.DataFrame) -> dict[str, str]:
    if "level" not in df:
        return {}
    return {u: lv for u, lv in zip(df["unit"], df["level"], strict=True) if lv}


def _row_findings(catalog: TwoPlansCatalog, long: pd.DataFrame,
                  violations: list[gx_suites.Violation], lookup: FormLookup,
                  names: dict[str, str]) -> list[Finding]:
    """Findings of the long suite: checks every row gets, matched or not."""
    def at(check: str) -> list[int]:
        return sorted({p for v in violations if v.check == check for p in v.positions})

    return (table_rows.duplicate_findings(long, at("duplicate"), names)
            + table_rows.blank_findings(long, at("blank"), lookup, names)
            + table_rows.negative_count_findings(long, at("negative_count"), names)
            + table_rows.part_findings(long, catalog, names))


def _drop_consequences(cat: TwoPlansCatalog, cands: list[Candidate]) -> list[Candidate]:
    """Findings that only follow from a wrong count are dropped: the count is the problem.

    A part larger than its whole spoils the rate made of the two; a count written in
    万人 spoils every rate and part/whole comparison it enters.
    """
    spoiled: set[tuple[int, str]] = set()
    for c in cands:
        ind = cat.get(c.code)
        if ind is None or ind.is_rate:
            continue
        if c.kind == "part_exceeds_whole":
            pair = {(c.code, ind.part_of)}
            spoiled |= {(c.pos, i.code) for i in cat.indicators
                        if i.rate_of and (i.rate_of.numerator, i.rate_of.denominator) in pair}
        elif c.kind == "wrong_unit_scale":
            spoiled |= {(c.pos, i.code) for i in cat.indicators
                        if (i.rate_of and c.code in (i.rate_of.numerator, i.rate_of.denominator))
                        or i.part_of == c.code}
    return [c for c in cands if (c.pos, c.code) not in spoiled
            or c.kind not in ("rate_inconsistent", "part_exceeds_whole", "percent_out_of_range",
                              "implausible_change", "sex_ratio_implausible")]


def _unit_names(*frames: pd.DataFrame, units: list[str]) -> dict[str, str]:
    """Names as the tables give them; the unit registry's for units that sent nothing."""
    names: dict[str, str] = {}
    for df in frames:
        for unit, name in zip(df["unit"], df["unit_name"], strict=True):
            if name and unit not in names:
                names[unit] = name
    registry = load_registry()
    for code in units:
        unit = registry.get(code)
        if code not in names and unit is not None:
            names[code] = unit.name
    return names


def _from_violations(cat: TwoPlansCatalog, grid: Grid,
                     violations: list[gx_suites.Violation]) -> list[Candidate]:
    out: list[Candidate] = []
    for v in violations:
        ind = cat.get(v.code)
        if ind is None:
            continue
        for pos in v.positions:
            cand = _candidate(cat, grid, v.check, ind, pos)
            if cand is not None:
                out.append(cand)
    return out


def _candidate(cat: TwoPlansCatalog, grid: Grid, check: str, ind: TwoPlansIndicator,
               pos: int) -> Candidate | None:
    value = grid.value(pos, ind.code)
    m, obs = measure_text(ind.measure), fmt(value)
    lo, hi = gx_suites.hard_range(ind)
    rule = gx_suites.SPEC_TYPES[check]
    if check == "hard_range" and value < lo:
        return Candidate(pos, ind.code, "negative_value", "error", obs, f"≥{fmt(lo)}",
                         f"{ind.name}为负值（{obs}）", rule=rule)
    if check == "hard_range":
        return Candidate(pos, ind.code, "percent_out_of_range", "error", obs,
                         f"{fmt(lo)}–{fmt(hi)}{m}",
                         f"{ind.name}为{obs}{m}，超出允许范围{fmt(lo)}–{fmt(hi)}{m}", rule=rule)
    if check == "valid_range":
        vlo, vhi = ind.valid or (lo, hi)
        kind = "sex_ratio_implausible" if ind.measure == "女=100" else "percent_out_of_range"
        return Candidate(pos, ind.code, kind, "warning", obs, f"{fmt(vlo)}–{fmt(vhi)}{m}",
                         f"{ind.name}为{obs}{m}，超出合理范围{fmt(vlo)}–{fmt(vhi)}{m}，请核实", rule=rule)
    if check == "part_of":
        whole = cat.get(ind.part_of or "")
        wv = grid.value(pos, ind.part_of)
        wname = whole.name if whole else ind.part_of
        return Candidate(pos, ind.code, "part_exceeds_whole", "error", obs, f"≤{fmt(wv)}",
                         f"{ind.name}（{obs}）大于其总体“{wname}”（{fmt(wv)}）", rule=rule)
    raise ValueError(f"unknown check {check}")


def _finding(cat: TwoPlansCatalog, grid: Grid, c: Candidate) -> Finding:
    unit, year = grid.keys[c.pos]
    row = grid.row(c.pos, c.code) if c.code else -1
    ind = cat.get(c.code)
    if row >= 0:
        src, sha, loc = grid.evidence(row)
    else:
        (src, sha), loc = grid.table_of(c.pos), ""
    return Finding(unit=unit, unit_name=grid.unit_names.get(unit, ""), year=year,
                   indicator=c.code, name=ind.name if ind else "", kind=c.kind,
                   severity=c.severity, observed=c.observed, expected=c.expected,
                   message=c.message, source_path=src, sha256=sha, location=loc, rule=c.rule,
                   reference=c.reference)
