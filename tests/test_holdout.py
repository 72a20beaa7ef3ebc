"""The held-out sets (tests/holdout, tests/holdout2) stay held out: well-formed, and disjoint
from realtext and from each other (no shared source, no shared run of text from a mirror).

No floor on the extractor's figures here: a floor on held-out text invites tuning rules to it
(tests/holdout/README.md). The figures are measured with
`bench/realtext.py --corpus tests/holdout` (and `tests/holdout2`) and recorded in
docs/performance.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.realtext import CORPUS, entries
from schemas.extraction import DOC_TYPES
from schemas.indicators import load_indicator_catalog
from schemas.two_plans import load_two_plans_catalog

HOLDOUT = Path(__file__).parent / "holdout"
HOLDOUT2 = Path(__file__).parent / "holdout2"
HELD_OUT = [HOLDOUT, HOLDOUT2]
SHINGLE = 30  # characters: a run this long shared with another set means a mirror of one text


@pytest.mark.parametrize("corpus", HELD_OUT, ids=lambda p: p.name)
def test_the_set_is_its_size_and_cites_its_sources(corpus: Path) -> None:
    items = entries(corpus)
    assert len([e for e in items if "text" in e]) >= 25
    assert 3 <= len([e for e in items if "file" in e]) <= 5
    assert all(e["source"].startswith("http") for e in items)
    assert len({e["id"] for e in items}) == len(items)


def test_no_source_is_shared_with_realtext() -> None:
    # a passage read while writing rules is no longer held out
    tuned = {e["source"] for e in entries(CORPUS)}
    assert not tuned & {e["source"] for e in entries(HOLDOUT)}


def _shingles(text: str) -> set[str]:
    flat = "".join(text.split())
    return {flat[i:i + SHINGLE] for i in range(max(0, len(flat) - SHINGLE + 1))}


def test_the_second_set_shares_no_source_and_no_text_with_the_others() -> None:
    # the first held-out set is being fixed against: nothing of it (or of realtext) may be in
    # the second, not even the same passage under a mirror's address
    others = entries(CORPUS) + entries(HOLDOUT)
    seen_sources = {e["source"] for e in others}
    seen_text = set().union(*(_shingles(e["text"]) for e in others if "text" in e))
    for e in entries(HOLDOUT2):
        assert e["source"] not in seen_sources, e["id"]
        if "text" in e:
            assert not _shingles(e["text"]) & seen_text, e["id"]


def test_a_mirror_of_a_used_passage_would_be_caught() -> None:
    # the check above is not vacuous: a known mirror (holdout h03 at another address) overlaps
    h03 = next(e for e in entries(HOLDOUT) if e["id"] == "h03")
    mirror = "一年來,州及四縣婦聯自辦,聯辦農牧區婦女實用技術培訓班20期,培訓婦女1017人,各項培訓經費達8萬余元。"
    assert _shingles(mirror) & _shingles(h03["text"])


@pytest.mark.parametrize("corpus", HELD_OUT, ids=lambda p: p.name)
def test_labels_name_real_codes_types_and_periods(corpus: Path) -> None:
    work = set(load_indicator_catalog().codes())
    plans = load_two_plans_catalog()
    for e in entries(corpus):
        for code in e.get("values") or {}:
            assert code in work, (e["id"], code)
        for code in e.get("two_plans") or {}:
            assert plans.get(code) is not None, (e["id"], code)
        for code in e.get("ignore") or []:
            assert code in work or plans.get(code) is not None, (e["id"], code)
        types = e["doc_type"] if isinstance(e.get("doc_type"), list) else [e.get("doc_type")]
        assert all(t in DOC_TYPES for t in types if t is not None), e["id"]
        periods = e["period"] if isinstance(e.get("period"), list) else [e.get("period")]
        assert all(p is None or isinstance(p, str) for p in periods), e["id"]
