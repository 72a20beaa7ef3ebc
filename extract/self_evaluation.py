"""A unit's self-evaluation sheet (自评表): the scores it claims, line by line.

The sheet is laid out like the district's scorecard (项目 | 考评内容 | 分值 | 自评 | …), as
xlsx or docx. A claim is read only where the row names its 考评内容 and the 自评 cell holds
a number: nothing is guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from extract.document import ReadResult, Table

_NUMBER = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*分?\s*$")
_NOISE = re.compile(r"[\s，,。、；;：:（）()“”\"《》]+")


@dataclass(frozen=True)
class Claim:
    content: str  # 考评内容, as written
    score: float
    location: str  # the 自评 cell: "Sheet1!D5" or "表1第3行"
    item: str = ""  # 项目


def content_key(text: str) -> str:
    """考评内容 compared without spaces, punctuation or full-width forms."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or ""))


def _column(table: Table, *words: str) -> int | None:
    for i, header in enumerate(table.frame.columns):
        if any(w in str(header) for w in words):
            return i
    return None


def claims(result: ReadResult) -> list[Claim]:
    out: list[Claim] = []
    for table in result.tables:
        content_col, claim_col = _column(table, "考评内容", "评分内容", "考核内容"), _column(table, "自评")
        if content_col is None or claim_col is None:
            continue
        item_col = _column(table, "项目")
        for r in range(len(table.frame)):
            row = [str(v) if v is not None else "" for v in table.frame.iloc[r].tolist()]
            number = _NUMBER.match(unicodedata.normalize("NFKC", row[claim_col]))
            if not row[content_col].strip() or not number:
                continue
            where = table.cells.get((r, claim_col)) or f"{table.location}第{r + 1}行"
            out.append(Claim(row[content_col].strip(), float(number.group(1)), where,
                             row[item_col].strip() if item_col is not None else ""))
    return out
