"""Who is looking: the viewer every scoped query takes, and what each role may do.

A `unit` user sees its own unit, and a street's user also the street's communities.
The other roles see every unit; what they may do differs (see the `may_*` methods).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, false, select

from archive.models import Unit as UnitRow
from archive.models_accounts import User
from archive.store import Archive

STAFF = ("admin", "archivist")


@dataclass(frozen=True)
class Viewer:
    name: str
    role: str
    units: frozenset[str] | None = None  # None: every unit

    @property
    def actor(self) -> str:
        """The name written into audit events."""
        return f"web:{self.name}"

    def sees(self, unit_code: str | None) -> bool:
        return self.units is None or (unit_code is not None and unit_code in self.units)

    def may_review(self) -> bool:
        return self.role in STAFF

    def may_audit(self) -> bool:
        return self.role in STAFF

    def may_verify(self) -> bool:
        return self.role == "admin"

    def may_recompute(self) -> bool:
        return self.role in (*STAFF, "statistician")

    def may_see_personal_data(self) -> bool:
        """A file's name as received (ID and phone numbers unmasked): staff, on the document's own
        page and in its download; everywhere else, and for every other role, names are masked."""
        return self.role in STAFF

    def may_download(self, pii: bool) -> bool:
        """Originals: staff always; a unit its own files; statistics staff only files without personal data."""
        return self.role in (*STAFF, "unit") or (self.role == "statistician" and not pii)

    def may_build_packets(self) -> bool:
        return self.role in STAFF

    def restrict(self, query: Select, column: ColumnElement) -> Select:
        """The query limited to rows whose unit this viewer sees (rows without a unit: staff only)."""
        if self.units is None:
            return query
        if not self.units:
            return query.where(false())
        return query.where(column.in_(sorted(self.units)))


def viewer_for(archive: Archive, user: User) -> Viewer:
    if user.role != "unit":
        return Viewer(user.name, user.role, None)
    with archive.db.reader() as s:
        children = s.execute(select(UnitRow.code).where(UnitRow.parent_code == user.unit_code)).scalars()
        units = frozenset({user.unit_code or "", *children} - {""})
    return Viewer(user.name, user.role, units)
