"""The one vocabulary (schemas/vocabulary.yaml): code → the Chinese words people read."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel

PATH = Path(__file__).with_name("vocabulary.yaml")


class Term(BaseModel):
    short: str
    long: str


class Vocabulary(BaseModel):
    submission_status: dict[str, Term]
    completeness_status: dict[str, Term]
    unit_level: dict[str, Term]
    audit_action: dict[str, Term]

    def short(self, group: str) -> dict[str, str]:
        return {code: term.short for code, term in getattr(self, group).items()}

    def long(self, group: str) -> dict[str, str]:
        return {code: term.long for code, term in getattr(self, group).items()}

    def code_for(self, group: str, word: str) -> str | None:
        """The code a person may have typed: the code itself, or its short or long word."""
        for code, term in getattr(self, group).items():
            if word in (code, term.short, term.long):
                return code
        return None


@cache
def load_vocabulary(path: Path = PATH) -> Vocabulary:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Vocabulary(**{group: {code: Term(short=pair[0], long=pair[1]) for code, pair in terms.items()}
                         for group, terms in raw.items()})
