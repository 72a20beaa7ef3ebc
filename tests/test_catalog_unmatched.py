"""`fulian catalog unmatched`: rows no catalog name matched are listed, grouped by how written."""

from __future__ import annotations

import json

from archive.queries_catalog import unmatched_rows
from schemas.extraction import Evidence, TwoPlansRow
from tests.conftest import run_cli
from tests.test_archive import archive, ingest, received  # noqa: F401  (fixture)


def _table(unit: str, rows: list[tuple[str, str, str, float]]):  # noqa: ANN202
    item = received(f"{unit} table".encode(), f"{unit}-两规.xlsx", unit=unit)
    for i, (code, name, measure, value) in enumerate(rows, start=3):
        ev = Evidence(sha256=item.sha256, location=f"监测表!C{i}", snippet=str(value),
                      extractor_version="test")
        item.extraction.two_plans.append(TwoPlansRow(code=code, name=name, measure=measure,
                                                     year=2013, value=value, raw=str(value),
                                                     location=f"监测表!C{i}", evidence=ev))
    return item


def test_unmatched_rows_are_grouped_by_name_and_counted_per_unit(archive) -> None:  # noqa: ANN001, F811
    local = ("", "社区儿童之家覆盖率", "%", 80.0)
    ingest(archive, [
        _table("yaojia", [("cp.vaccination_rate", "接种率", "%", 95.2), local,
                          ("", "妇女议事会个数", "个", 12.0)]),
        _table("longdong", [local]),
    ])
    rows = unmatched_rows(archive)
    assert [(r["name"], r["measure"], r["rows"], r["units"]) for r in rows] == [
        ("社区儿童之家覆盖率", "%", 2, 2), ("妇女议事会个数", "个", 1, 1)]
    assert rows[0]["example_location"] == "监测表!C3"  # where a person can look
    assert unmatched_rows(archive, year=2014) == []

    listed = json.loads(run_cli("catalog", "unmatched", "--format", "json").stdout)
    assert [r["name"] for r in listed] == ["社区儿童之家覆盖率", "妇女议事会个数"]
    assert "社区儿童之家覆盖率" in run_cli("catalog", "unmatched", "--year", "2013", env={"COLUMNS": "250"}).stdout
