"""The held-out two-plans tables (tests/realtables_holdout/) stay well-formed and held out.

No floor on the checker's figures here: a floor on a held-out set invites tuning the checks to
it (tests/realtables_holdout/README.md). The figures are measured with
`bench/realtables.py --corpus tests/realtables_holdout` and recorded in docs/performance.md.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import yaml

HOLDOUT = Path(__file__).parent / "realtables_holdout"
TUNED = Path(__file__).parent / "realtables"


def _plan() -> dict:
    return yaml.safe_load((HOLDOUT / "planted.yaml").read_text(encoding="utf-8"))


def _labels(path: Path) -> list[str]:
    # a row's label is its first cell with a letter in it (a leading 代码/序号 column is a number)
    with path.open(encoding="utf-8", newline="") as fh:
        return [next((c.strip() for c in row if re.search(r"[^\d\s.]", c)), "")
                for row in csv.reader(fh)]


def test_ten_to_twelve_tables_about_half_planted_every_class_covered() -> None:
    clean = sorted(p.name for p in (HOLDOUT / "clean").glob("*.csv"))
    plan = _plan()
    planted = [t["file"] for t in plan["tables"]]
    assert 10 <= len(clean) <= 12
    assert set(planted) <= set(clean) and 4 <= len(planted) <= len(clean) - 4
    assert {p.name for p in (HOLDOUT / "planted").glob("*.csv")} == set(planted)
    kinds = {d["kind"] for t in plan["tables"] for d in t["defects"]}
    assert kinds >= {"missing_value", "percent_out_of_range", "wrong_unit_scale", "negative_value",
                     "part_exceeds_whole", "duplicate_indicator_row", "rate_inconsistent"}
    assert all(name.endswith(f"_{plan['year']}.csv") for name in clean)


def test_every_expected_finding_names_a_row_of_its_table() -> None:
    for table in _plan()["tables"]:
        planted = _labels(HOLDOUT / "planted" / table["file"])
        clean = _labels(HOLDOUT / "clean" / table["file"])
        assert (HOLDOUT / "planted" / table["file"]).read_bytes() != \
            (HOLDOUT / "clean" / table["file"]).read_bytes(), table["file"]
        for d in table["defects"]:
            if d["kind"] == "not_reported":  # deleted from the copy, present in the clean table
                assert d["label"] in clean and d["label"] not in planted, d
            elif d["kind"] == "duplicate_indicator_row":
                assert planted.count(d["label"]) == 2 and clean.count(d["label"]) == 1, d
            else:
                assert planted[d["line"] - 1] == d["label"], d


def test_every_table_cites_its_layout_and_none_is_a_tuned_table() -> None:
    readme = (HOLDOUT / "README.md").read_text(encoding="utf-8")
    tuned = {p.read_bytes() for p in TUNED.glob("*/*.csv")}
    for path in (HOLDOUT / "clean").glob("*.csv"):
        unit = path.stem.split("_")[0]
        row = next(line for line in readme.splitlines()
                   if line.startswith("|") and re.search(rf"\b{unit}\b", line.split("|")[1]))
        assert "http" in row, unit
        assert path.read_bytes() not in tuned, unit
