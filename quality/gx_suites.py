"""Great Expectations suites built from the two-plans catalog (no suite written by hand).

Two suites: one on the long frame (one row per table row and year, matched to the
catalog or not) and one on the wide grid (one row per unit and year, one column per
catalog indicator). The long suite holds the checks every row gets, whatever its
name: one row per unit/indicator/year, a value in every present row, no negative count.
Every expectation carries `meta.check` and `meta.code`, because GX returns
results in no particular order: results are matched by that, never by position.
GX is imported lazily: importing it costs seconds.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from dataclasses import dataclass
from typing import Any

import pandas as pd

from schemas.two_plans import MEASURE_RANGES, TwoPlansCatalog, TwoPlansIndicator

# `ident`: the catalog code, or the normalised name as written for a row no name matched
KEY_COLUMNS = ["unit", "ident", "year"]
LONG_COLUMNS = [*KEY_COLUMNS, "value", "count_value"]


@dataclass(frozen=True)
class Spec:
    check: str  # duplicate | blank | negative_count | hard_range | valid_range | part_of
    code: str  # the indicator the expectation is about; "" for the table
    frame: str  # long | wide
    expectation: str  # GX expectation class name
    kwargs: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Violation:
    check: str
    code: str
    positions: tuple[int, ...]  # row positions in the frame the spec ran on
    frame: str = "wide"


# the GX expectation behind each check, named in every finding it raises
SPEC_TYPES = {"duplicate": "ExpectCompoundColumnsToBeUnique", "blank": "ExpectColumnValuesToNotBeNull",
              "negative_count": "ExpectColumnValuesToBeBetween",
              "hard_range": "ExpectColumnValuesToBeBetween",
              "valid_range": "ExpectColumnValuesToBeBetween",
              "part_of": "ExpectColumnPairValuesAToBeGreaterThanB"}


def hard_range(ind: TwoPlansIndicator) -> tuple[float, float | None]:
    """What the definition allows: the indicator's `max` (100 for a share), else the measure's."""
    lo, hi = MEASURE_RANGES.get(ind.measure, (0, None))
    return lo, ind.max if ind.max is not None else hi


def suite_specs(catalog: TwoPlansCatalog) -> list[Spec]:
    """Every expectation the catalog implies, in catalog order."""
    specs = [Spec("duplicate", "", "long", "ExpectCompoundColumnsToBeUnique",
                  (("column_list", tuple(KEY_COLUMNS)),)),
             Spec("blank", "", "long", "ExpectColumnValuesToNotBeNull", (("column", "value"),)),
             # `count_value`: the value of a count row (人, 个, 件, 户) no catalog entry covers
             Spec("negative_count", "", "long", "ExpectColumnValuesToBeBetween",
                  (("column", "count_value"), ("min_value", 0)))]
    for ind in catalog.indicators:
        specs.extend(_indicator_specs(ind))
    return specs


def describe_suite(catalog: TwoPlansCatalog) -> list[dict[str, Any]]:
    """The expectations as plain data (JSON-ready), to archive beside a run's findings."""
    return [{"check": s.check, "code": s.code, "frame": s.frame, "expectation": s.expectation,
             "kwargs": {k: list(v) if isinstance(v, tuple) else v for k, v in s.kwargs}}
            for s in suite_specs(catalog)]


def _indicator_specs(ind: TwoPlansIndicator) -> list[Spec]:
    col = (("column", ind.code),)
    between = "ExpectColumnValuesToBeBetween"
    lo, hi = hard_range(ind)
    # one expectation for both ends: below the measure's floor is a negative value, above
    # its ceiling out of range; the value itself tells which (halves GX's per-expectation cost)
    out = [Spec("hard_range", ind.code, "wide", between,
                (*col, ("min_value", lo), ("max_value", hi)))]
    if ind.valid is not None and tuple(ind.valid) != (lo, hi):
        out.append(Spec("valid_range", ind.code, "wide", between,
                        (*col, ("min_value", ind.valid[0]), ("max_value", ind.valid[1]))))
    if ind.part_of:
        out.append(Spec("part_of", ind.code, "wide", "ExpectColumnPairValuesAToBeGreaterThanB",
                        (("column_A", ind.part_of), ("column_B", ind.code), ("or_equal", True),
                         ("ignore_row_if", "either_value_is_missing"))))
    return out


