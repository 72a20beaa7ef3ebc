"""Values computed from rows or from other values, marked derived=True.

- child.family_education_activities: the activity rows of a parent-school record
- child.chunlei_girls: the girls listed in a 春蕾 register
- rights.case_closure_rate: closed / received × 100 when the document does not state it
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.document import Table
from extract.numbers import normalise
from extract.pii import ID_SHAPE, NAME_HEADERS

_TOTAL = re.compile(r"合计|总计|小计|以下空白|填表人|审核人|负责人")
_ACTIVITY_HEAD = re.compile(r"时间|日期|活动|主题|内容|授课|课题")


@dataclass
class Derived:
    code: str
    value: float
    measure: str
    snippet: str
    location: str


def _cells(table: Table, r: int) -> list[str]:
    return [normalise(str(v if v is not None else "")).strip() for v in table.frame.iloc[r]]


def _data_rows(table: Table, required_cols: list[int]) -> list[int]:
    """Rows with something in a required column, no total or signature row, no repeated header."""
    header = [str(c) for c in table.frame.columns]
    rows = []
    for r in range(table.frame.shape[0]):
        cells = _cells(table, r)
        if any(_TOTAL.search(c) for c in cells) or cells == header:
            continue
        if any(cells[c] and cells[c] not in ("nan", "None", "—") for c in required_cols):
            rows.append(r)
    return rows


def activity_count(tables: list[Table]) -> Derived | None:
    """Rows of the parent-school activity tables (each row one activity held)."""
    count, where = 0, []
    for table in tables:
        cols = [i for i, h in enumerate(table.frame.columns) if _ACTIVITY_HEAD.search(str(h))]
        if not cols:
            continue
        rows = _data_rows(table, cols)
        count += len(rows)
        where.append(table.location)
    if not where:
        return None
    return Derived("child.family_education_activities", float(count), "次",
                   f"活动记录{count}条", "、".join(where))


def register_count(tables: list[Table], code: str, measure: str = "人") -> Derived | None:
    """People listed in register tables: rows with a name or an ID number."""
    count, where = 0, []
    for table in tables:
        cols = [i for i, h in enumerate(table.frame.columns)
                if any(n in str(h) for n in NAME_HEADERS) and "家长" not in str(h) and "母亲" not in str(h)]
        if not cols:
            cols = [i for i in range(table.frame.shape[1])
                    if any(ID_SHAPE.search(c) for c in (str(v) for v in table.frame.iloc[:, i]))]
        if not cols:
            continue
        count += len(_data_rows(table, cols[:1]))
        where.append(table.location)
    if not where:
        return None
    return Derived(code, float(count), measure, f"登记{count}人", "、".join(where))


def closure_rate(received: float | None, closed: float | None) -> float | None:
    if not received or closed is None or closed > received:
        return None
    return round(closed / received * 100, 2)
