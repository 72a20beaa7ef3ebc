"""prefect.yaml deploys against a real Prefect server, and a process worker runs a deployment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.xdist_group("prefect")


def _prefect(*args: str, env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "prefect", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=timeout)
    assert proc.returncode == 0, f"prefect {' '.join(args)}\n{proc.stdout}\n{proc.stderr}"
    return proc


def test_deploy_all_and_run_fixity_audit_on_a_worker(prefect_api: str, tmp_path: Path) -> None:
    env = {**os.environ, "PREFECT_API_URL": prefect_api, "FULIAN_PROJECT_DIR": str(ROOT),
           "FULIAN_HOME": str(tmp_path / "home")}
    env.pop("FULIAN_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "prefect", "work-pool", "create", "fulian", "--type",
                    "process"], env=env, cwd=ROOT, capture_output=True, timeout=120)
    _prefect("--no-prompt", "deploy", "--all", env=env)
    listing = _prefect("deployment", "ls", env=env).stdout
    assert "nightly/nightly" in listing and "fixity-audit/fixity-audit" in listing
    assert _queue_and_limit(prefect_api, "nightly/nightly") == ("ingest", 2, "ENQUEUE")
    assert _queue_and_limit(prefect_api, "fixity-audit/fixity-audit") == ("audit", 1, "ENQUEUE")
    _prefect("deployment", "run", "fixity-audit/fixity-audit", env=env)
    _prefect("worker", "start", "--pool", "fulian", "--run-once", env=env)
    assert _run_states(prefect_api, "fixity-audit") == ["COMPLETED"]


def _queue_and_limit(api: str, name: str) -> tuple:
    """What the server holds for a deployment: its work queue, run limit and collision strategy."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api}), get_client(sync_client=True) as client:
        d = client.read_deployment_by_name(name)
    limit = d.global_concurrency_limit.limit if d.global_concurrency_limit else None
    strategy = d.concurrency_options.collision_strategy if d.concurrency_options else None
    return d.work_queue_name, limit, getattr(strategy, "value", strategy)


def _run_states(api: str, flow_name: str) -> list[str]:
    """States of the flow's runs that have started (the schedule adds future ones)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api}), get_client(sync_client=True) as client:
        runs = client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=[flow_name])))
    return [r.state_type.value for r in runs if r.state_type.value != "SCHEDULED"]


def test_nightly_schedule_is_2am_shanghai() -> None:
    import yaml

    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    nightly = next(d for d in spec["deployments"] if d["name"] == "nightly")
    assert nightly["schedules"] == [{"cron": "0 2 * * *", "timezone": "Asia/Shanghai"}]
    assert nightly["entrypoint"] == "flows/nightly.py:nightly"
    assert nightly["work_pool"]["name"] == "fulian"
    fixity = next(d for d in spec["deployments"] if d["name"] == "fixity-audit")
    assert fixity["entrypoint"] == "flows/fixity.py:fixity_audit" and fixity["schedules"]