class SuiteRunner:
    """An ephemeral GX context holding the two suites of one catalog, reused across runs.

    Validation goes through the public `Batch.validate(suite)`, not
    `ValidationDefinition.run`: the latter stores every COMPLETE result in the
    context's in-memory store (memory grows run after run in a long-lived worker)
    and serialising them cost a third of the run time on 100,000 rows.
    """

    def __init__(self, specs: list[Spec]):
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.gx = gx
        self.specs = specs
        self._serial = itertools.count()
        self.ctx = gx.get_context(mode="ephemeral")
        self.ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
        source = self.ctx.data_sources.add_pandas("two_plans")
        self.batches, self.suites = {}, {}
        for frame in ("long", "wide"):
            self.batches[frame] = (source.add_dataframe_asset(frame)
                                   .add_batch_definition_whole_dataframe(frame))
        self._suite("long", frozenset())

    def _suite(self, frame: str, present: frozenset[str]):  # noqa: ANN202  (a GX ExpectationSuite)
        """The frame's suite, on the wide frame only for the codes that have a value.

        An expectation on a column with no value passes whatever it says (GX skips nulls, and
        a pair with a null side is ignored), yet costs ≈5 ms to run: with the outlines' ~125
        indicators and a street's ~20 rows, most columns are empty. One suite per set of
        codes present, built once (a district's set changes little from run to run).
        """
        key = (frame, present)
        if key not in self.suites:
            if len(self.suites) > MAX_SUITES:  # a long-lived worker meets many sets: start over
                for old in [k for k in self.suites if k[0] == "wide"]:
                    self.ctx.suites.delete(self.suites.pop(old).name)
            gx = self.gx
            expectations = []
            for spec in (s for s in self.specs if s.frame == frame):
                if frame == "wide" and not _uses_only(spec, present):
                    continue
                cls = getattr(gx.expectations, spec.expectation)
                kwargs = {k: list(v) if isinstance(v, tuple) else v for k, v in spec.kwargs}
                expectations.append(cls(**kwargs, meta={"check": spec.check, "code": spec.code}))
            name = f"two_plans_{frame}_{next(self._serial)}"
            # built whole: adding one by one re-serialises the suite each time (1.6 s vs 0.04 s)
            self.suites[key] = self.ctx.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
        return self.suites[key]

    def run(self, frame: str, df: pd.DataFrame) -> list[Violation]:
        present = frozenset(c for c in df.columns if df[c].notna().any()) if frame == "wide" else frozenset()
        batch = self.batches[frame].get_batch(batch_parameters={"dataframe": df})
        result = batch.validate(self._suite(frame, present), result_format="COMPLETE")
        out = []
        for res in result.results:
            meta = res.expectation_config.meta or {}
            if res.exception_info and res.exception_info.get("raised_exception"):
                raise RuntimeError(f"expectation {meta} failed to run: "
                                   f"{res.exception_info.get('exception_message')}")
            if not res.success:
                positions = tuple(int(i) for i in res.result.get("unexpected_index_list") or ())
                out.append(Violation(meta["check"], meta["code"], positions, frame))
        return sorted(out, key=lambda v: (v.check, v.code))


def _uses_only(spec: Spec, present: frozenset[str]) -> bool:
    """Whether every column the spec reads has a value somewhere in the frame."""
    columns = [v for k, v in spec.kwargs if k in ("column", "column_A", "column_B")]
    return all(c in present for c in columns)


MAX_SUITES = 32  # wide suites kept per runner (one per set of codes present)
_RUNNERS: dict[str, SuiteRunner] = {}
_LOCK = threading.Lock()  # one GX context is not meant for concurrent use (threaded task runners)


def runner_for(catalog: TwoPlansCatalog) -> SuiteRunner:
    """One runner per distinct catalog content, built on first use."""
    key = hashlib.sha256(catalog.model_dump_json().encode()).hexdigest()
    if key not in _RUNNERS:
        _RUNNERS[key] = SuiteRunner(suite_specs(catalog))
    return _RUNNERS[key]


def validate(catalog: TwoPlansCatalog, long: pd.DataFrame, wide: pd.DataFrame) -> list[Violation]:
    """Run both suites; `long` needs LONG_COLUMNS; `wide` one column per catalog code."""
    with _LOCK:
        runner = runner_for(catalog)
        out = runner.run("long", long[LONG_COLUMNS].reset_index(drop=True)) if len(long) else []
        return out + (runner.run("wide", wide.reset_index(drop=True)) if len(wide) else [])
