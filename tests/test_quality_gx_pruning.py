"""GX runs only the expectations of columns that have a value: the same violations, less time.

With the outlines' full catalog (~125 indicators) a street's table fills ~20 columns of the
wide grid; an expectation on an empty column cannot fail but costs ≈5 ms. The pruned suite
must find exactly what the whole suite finds.
"""

from __future__ import annotations

import math

import pandas as pd

from quality.gx_suites import MAX_SUITES, SuiteRunner, suite_specs
from schemas.two_plans import load_two_plans_catalog


def _wide() -> pd.DataFrame:
    """Four unit-years, every catalog column; a few filled, with a share above 100, a rate
    outside its plausible range and a part above its whole."""
    codes = [i.code for i in load_two_plans_catalog().indicators]
    frame = pd.DataFrame({c: [math.nan] * 4 for c in codes}, dtype=float)
    frame["wp.hospital_delivery_rate"] = [99.9, 101.2, 99.5, math.nan]
    frame["cp.infant_mortality"] = [3.1, 2.2, 75.0, 4.0]
    frame["wp.urban_employees"] = [1000.0, 1200.0, math.nan, 900.0]
    frame["wp.urban_female_employees"] = [480.0, 1300.0, 500.0, math.nan]
    frame["wp.village_director_women_share"] = [math.nan, 12.0, 130.0, math.nan]
    return frame


def test_the_pruned_suite_finds_what_the_whole_suite_finds() -> None:
    runner = SuiteRunner(suite_specs(load_two_plans_catalog()))
    wide = _wide()
    pruned = runner.run("wide", wide)
    everything = frozenset(wide.columns)
    whole = runner._suite("wide", everything)
    assert len(whole.expectations) > 3 * len(runner._suite("wide", frozenset(
        c for c in wide.columns if wide[c].notna().any())).expectations)
    batch = runner.batches["wide"].get_batch(batch_parameters={"dataframe": wide})
    failed = {(r.expectation_config.meta["check"], r.expectation_config.meta["code"],
               tuple(int(i) for i in r.result.get("unexpected_index_list") or ()))
              for r in batch.validate(whole, result_format="COMPLETE").results if not r.success}
    assert {(v.check, v.code, v.positions) for v in pruned} == failed
    assert ("hard_range", "wp.hospital_delivery_rate", (1,)) in failed
    assert ("hard_range", "wp.village_director_women_share", (2,)) in failed
    assert ("part_of", "wp.urban_female_employees", (1,)) in failed
    assert ("valid_range", "cp.infant_mortality", (2,)) in failed


def test_suites_per_set_of_codes_stay_bounded() -> None:
    """A long-lived worker meets many sets of codes: old wide suites are dropped, results hold."""
    runner = SuiteRunner(suite_specs(load_two_plans_catalog()))
    codes = [i.code for i in load_two_plans_catalog().indicators if i.max == 100][:MAX_SUITES + 4]
    for code in codes:
        found = runner.run("wide", pd.DataFrame({code: [50.0, 150.0]}))
        assert ("hard_range", code, (1,)) in [(v.check, v.code, v.positions) for v in found]
    assert len(runner.suites) <= MAX_SUITES + 2
