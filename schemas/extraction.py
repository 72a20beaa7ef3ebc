"""What extraction hands to the archive: plain, serialisable facts about one document.

`extract/` produces these from bytes; `archive/` stores them; nobody else parses files.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

# Reason codes for a file that cannot be archived as a readable document.
REJECT_REASONS = ("empty", "corrupt", "encrypted", "too_large", "unsupported", "archive_bomb", "timeout",
                  "unsafe_name")

DOC_TYPES = (
    "work_summary", "info_report", "two_plans_statistics", "petition_report",
    "chunlei_register", "single_mother_register", "parent_school_record",
    "news_clipping", "other",
)


class ExtractError(Exception):
    """A file that cannot be read; `reason` is one of REJECT_REASONS."""

    def __init__(self, reason: str, message: str):
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message

    def __reduce__(self) -> tuple:
        # Pickle rebuilds exceptions from `args` (one string here): name both fields instead.
        return (type(self), (self.reason, self.message))


class Hints(BaseModel):
    """What the channel already knows about a file."""

    name: str  # original file name
    source_path: str | None = None  # path relative to the scanned folder, folders included
    claimed_unit: str | None = None  # unit code claimed by the channel (folder, mailbox)
    received_at: str | None = None  # ISO 8601


# A table cell's location: "Sheet1!C7" (sheets) or "表1第3行第2列" / "第2页表1第3行第2列" (tables in documents)
_SHEET_CELL = re.compile(r"^(?P<table>.+)![A-Z]{1,3}\d+$")
_TABLE_CELL = re.compile(r"^(?P<table>.*表\d+)第\d+行第\d+列$")


def table_of(location: str) -> str | None:
    """The sheet or table a cell location names ("Sheet1", "第2页表1"); None for text."""
    for pattern in (_SHEET_CELL, _TABLE_CELL):
        m = pattern.match(location or "")
        if m:
            return m.group("table")
    return None


class Evidence(BaseModel):
    sha256: str
    location: str  # "第2页第5段", "表1第3行第2列", "Sheet1!C7", "页眉"
    snippet: str  # the sentence or cell text the value came from
    extractor_version: str
    confidence: float = 1.0


class IndicatorValue(BaseModel):
    code: str  # catalog code, e.g. dev.women_trained
    name: str  # the catalog's Chinese name
    value: float | str | bool
    measure: str  # 人, 件, %, 个, yes/no …
    period: str | None = None  # the period the value is about
    unit: str | None = None  # unit code the value is about (default: the document's unit)
    derived: bool = False  # computed from other values or rows, not stated
    evidence: Evidence


class TwoPlansRow(BaseModel):
    """One value of a two-plans statistics table in long form."""

    unit: str | None = None  # unit code
    code: str  # two-plans catalog code
    name: str  # catalog name
    measure: str
    target: str | None = None  # outline target as text (≥95, ≤20 …)
    year: int
    value: float | None = None  # None when the cell is missing (—, 暂无, empty)
    raw: str = ""  # the cell text as written
    location: str  # sheet and cell, or table/row/column
    evidence: Evidence


class Extraction(BaseModel):
    sha256: str
    extractor_version: str
    detected_type: str  # docx, doc, pdf, pdf_scanned, xlsx, xls, csv, html, image, txt …
    pages: int | None = None
    ocr: bool = False
    title: str | None = None
    text: str = ""  # full text, for search and re-reading evidence
    unit: str | None = None  # unit code
    unit_evidence: str | None = None  # where the unit was found ("folder", "file name", "title" …)
    new_community: dict | None = None  # {"name": …, "parent": street code} when not in registry
    period: str | None = None  # "2013", "2013-H1", "2013-Q3", "2013-05"
    period_evidence: str | None = None
    doc_type: str | None = None  # one of DOC_TYPES
    correction: bool = False  # 修订/更正/修改版/v2 in the name or title
    document_date: str | None = None  # date written on the document (落款), ISO
    indicators: list[IndicatorValue] = Field(default_factory=list)
    two_plans: list[TwoPlansRow] = Field(default_factory=list)
    pii: bool = False
    pii_kinds: list[str] = Field(default_factory=list)  # id_number, phone, name
    problems: list[str] = Field(default_factory=list)  # what could not be determined, in English codes
