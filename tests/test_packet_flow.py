# ruff: noqa: F811  (module fixtures imported from tests.packet_year are parameters here)
"""The yearly packets flow on a real Prefect server: every unit built, a failing one reported."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from archive.store import Archive
from tests.packet_year import year_archive, year_env  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.xdist_group("prefect"), pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[1]


def test_annual_packets_deployment_runs_on_20_january() -> None:
    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    annual = next(d for d in spec["deployments"] if d["name"] == "annual-packets")
    assert annual["entrypoint"] == "flows/annual.py:annual_packets"
    assert annual["schedules"] == [{"cron": "0 2 20 1 *", "timezone": "Asia/Shanghai"}]


def test_flow_builds_every_unit_and_reports_the_one_that_fails(prefect_api: str, year_archive: Archive,
                                                                tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.annual import annual_packets

    out = tmp_path / "packets"
    out.mkdir()
    (out / "2013-wendong").write_text("not a bag")  # wendong's packet cannot be written here
    with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
        result = annual_packets(year=2013, out=str(out))
    assert [f["scope"] for f in result["failed"]] == ["wendong"]
    assert "not a bag" in result["failed"][0]["error"]
    assert result["built"] == len(result["zips"]) and "district" in result["zips"]
    assert (out / "2013-jiefanglu.zip").exists() and (out / "2013-district.zip").exists()
