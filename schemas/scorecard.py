"""Loader for the year-end scorecard (schemas/scorecard.yaml): what is scored, from what, how.

Every problem of a scorecard file is reported at once (like the completeness rules):
lines that name an unknown indicator or a document the level does not owe, a method
that cannot score its source, points that do not add up to the scale.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from schemas.completeness import RulesError, load_completeness_rules
from schemas.doc_types import load_doc_types
from schemas.indicators import load_indicator_catalog

DEFAULT_PATH = Path(__file__).with_name("scorecard.yaml")
Method = Literal["full_at_target", "proportional", "yes_no", "per_missing"]
METHODS_BY_SOURCE: dict[str, tuple[str, ...]] = {
    "indicator": ("full_at_target", "proportional", "yes_no"),
    "completeness": ("yes_no", "per_missing"),
    "quality": ("per_missing",),
}


class ScorecardError(RulesError):
    """Every problem of a scorecard file, at once (path, problems)."""


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    indicator: str | None = None
    completeness: str | None = None
    quality: Literal["two_plans"] | None = None

    @property
    def kind(self) -> str:
        return next(k for k in ("indicator", "completeness", "quality") if getattr(self, k))

    @property
    def ref(self) -> str:
        return str(getattr(self, self.kind))


class Line(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    item: str  # 项目
    content: str  # 考评内容
    points: float  # 分值
    source: Source = Field(alias="from")
    method: Method
    basis: str = Field(min_length=2)  # the seed sentence
    due: str | None = None  # document type the value is expected in
    per_item: float = 0.0
    late_item: float = 0.0

    @property
    def key(self) -> str:
        """Stable id of a line within its level: where the score comes from."""
        return f"{self.source.kind}:{self.source.ref}"


class Grade(BaseModel):
    name: str
    min: float


class Scorecard(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str = ""
    scale: float = 100
    margin: float = 1.0
    min_confidence: float = 0.9
    grades: list[Grade]
    tie_break: list[str] = Field(default_factory=lambda: ["code"])
    bonus_max: float = 5
    levels: dict[str, list[Line]]

    def lines(self, level: str) -> list[Line]:
        return self.levels.get(level, [])

    def grade(self, total: float) -> str:
        return next((g.name for g in sorted(self.grades, key=lambda g: -g.min) if total >= g.min),
                    self.grades[-1].name)


def _problems(card: Scorecard) -> list[str]:
    catalog = {i.code: i for i in load_indicator_catalog().indicators}
    owed = {(r.level, r.doc_type) for r in load_completeness_rules().rules}
    doc_types = load_doc_types()
    out: list[str] = []
    for level, lines in card.levels.items():
        total = sum(line.points for line in lines)
        if abs(total - card.scale) > 1e-9:
            out.append(f"{level}: points add up to {total:g}, not {card.scale:g}")
        seen: set[str] = set()
        for n, line in enumerate(lines, 1):
            out += [f"{level} line {n}: {p}" for p in _line_problems(line, level, catalog, owed, doc_types)]
            if line.key in seen:
                out.append(f"{level} line {n}: {line.key} is scored twice")
            seen.add(line.key)
    return out


def _line_problems(line: Line, level: str, catalog: dict, owed: set, doc_types: dict) -> list[str]:
    out = []
    kind, ref = line.source.kind, line.source.ref
    if sum(1 for k in METHODS_BY_SOURCE if getattr(line.source, k)) != 1:
        out.append("`from` must name exactly one of indicator, completeness, quality")
    if line.method not in METHODS_BY_SOURCE[kind]:
        out.append(f"method {line.method} cannot score a {kind}")
    if kind == "indicator":
        ind = catalog.get(ref)
        if ind is None:
            out.append(f"unknown indicator {ref}")
        elif line.method != "yes_no" and (ind.target is None or isinstance(ind.target.value, bool)):
            out.append(f"indicator {ref} has no numeric target for {line.method}")
    if kind == "completeness" and (level, ref) not in owed:
        out.append(f"level {level} owes no {ref} in the completeness rules")
    if line.due and line.due not in doc_types:
        out.append(f"unknown document type {line.due}")
    if line.method == "per_missing" and line.per_item <= 0:
        out.append("per_missing needs per_item > 0")
    return out


@lru_cache(maxsize=8)
def load_scorecard(path: str | None = None) -> Scorecard:
    where = str(path or DEFAULT_PATH)
    raw = yaml.safe_load(Path(where).read_text(encoding="utf-8"))
    try:
        card = Scorecard.model_validate(raw)
    except ValidationError as e:
        raise ScorecardError(where, [f"{'.'.join(map(str, x['loc']))}: {x['msg']}"
                                     for x in e.errors()]) from None
    problems = _problems(card)
    if problems:
        raise ScorecardError(where, problems)
    return card
