"""The held-out set (tests/holdout) stays a held-out set: well-formed, and disjoint from realtext.

No floor on the extractor's figures here: a floor on held-out text invites tuning rules to it
(tests/holdout/README.md). The figures are measured with
`bench/realtext.py --corpus tests/holdout` and recorded in docs/performance.md.
"""

from __future__ import annotations

from pathlib import Path

from bench.realtext import CORPUS, entries
from schemas.extraction import DOC_TYPES
from schemas.indicators import load_indicator_catalog
from schemas.two_plans import load_two_plans_catalog

HOLDOUT = Path(__file__).parent / "holdout"


def test_the_set_is_its_size_and_cites_its_sources() -> None:
    items = entries(HOLDOUT)
    assert len([e for e in items if "text" in e]) >= 25
    assert 3 <= len([e for e in items if "file" in e]) <= 5
    assert all(e["source"].startswith("http") for e in items)
    assert len({e["id"] for e in items}) == len(items)


def test_no_source_is_shared_with_realtext() -> None:
    # a passage read while writing rules is no longer held out
    tuned = {e["source"] for e in entries(CORPUS)}
    assert not tuned & {e["source"] for e in entries(HOLDOUT)}


def test_labels_name_real_codes_types_and_periods() -> None:
    work = set(load_indicator_catalog().codes())
    plans = load_two_plans_catalog()
    for e in entries(HOLDOUT):
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
