"""Extraction accuracy over the generated corpus (every format, varied phrasing, distractors).

Precision and recall over (document, indicator, value) triples, over two-plans rows and over
the unit, period and type fields; each must reach 0.95. The figures are printed (pytest -s).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from extract.pipeline import extract_document
from schemas.extraction import Extraction, Hints

pytestmark = pytest.mark.slow
FLOOR = 0.95


@dataclass
class Score:
    name: str
    tp: int = 0
    predicted: int = 0
    truth: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, got: set, want: set, doc: str) -> None:
        self.tp += len(got & want)
        self.predicted += len(got)
        self.truth += len(want)
        for item in sorted(want - got, key=str)[:3]:
            self.misses.append(f"{doc}: missed {item}")
        for item in sorted(got - want, key=str)[:3]:
            self.misses.append(f"{doc}: extra {item}")

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.truth if self.truth else 1.0

    def line(self) -> str:
        return (f"{self.name:<12} precision {self.precision:.3f} ({self.tp}/{self.predicted})  "
                f"recall {self.recall:.3f} ({self.tp}/{self.truth})")


def _num(value: float | bool | None) -> object:
    """Values compared at one decimal (rates are stated as 97.9%)."""
    if value is None or isinstance(value, bool):
        return value
    return round(float(value), 1)


def expected_indicators(stated: dict[str, float | bool]) -> dict[str, float | bool]:
    """The corpus lists stated values; extraction also derives the closure rate when it is not stated."""
    out = dict(stated)
    received, closed = stated.get("rights.cases_received"), stated.get("rights.cases_closed")
    if "rights.case_closure_rate" not in out and received and closed is not None and closed <= received:
        out["rights.case_closure_rate"] = round(float(closed) / float(received) * 100, 1)
    return out


def _unit_key(unit: str | None, community: str | None) -> str | None:
    return f"new:{community}" if community else unit


def _score(items: list, results: dict[str, Extraction]) -> dict[str, Score]:
    scores = {n: Score(n) for n in ("indicators", "two_plans", "unit", "period", "doc_type")}
    for item in items:
        ext, doc = results[item.source_path], item.source_path
        got_ind = {(c, _num(v)) for c, v in ((i.code, i.value) for i in ext.indicators)}
        scores["indicators"].add(got_ind, {(c, _num(v)) for c, v in expected_indicators(item.indicators).items()}, doc)
        got_tp = {(r.unit, r.code, r.year, _num(r.value)) for r in ext.two_plans}
        scores["two_plans"].add(got_tp, {(u, c, y, _num(v)) for u, c, y, v in item.two_plans}, doc)
        mine = _unit_key(ext.unit, (ext.new_community or {}).get("full_name"))
        truth = _unit_key(item.unit, item.new_community)
        scores["unit"].add({mine} - {None}, {truth} - {None}, doc)
        scores["period"].add({ext.period} - {None}, {item.period}, doc)
        scores["doc_type"].add({ext.doc_type}, {item.doc_type}, doc)
    return scores


@pytest.fixture(scope="module")
def corpus_scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Score]:
    corpus = pytest.importorskip("fulian.samples.corpus")
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    folder: Path = tmp_path_factory.mktemp("corpus")
    items = corpus.build_corpus(folder, seed=7)
    results = {}
    for item in items:
        data = item.path.read_bytes()
        results[item.source_path] = extract_document(
            data, Hints(name=item.path.name, source_path=item.source_path), hashlib.sha256(data).hexdigest())
    scores = _score(items, results)
    print(f"\ncorpus: {len(items)} documents")
    for s in scores.values():
        print(s.line())
    for s in scores.values():
        for miss in s.misses[:15]:
            print(f"  [{s.name}] {miss}")
    return scores


@pytest.mark.parametrize("name", ["indicators", "two_plans", "unit", "period", "doc_type"])
def test_precision_and_recall(corpus_scores: dict[str, Score], name: str) -> None:
    s = corpus_scores[name]
    assert s.truth > 0, f"the corpus has no {name} ground truth: the test would prove nothing"
    assert s.precision >= FLOOR and s.recall >= FLOOR, s.line() + "\n" + "\n".join(s.misses[:20])
