"""The archive facade: database + blob store + unit registry, opened from Settings."""

from __future__ import annotations

from functools import cached_property

from sqlalchemy import select

from archive.audit import AuditLog, now_iso
from archive.blobstore import BlobStore
from archive.db import Database
from archive.models import Unit as UnitRow
from schemas.settings import Settings
from schemas.units import Unit, UnitRegistry, load_registry


class Archive:
    def __init__(self, settings: Settings):
        self.settings = settings
        if settings.db_url.startswith("sqlite"):
            settings.home_dir.mkdir(parents=True, exist_ok=True)
        self.db = Database(settings.db_url)
        self.blobs = BlobStore(settings.blobs, settings.blob_options)
        self.sync_units()

    def audit(self, session) -> AuditLog:  # noqa: ANN001
        return AuditLog(session, self.settings.actor)

    @cached_property
    def registry(self) -> UnitRegistry:
        """The YAML registry plus communities discovered in documents."""
        with self.db.reader() as s:
            rows = s.execute(select(UnitRow)).scalars().all()
        return UnitRegistry(_to_unit(r) for r in rows)

    def refresh_registry(self) -> None:
        self.__dict__.pop("registry", None)

    def sync_units(self) -> None:
        """Insert units of the YAML registry the database lacks, and names it learnt (one event each)."""
        wanted = load_registry().units
        with self.db.reader() as s:
            have = {r.code: set(r.aliases or []) for r in s.execute(select(UnitRow)).scalars()}
        if all(c in have and _yaml_aliases(u) <= have[c] for c, u in wanted.items()):
            return
        with self.db.writer() as s:
            log = self.audit(s)
            rows = {r.code: r for r in s.execute(select(UnitRow)).scalars()}
            for unit in wanted.values():
                row = rows.get(unit.code)
                if row is None:
                    s.add(_from_unit(unit))
                    log.add("unit.registered", f"unit:{unit.code}", name=unit.name, level=unit.level,
                            parent=unit.parent, source="registry")
                elif not _yaml_aliases(unit) <= set(row.aliases or []):
                    added = sorted(_yaml_aliases(unit) - set(row.aliases or []))
                    row.aliases = sorted(set(row.aliases or []) | set(added))
                    log.add("unit.aliases_added", f"unit:{unit.code}", aliases=added, source="registry")
            s.flush()
            log.flush()
        self.refresh_registry()

    def close(self) -> None:
        self.db.dispose()


def _to_unit(row: UnitRow) -> Unit:
    return Unit(code=row.code, name=row.name, level=row.level, parent=row.parent_code,
                aliases=list(row.aliases or []), confirmed=row.confirmed)


def _yaml_aliases(unit: Unit) -> set[str]:
    return {a for a in unit.all_names() if a != unit.name}


def _from_unit(unit: Unit) -> UnitRow:
    return UnitRow(code=unit.code, name=unit.name, level=unit.level, parent_code=unit.parent,
                   aliases=[a for a in unit.all_names() if a != unit.name],
                   confirmed=unit.confirmed, created_at=now_iso())
