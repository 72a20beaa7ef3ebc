"""Loader for document types (schemas/doc_types.yaml)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field


class DocType(BaseModel):
    code: str
    name: str
    once_per_period: bool
    period: str = "year"  # the usual granularity: year, half, quarter, month
    keywords: list[str] = Field(default_factory=list)


DEFAULT_PATH = Path(__file__).with_name("doc_types.yaml")


@lru_cache(maxsize=8)
def load_doc_types(path: str | None = None) -> dict[str, DocType]:
    raw = yaml.safe_load(Path(path or DEFAULT_PATH).read_text(encoding="utf-8"))
    return {d["code"]: DocType(**d) for d in raw["doc_types"]}
