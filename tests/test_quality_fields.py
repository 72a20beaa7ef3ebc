"""`fulian quality --format json|csv` carries each finding's rule and reference (issue 12)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from archive.analysis import archive_state, store_quality_run
from archive.store import Archive
from schemas.findings import CONTRACT_FIELDS, Finding
from schemas.settings import Settings
from tests.conftest import run_cli
from tests.test_web import contract_fields

FINDING = Finding(
    unit="quanchenglu", unit_name="泉城路街道妇联", year=2013, indicator="dev.employment_rate",
    name="培训后就业率", kind="rate_inconsistent", severity="error", observed="95", expected="=85.2174",
    message="所写培训后就业率为95%，按同一句中的安置就业196÷培训妇女230×100重算为85.2%",
    source_path="总结.docx", location="第3段", rule="validation_rules.yaml:employment_rate_matches_counts",
    reference="同一句所写：安置就业196人（第3段）；培训妇女230人（第3段）")


def _stored(findings: list[dict]) -> None:
    archive = Archive(Settings())
    try:
        store_quality_run(archive, 2013, archive_state(archive), findings, None, None)
    finally:
        archive.close()


def test_json_and_csv_name_the_rule_and_the_reference(sqlite_home: Path) -> None:
    old = FINDING.model_dump(mode="json", exclude={"rule", "reference"})  # a run stored before issue 12
    _stored([FINDING.model_dump(mode="json"), {**old, "indicator": "rights.case_closure_rate"}])
    rows = json.loads(run_cli("quality", "--year", "2013", "--format", "json").stdout)
    assert list(CONTRACT_FIELDS) == contract_fields("quality")
    assert [list(r) for r in rows] == [contract_fields("quality")] * 2
    new, before = rows
    assert new["rule"] == "validation_rules.yaml:employment_rate_matches_counts"
    assert new["reference"].startswith("同一句所写：安置就业196人")
    assert before["rule"] == "" and before["reference"] == ""
    text = run_cli("quality", "--year", "2013", "--format", "csv").stdout
    table = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert table[0]["rule"] == new["rule"] and table[0]["reference"] == new["reference"]
