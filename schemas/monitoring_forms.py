"""Loader for the district's monitoring forms (schemas/monitoring_forms.yaml).

A form says which two-plans indicators a level of unit must report in which years;
completeness of a unit's table is judged against it, never against the whole catalog.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, field_validator


def _in_years(year: int, years: tuple[int, int | None]) -> bool:
    first, last = years
    return first <= year and (last is None or year <= last)


class FormIndicator(BaseModel):
    code: str
    years: tuple[int, int | None] | None = None  # None: every year of the form


class MonitoringForm(BaseModel):
    code: str
    name: str
    level: str
    years: tuple[int, int | None]
    indicators: list[FormIndicator]

    @field_validator("indicators", mode="before")
    @classmethod
    def _plain_codes(cls, value: list) -> list:
        return [{"code": v} if isinstance(v, str) else v for v in value]

    def applies(self, level: str, year: int) -> bool:
        return self.level == level and _in_years(year, self.years)

    def codes(self, year: int) -> list[str]:
        """The indicators the form asks for in `year`, in the form's order."""
        return [i.code for i in self.indicators if i.years is None or _in_years(year, i.years)]


class MonitoringForms(BaseModel):
    forms: list[MonitoringForm] = Field(default_factory=list)

    def form_for(self, level: str, year: int) -> MonitoringForm | None:
        """The form a unit of `level` fills in for `year`; None when none applies."""
        return next((f for f in self.forms if f.applies(level, year)), None)

    def check_codes(self, known: set[str]) -> None:
        """Every code a form names must be in the catalog: a typo would silently ask nothing."""
        unknown = sorted({i.code for f in self.forms for i in f.indicators} - known)
        if unknown:
            raise ValueError(f"monitoring forms name codes not in the two-plans catalog: {unknown}")


DEFAULT_PATH = Path(__file__).with_name("monitoring_forms.yaml")


@lru_cache(maxsize=8)
def load_monitoring_forms(path: str | None = None) -> MonitoringForms:
    raw = yaml.safe_load(Path(path or DEFAULT_PATH).read_text(encoding="utf-8"))
    return MonitoringForms.model_validate(raw)
