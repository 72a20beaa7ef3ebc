"""Benchmark: two-plans quality on tables laid out as published monitoring tables.

tests/realtables/clean/ holds clean tables of ten streets (sources and layouts in
tests/realtables/README.md); tests/realtables/planted/ holds copies with defects planted
by hand, each listed in tests/realtables/planted.yaml. Every table goes through the real
extraction (extract_document) and then every quality check, as in the nightly run.
Prints, per class of defect, detected/planted, and the findings on the clean tables
(any error there is a false alarm). Run:
    .venv/bin/python bench/realtables.py
    .venv/bin/python bench/realtables.py --corpus tests/realtables_holdout   # the held-out set
A corpus is a folder with clean/, planted/ and planted.yaml (its `year:` is the table year,
2023 when absent).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

if __name__ == "__main__":  # run as a script, this folder would hide the `quality` package
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import pandas as pd  # noqa: E402
import yaml  # noqa: E402

from extract.pipeline import extract_document  # noqa: E402
from quality.two_plans import check_two_plans  # noqa: E402
from schemas.extraction import Hints  # noqa: E402
from schemas.findings import Finding  # noqa: E402
from schemas.two_plans import load_two_plans_catalog  # noqa: E402
from schemas.units import load_registry  # noqa: E402

ROOT = Path(__file__).resolve().parents[1] / "tests" / "realtables"
YEAR = 2023


@dataclass(frozen=True)
class Planted:
    file: str
    label: str  # the row as written
    year: int
    kind: str
    line: int | None = None  # the planted row's line in its file, when the corpus gives it


def table_rows(path: Path) -> pd.DataFrame:
    """The long two-plans rows of one file, read and extracted as the nightly run does."""
    unit = path.stem.split("_")[0]
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    name = load_registry().get(unit).name
    ext = extract_document(data, Hints(name=path.name, source_path=f"{name}/{path.name}",
                                       claimed_unit=unit), sha)
    return pd.DataFrame([{
        "unit": unit, "unit_name": name, "code": r.code, "name": r.name, "measure": r.measure,
        "year": r.year, "value": r.value, "raw": r.raw, "source_path": f"{name}/{path.name}",
        "sha256": sha, "location": r.location, "label": r.evidence.snippet.rsplit("：", 1)[0]}
        for r in ext.two_plans])


def check(paths: list[Path], year: int = YEAR) -> list[Finding]:
    rows = pd.concat([table_rows(p) for p in paths], ignore_index=True)
    units = sorted(p.stem.split("_")[0] for p in paths)
    return check_two_plans(rows[rows["year"] == year], rows[rows["year"] < year], units, year)


def corpus_year(root: Path = ROOT) -> int:
    raw = yaml.safe_load((root / "planted.yaml").read_text(encoding="utf-8"))
    return int(raw.get("year", YEAR))


def planted(root: Path = ROOT) -> list[Planted]:
    raw = yaml.safe_load((root / "planted.yaml").read_text(encoding="utf-8"))
    year = int(raw.get("year", YEAR))
    return [Planted(t["file"], d["label"], d.get("year", year), d["kind"], d.get("line"))
            for t in raw["tables"] for d in t["defects"]]


def _bare(label: str) -> str:
    # a row written 孕产妇死亡率(1/10万) or 其中:女性(人) is the same row as its name without the
    # bracketed measure: the planted label is the row as written, a finding may name it either way
    return re.sub(r"[（(][^（）()]*[）)]$", "", label.strip())


def detected(p: Planted, found: list[Finding]) -> bool:
    """A finding of the planted kind, on the planted unit and year, about the planted row."""
    unit = p.file.split("_")[0]
    catalog = load_two_plans_catalog()
    ind = catalog.match_exact(p.label) or catalog.match_exact(_bare(p.label))
    for f in found:
        if (f.unit, f.year, f.kind) != (unit, p.year, p.kind):
            continue
        if f.name == p.label or _bare(f.name or "") == _bare(p.label) or (
                ind is not None and f.indicator == ind.code):
            return True
        # a row named by its context (其中：女性) has no catalog name of its own: a finding on a
        # cell of the planted line is about that row
        if p.line is not None and p.line in _lines(f.location or ""):
            return True
    return False


def _lines(location: str) -> set[int]:
    """Row numbers of the cells a finding names ("E21", "E18; E23")."""
    return {int(m) for m in re.findall(r"[A-Z]+(\d+)", location)}


def run(root: Path = ROOT) -> dict:
    year = corpus_year(root)
    clean = sorted((root / "clean").glob("*.csv"))
    clean_found = check(clean, year)
    plants = planted(root)
    by_kind: Counter = Counter()
    hit: Counter = Counter()
    missed = []
    for file in sorted({p.file for p in plants}):
        paths = [root / "planted" / file if c.name == file else c for c in clean]
        found = check(paths, year)
        for p in (p for p in plants if p.file == file):
            by_kind[p.kind] += 1
            if detected(p, found):
                hit[p.kind] += 1
            else:
                missed.append(p)
    return {"clean": clean_found, "planted": by_kind, "hit": hit, "missed": missed,
            "tables": len(clean)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT,
                        help="folder with clean/, planted/ and planted.yaml (default tests/realtables)")
    r = run(parser.parse_args().corpus.resolve())
    errors = [f for f in r["clean"] if f.severity == "error"]
    warnings = [f for f in r["clean"] if f.severity == "warning"]
    print(f"clean tables: {r['tables']}  findings: {len(r['clean'])}  errors (false alarms): "
          f"{len(errors)}  warnings: {len(warnings)}")
    for f in r["clean"]:
        print(f"  {f.severity:7} {f.kind:24} {f.unit:12} {f.name}  {f.message}")
    total = sum(r["planted"].values())
    print(f"planted defects: detected {sum(r['hit'].values())}/{total}")
    for kind in sorted(r["planted"]):
        print(f"  {kind:24} {r['hit'][kind]}/{r['planted'][kind]}")
    for p in r["missed"]:
        print(f"  missed: {p}")


if __name__ == "__main__":
    main()
