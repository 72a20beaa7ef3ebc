"""The two-plans quality check as a flow of its own (also part of the nightly run)."""

from __future__ import annotations

from prefect import flow, get_run_logger

from archive.analysis import years_with_data
from flows.analysis import quality_for_year
from flows.runtime import close_runtime, open_runtime


@flow(name="two_plans_quality")
def two_plans_quality(year: int | None = None, force: bool = False) -> dict:
    rt = open_runtime()
    try:
        years = [year] if year else years_with_data(rt.archive)
        out = {}
        for y in years:
            q = quality_for_year(rt.archive, y, force=force)
            out[y] = {"findings": len(q.findings), "fresh": q.fresh, "html": q.html, "xlsx": q.xlsx}
            get_run_logger().info("quality %s: %d findings (%s)", y, len(q.findings), q.html)
    finally:
        close_runtime(rt)
    return out
