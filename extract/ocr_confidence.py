"""The recogniser's character scores carried into each value's confidence.

A value read from a scan is only as sure as the digits it was read from: its evidence
confidence is the extractor's confidence times the lowest recogniser score among the
characters of the number it came from (found in the evidence location's text). Values
that rest on a doubtful digit thus fall below the review threshold (待核实) instead of
passing as certain.
"""

from __future__ import annotations

import re

from extract.document import ReadResult
from schemas.extraction import Evidence, Extraction

_NUMBER = re.compile(r"\d(?:[\d,，]*\d)?(?:[.．]\d+)?")
_NUMERALS = set("0123456789〇零一二三四五六七八九十百千万两.%")


def apply(ext: Extraction, result: ReadResult) -> None:
    """Lower the confidence of every value read by OCR by its characters' scores."""
    if not result.ocr_scores:
        return
    index = {loc: i for i, loc in enumerate(result.ocr_scores)}
    locations = list(result.ocr_scores)
    for iv in ext.indicators:
        _lower(iv.evidence, iv.value, result, index, locations)
    for row in ext.two_plans:
        _lower(row.evidence, row.value, result, index, locations)


def _lower(evidence: Evidence, value: object, result: ReadResult, index: dict[str, int],
           locations: list[str]) -> None:
    chars = _chars_at(evidence.location, result, index, locations)
    if chars:
        evidence.confidence = round(evidence.confidence * value_score(chars, value), 3)


def _chars_at(location: str, result: ReadResult, index: dict[str, int],
              locations: list[str]) -> list[tuple[str, float]]:
    """Characters of a block, or of the run of blocks a joined paragraph spans ("A—B")."""
    if location in result.ocr_scores:
        return result.ocr_scores[location]
    first, _, last = location.partition("—")
    if first in index and last in index and index[first] <= index[last]:
        return [c for loc in locations[index[first]:index[last] + 1]
                for c in result.ocr_scores[loc]]
    return []


def value_score(chars: list[tuple[str, float]], value: object) -> float:
    """Lowest score among the characters of the number(s) equal to `value`; without such a
    number (a value in words, a derived one), the lowest score of any numeral character."""
    text = "".join(c for c, _ in chars)
    target = _as_number(value)
    matched = []
    if target is not None:
        for m in _NUMBER.finditer(text):
            number = _as_number(m.group())
            if number is not None and abs(number - target) < 1e-9:
                matched.append(min(s for _, s in chars[m.start():m.end()]))
    if matched:
        return min(matched)
    numerals = [s for c, s in chars if c in _NUMERALS]
    if numerals:
        return min(numerals)
    return sum(s for _, s in chars) / len(chars)


def _as_number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", "").replace("，", "").replace("．", "."))
    except ValueError:
        return None
