"""Two-plans rows that no catalog name matched: the list the catalog grows from."""

from __future__ import annotations

from sqlalchemy import func, select

from archive.queries_data import plan_query
from archive.store import Archive
from extract.pii import mask_name


def unmatched_rows(archive: Archive, year: int | None = None) -> list[dict]:
    """Each name as written (with its measure) that matched no catalog indicator.

    Grouped by name and measure so a local name used by many units shows once, with how
    often, by how many units and one place it was seen, for a person to add as an alias.
    """
    q = plan_query().subquery()
    stmt = (select(q.c.name, q.c.measure, func.count().label("rows"),
                   func.count(func.distinct(q.c.unit)).label("units"),
                   func.min(q.c.year).label("first_year"), func.max(q.c.year).label("last_year"),
                   func.min(q.c.source_path).label("example_path"),
                   func.min(q.c.location).label("example_location"))
            .where(q.c.code == "").group_by(q.c.name, q.c.measure)
            .order_by(func.count().desc(), q.c.name))
    if year is not None:
        stmt = stmt.where(q.c.year == year)
    with archive.db.reader() as s:
        rows = [dict(r._mapping) for r in s.execute(stmt)]
    return [{**r, "example_path": mask_name(r["example_path"])} for r in rows]
