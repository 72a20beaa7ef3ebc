"""Two-plans quality on tables laid out as published monitoring tables (tests/realtables/).

Each table goes through the real extraction and every check. Defects were planted by hand
in copies (tests/realtables/planted.yaml); the clean tables must raise no error.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_realtables", ROOT / "bench" / "realtables.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module.run()


def test_at_least_ten_tables_and_every_class_planted(bench):
    assert bench["tables"] >= 10
    assert set(bench["planted"]) >= {"missing_value", "not_reported", "percent_out_of_range",
                                     "wrong_unit_scale", "negative_value", "part_exceeds_whole",
                                     "duplicate_indicator_row", "rate_inconsistent"}


def test_recall_on_planted_defects(bench):
    total, hit = sum(bench["planted"].values()), sum(bench["hit"].values())
    assert hit / total >= 0.95, bench["missed"]


def test_no_error_on_the_clean_tables(bench):
    assert [f for f in bench["clean"] if f.severity == "error"] == []
    # what remains are placeholders (—, 暂无) in rows no form asks for: said, not alarmed
    assert {(f.kind, f.severity) for f in bench["clean"]} <= {("missing_value", "warning")}
