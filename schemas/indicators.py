"""Loader for the work-area indicator catalog (schemas/indicators.yaml)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field


class Target(BaseModel):
    op: str  # >=, <=, ==, >, between
    value: float | bool
    max: float | None = None

    def met(self, observed: float | bool) -> bool:
        v, t = observed, self.value
        if self.op == "between":
            return t <= v <= (self.max if self.max is not None else t)
        return {">=": v >= t, "<=": v <= t, "==": v == t, ">": v > t, "<": v < t}[self.op]

    def text(self) -> str:
        if self.op == "between":
            return f"{self.value:g}–{self.max:g}"
        return f"{self.op}{self.value}" if isinstance(self.value, bool) else f"{self.op}{self.value:g}"


class Indicator(BaseModel):
    code: str
    name: str
    measure: str
    target: Target | None = None
    period: str = "year"
    keywords: list[str] = Field(default_factory=list)
    requires: list[str] = Field(default_factory=list)  # one of these must also be in the sentence
    no_keywords: list[str] = Field(default_factory=list)  # yes/no: phrases that say "no" by themselves
    no_requires: list[str] = Field(default_factory=list)  # …when one of these is in the sentence too

    @property
    def area(self) -> str:
        return self.code.split(".", 1)[0]


class IndicatorCatalog(BaseModel):
    source: str = ""
    areas: dict[str, str] = Field(default_factory=dict)
    indicators: list[Indicator]

    def get(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)

    def codes(self) -> list[str]:
        return [i.code for i in self.indicators]


DEFAULT_PATH = Path(__file__).with_name("indicators.yaml")


@lru_cache(maxsize=8)
def load_indicator_catalog(path: str | None = None) -> IndicatorCatalog:
    raw = yaml.safe_load(Path(path or DEFAULT_PATH).read_text(encoding="utf-8"))
    return IndicatorCatalog.model_validate(raw)
