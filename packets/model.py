"""A packet as data: titled sections of rows, rendered the same way to XLSX, DOCX, PDF, CSV, JSON.

Keeping the content in one place is what makes every format say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Column:
    key: str
    header: str  # Chinese, as printed
    width: float = 12  # characters, for XLSX
    number: str | None = None  # an Excel number format when the column holds numbers


@dataclass
class Section:
    key: str  # English, for file names and JSON
    title: str  # Chinese, sheet and heading
    columns: list[Column]
    rows: list[dict]
    intro: str = ""  # a sentence above the table (DOCX/PDF), e.g. how the total is made


@dataclass
class Packet:
    year: int
    scope: str  # a unit code, or "district"
    title: str  # 2013年度基层妇联工作考评资料（解放路街道妇联）
    unit_name: str
    as_of: str  # ISO date the packet is as of
    archive_state: str
    sections: list[Section]
    summary: dict = field(default_factory=dict)  # total, grade, … for the report's first page

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def as_json(self) -> dict:
        return {"year": self.year, "scope": self.scope, "title": self.title,
                "unit": self.unit_name, "as_of": self.as_of, "archive_state": self.archive_state,
                "summary": self.summary,
                "sections": {s.key: {"title": s.title, "rows": s.rows} for s in self.sections}}
