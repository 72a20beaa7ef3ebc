"""Building findings: number formatting and the one-problem-per-value rule."""

from __future__ import annotations

import math
from dataclasses import dataclass

from schemas.findings import KINDS, Finding, sort_findings

# When several checks fire on the same value, only the most telling survives:
# a ‰ rate written as % is ONE problem, not also an implausible change.
VALUE_PRIORITY = (
    "negative_value", "wrong_unit_scale", "percent_out_of_range", "sex_ratio_implausible",
    "rate_inconsistent", "implausible_change",
)


def fmt(value: float | None) -> str:
    """A number for people: integers without decimals, others with up to 6 significant digits."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "缺失"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6g}"


def measure_text(measure: str) -> str:
    """The measure to write after a number; bracketed where it starts with a digit or '='."""
    return f"（{measure}）" if measure in ("女=100", "1/10万") else measure


@dataclass(frozen=True)
class Candidate:
    """A finding before it is tied to its evidence: `pos` is the row of the (unit, year) grid."""

    pos: int
    code: str
    kind: str
    severity: str
    observed: str
    expected: str
    message: str
    rule: str = ""  # the GX expectation type or the named pandas check that fired
    reference: str = ""  # the values compared with, when not the cell's own


def keep_one_per_value(cands: list[Candidate]) -> list[Candidate]:
    """Drop lower-priority value findings on a (row, indicator) that already has a better one."""
    best: dict[tuple[int, str], Candidate] = {}
    rest: list[Candidate] = []
    for cand in cands:
        if cand.kind not in VALUE_PRIORITY:
            rest.append(cand)
            continue
        key = (cand.pos, cand.code)
        old = best.get(key)
        if old is None or _rank(cand) < _rank(old):
            best[key] = cand
    return rest + list(best.values())


def _rank(cand: Candidate) -> tuple[int, int]:
    return (VALUE_PRIORITY.index(cand.kind), 0 if cand.severity == "error" else 1)


__all__ = ["KINDS", "Candidate", "Finding", "fmt", "keep_one_per_value", "measure_text",
           "sort_findings"]
