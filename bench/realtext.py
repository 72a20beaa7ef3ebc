"""Extraction measured on text nobody here wrote: tests/realtext (published federation reports).

    .venv/bin/python bench/realtext.py [--corpus tests/holdout] [--details]

Runs the real pipeline (`extract_document`) on each hand-labelled passage (as a .txt file)
and table (as a .csv file) with a neutral file name, and prints precision and recall of the
indicator values that count (confidence at or above FULIAN_REVIEW_THRESHOLD), how many wait
for review, and the accuracy of document type, period and unit; then the validation rules
(schemas/validation_rules.yaml: stated rates against their counts, rates over 100) on each
entry's values: published figures are the author's, so every finding there is a false alarm
unless the text really disagrees with itself. Seconds on 2 cores. `--corpus tests/holdout`
measures the held-out set (labelled before any run, never tuned on: tests/holdout/README.md).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# bench/extract.py would shadow the extract package when run as a script from bench/
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]

import pandas as pd  # noqa: E402

from extract.pipeline import extract_document  # noqa: E402
from quality.rules import rule_findings  # noqa: E402
from schemas.extraction import Extraction, Hints  # noqa: E402
from schemas.settings import Settings  # noqa: E402

CORPUS = ROOT / "tests" / "realtext"


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    pending: int = 0
    type_right: int = 0
    type_total: int = 0
    period_right: int = 0
    period_wrong: int = 0
    period_abstained: int = 0  # a period could be told but the extractor said nothing
    period_total: int = 0
    unit_right: int = 0
    unit_total: int = 0
    mistakes: list[str] = field(default_factory=list)
    rule_alarms: list[str] = field(default_factory=list)  # validation-rule findings on published text
    rule_values: int = 0  # values the rules were run on

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def entries(corpus: Path = CORPUS) -> list[dict]:
    passages = yaml.safe_load((corpus / "passages.yaml").read_text(encoding="utf-8"))
    tables = yaml.safe_load((corpus / "tables.yaml").read_text(encoding="utf-8"))
    for t in tables:
        t["data"] = (corpus / "tables" / t["file"]).read_bytes()
    for p in passages:
        p["data"] = p["text"].encode("utf-8")
    return passages + tables


def run(entry: dict) -> Extraction:
    kind = "csv" if "file" in entry else "txt"
    sha = hashlib.sha256(entry["data"]).hexdigest()
    return extract_document(entry["data"], Hints(name=f"{entry['id']}.{kind}"), sha, kind=kind)


def _close(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def _found(ext: Extraction, entry: dict, threshold: float) -> tuple[dict, int]:
    """(code → value) that counts, and how many values wait for review."""
    ignore = set(entry.get("ignore") or [])
    found, pending = {}, 0
    for iv in ext.indicators:
        if iv.code in ignore:
            continue
        if iv.evidence.confidence < threshold:
            pending += 1
            continue
        found[iv.code] = iv.value
    year = str(entry.get("period") or "")[:4]
    for row in ext.two_plans:
        # a row no catalog name matched (code "") is kept for quality, not a catalog value
        if not row.code or row.code in ignore or row.value is None or str(row.year) != year:
            continue
        found[row.code] = row.value
    return found, pending


def score_values(ext: Extraction, entry: dict, s: Score, threshold: float) -> None:
    truth = {**(entry.get("values") or {}), **(entry.get("two_plans") or {})}
    found, pending = _found(ext, entry, threshold)
    s.pending += pending
    for code, value in found.items():
        if code in truth and _close(value, truth[code]):
            s.tp += 1
        else:
            s.fp += 1
            s.mistakes.append(f"{entry['id']} wrong value {code}={value} (truth {truth.get(code)})")
    for code, value in truth.items():
        if code not in found or not _close(found[code], value):
            s.fn += 1
            s.mistakes.append(f"{entry['id']} missed {code}={value}")


def score_labels(ext: Extraction, entry: dict, s: Score) -> None:
    if "doc_type" in entry:
        allowed = entry["doc_type"] if isinstance(entry["doc_type"], list) else [entry["doc_type"]]
        s.type_total += 1
        if ext.doc_type in allowed:
            s.type_right += 1
        else:
            s.mistakes.append(f"{entry['id']} type {ext.doc_type} (truth {allowed})")
    if "period" in entry:
        truth = entry["period"]
        allowed = truth if isinstance(truth, list) else [truth]
        s.period_total += 1
        if ext.period in allowed:
            s.period_right += 1
        elif ext.period is None:
            s.period_abstained += 1
            s.mistakes.append(f"{entry['id']} period none (truth {truth})")
        else:
            s.period_wrong += 1
            s.mistakes.append(f"{entry['id']} period {ext.period} (truth {truth})")
    s.unit_total += 1
    if ext.unit is None and ext.new_community is None:
        s.unit_right += 1
    else:
        s.mistakes.append(f"{entry['id']} unit {ext.unit} {ext.new_community} (truth none)")


def measure(threshold: float | None = None, corpus: Path = CORPUS) -> Score:
    threshold = Settings().review_threshold if threshold is None else threshold
    s = Score()
    for entry in entries(corpus):
        ext = run(entry)
        score_values(ext, entry, s, threshold)
        score_labels(ext, entry, s)
        score_rules(ext, entry, s, threshold)
    return s


def score_rules(ext: Extraction, entry: dict, s: Score, threshold: float) -> None:
    """The validation rules on the values that count, as the quality flow would run them."""
    rows = [dict(unit=entry["id"], unit_name=entry["id"], period="2000", code=iv.code, name=iv.name,
                 value=iv.value, source_path=entry["id"], sha256=ext.sha256, location=iv.evidence.location,
                 snippet=iv.evidence.snippet)
            for iv in ext.indicators if iv.evidence.confidence >= threshold and not isinstance(iv.value, str)]
    s.rule_values += len(rows)
    for f in rule_findings(pd.DataFrame(rows)) if rows else []:
        s.rule_alarms.append(f"{entry['id']} {f.kind} {f.indicator}: {f.message}")


def report(s: Score) -> str:
    values = s.tp + s.fn
    return "\n".join([
        f"values: precision {s.precision:.3f} ({s.tp}/{s.tp + s.fp}), recall {s.recall:.3f} ({s.tp}/{values}),"
        f" waiting for review {s.pending}",
        f"doc type: {s.type_right}/{s.type_total} = {s.type_right / max(1, s.type_total):.3f}",
        f"period: right {s.period_right}, wrong {s.period_wrong}, none {s.period_abstained}"
        f" of {s.period_total} (accuracy {s.period_right / max(1, s.period_total):.3f},"
        f" precision {s.period_right / max(1, s.period_right + s.period_wrong):.3f})",
        f"unit (no false sender): {s.unit_right}/{s.unit_total} = {s.unit_right / max(1, s.unit_total):.3f}",
        f"validation rules on {s.rule_values} published values: {len(s.rule_alarms)} findings",
    ])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--details", action="store_true", help="list every mistake")
    ap.add_argument("--corpus", type=Path, default=CORPUS,
                    help="folder with passages.yaml, tables.yaml, tables/ (default tests/realtext)")
    args = ap.parse_args()
    corpus = args.corpus if args.corpus.is_absolute() else Path.cwd() / args.corpus
    s = measure(corpus=corpus)
    n = len(entries(corpus))
    print(f"{corpus.relative_to(ROOT) if corpus.is_relative_to(ROOT) else corpus}: {n} entries")
    print(report(s))
    if args.details:
        print("\n".join(s.mistakes + s.rule_alarms))


if __name__ == "__main__":
    main()
