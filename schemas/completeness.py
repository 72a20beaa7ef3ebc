"""Loader for completeness rules (schemas/completeness.yaml): who owes which documents, when."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from schemas.doc_types import load_doc_types
from schemas.units import LEVELS

Frequency = Literal["monthly", "quarterly", "half_yearly", "yearly"]
FREQUENCIES: tuple[str, ...] = ("monthly", "quarterly", "half_yearly", "yearly")
# The period suffixes a frequency has in one year: "2013-05", "2013-Q3", "2013-H1", "2013".
SUFFIXES: dict[str, tuple[str, ...]] = {
    "monthly": tuple(f"{m:02d}" for m in range(1, 13)),
    "quarterly": ("Q1", "Q2", "Q3", "Q4"),
    "half_yearly": ("H1", "H2"),
    "yearly": ("",),
}
DEFAULT_PATH = Path(__file__).with_name("completeness.yaml")


class RulesError(ValueError):
    """Every problem found in a rules file, reported at once."""

    def __init__(self, path: str, problems: list[str]):
        self.path, self.problems = path, problems
        super().__init__(f"{path}: " + "; ".join(problems))


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    level: str
    doc_type: str
    frequency: Frequency
    min_count: int = Field(1, ge=1)
    # Days after the period's last day; negative means before the period ends.
    deadline_days: int = Field(0, ge=-27, le=366)
    only: tuple[str, ...] | None = None
    label: str | None = None
    unit_word: str = "份"
    basis: str = Field(min_length=2)
    note: str = ""

    @field_validator("only", mode="before")
    @classmethod
    def _normalise_only(cls, value: object) -> object:
        # YAML reads `only: [3, 4]` as ints; months are written "03" in periods.
        if isinstance(value, list | tuple):
            return tuple(f"{v:02d}" if isinstance(v, int) else str(v).strip().upper() for v in value)
        return value

    @model_validator(mode="after")
    def _check_only(self) -> Rule:
        if self.only is not None:
            allowed = SUFFIXES[self.frequency]
            bad = [s for s in self.only if s not in allowed]
            if bad or not self.only or self.frequency == "yearly":
                raise ValueError(f"only={list(self.only)} does not fit frequency {self.frequency}")
        return self

    def suffixes(self) -> tuple[str, ...]:
        """The due periods of a year as suffixes, in calendar order."""
        allowed = SUFFIXES[self.frequency]
        return allowed if self.only is None else tuple(s for s in allowed if s in self.only)


class CompletenessRules(BaseModel):
    model_config = ConfigDict(frozen=True)

    timezone: str = "Asia/Shanghai"
    rules: tuple[Rule, ...]
    source: str | None = None  # the file they were read from

    def for_level(self, level: str) -> list[Rule]:
        return [r for r in self.rules if r.level == level]


def _cross_checks(rules: list[Rule], doc_types_path: str | None) -> list[str]:
    doc_types = load_doc_types(doc_types_path)
    problems, seen = [], set()
    for r in rules:
        where = f"levels.{r.level}/{r.doc_type}/{r.frequency}"
        dt = doc_types.get(r.doc_type)
        if dt is None:
            problems.append(f"{where}: unknown doc_type {r.doc_type!r}")
        elif dt.once_per_period and r.min_count > 1:
            # A resubmission replaces the earlier one, so more than one can never be counted.
            problems.append(f"{where}: min_count {r.min_count} for a once-per-period type")
        key = (r.level, r.doc_type, r.frequency)
        if key in seen:
            problems.append(f"{where}: duplicate rule")
        seen.add(key)
    return problems


def _parse(raw: object, doc_types_path: str | None) -> tuple[str, list[Rule], list[str]]:
    if not isinstance(raw, dict) or not isinstance(raw.get("levels"), dict):
        return "", [], ["top level must be a mapping with a `levels:` mapping"]
    problems: list[str] = []
    timezone = str(raw.get("timezone", "Asia/Shanghai"))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"unknown timezone {timezone!r}")
    rules: list[Rule] = []
    for level, items in raw["levels"].items():
        if level not in LEVELS:
            problems.append(f"levels.{level}: unknown level {level!r} (known: {', '.join(LEVELS)})")
        for i, item in enumerate(items or []):
            try:
                rules.append(Rule(level=level, **item))
            except ValidationError as exc:
                problems.extend(f"levels.{level}[{i}].{'.'.join(map(str, e['loc'])) or 'rule'}: "
                                f"{e['msg']}" for e in exc.errors())
            except TypeError as exc:  # not a mapping
                problems.append(f"levels.{level}[{i}]: {exc}")
    return timezone, rules, problems + _cross_checks(rules, doc_types_path)


def load_completeness_rules(
    path: str | Path | None = None, *, doc_types_path: str | Path | None = None
) -> CompletenessRules:
    """Read and validate a rules file; raise RulesError listing every problem."""
    file = Path(path) if path else DEFAULT_PATH
    raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    timezone, rules, problems = _parse(raw, str(doc_types_path) if doc_types_path else None)
    if problems:
        raise RulesError(str(file), problems)
    return CompletenessRules(timezone=timezone, rules=tuple(rules), source=str(file))
