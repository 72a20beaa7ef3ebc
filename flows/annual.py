"""The yearly packets as a Prefect flow: every unit's and the district's, for last year.

Scheduled for 20 January 02:00 (Asia/Shanghai), after the year's reports are due; a unit
whose packet fails is logged and listed, the others are built.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger

from flows.packets import Options, build_packets
from flows.runtime import close_runtime, open_runtime


@flow(name="annual_packets")
def annual_packets(year: int | None = None, out: str | None = None) -> dict:
    rt = open_runtime()
    try:
        year = year or datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).year - 1
        folder = Path(out) if out else rt.settings.reports_dir / "packets"
        log = get_run_logger()

        def progress(_stage: str, done: int, total: int) -> None:
            log.info("packets %s: %d/%d units", year, done, total)

        built = build_packets(rt.archive, year, Options(folder), progress=progress)
        failed = [{"scope": b.scope, "name": b.name, "error": b.error} for b in built if b.error]
        for f in failed:
            log.error("packet %s (%s) failed: %s", f["scope"], f["name"], f["error"])
        return {"year": year, "out": str(folder), "built": len(built) - len(failed), "failed": failed,
                "zips": {b.scope: b.sha256 for b in built if not b.error}}
    finally:
        close_runtime(rt)
