"""The unit registry: federations, their levels, parents and the names they go by."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

LEVELS = ("district", "street", "community", "two_new", "member_unit")
STREET_SUFFIXES = ("街道办事处妇联", "街道办事处妇女联合会", "街道妇女联合会", "街道妇联", "街道办事处", "街道")
# Short forms people also sign with (甸柳妇联, 姚家办事处妇联): names, not suffixes to strip.
STREET_SHORT_FORMS = ("办事处妇联", "街道办妇联", "街办妇联", "妇联")
COMMUNITY_SUFFIXES = ("社区妇女联合会", "社区妇联", "社区妇代会", "社区")


def normalise_name(text: str) -> str:
    """NFKC (full-width to half-width), no whitespace: how names are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


class Unit(BaseModel):
    code: str
    name: str
    level: str
    parent: str | None = None  # parent's code
    aliases: list[str] = Field(default_factory=list)
    base: str | None = None  # the place name without suffixes (解放路)
    confirmed: bool = True  # False for a community found in a document, not yet confirmed

    def all_names(self) -> list[str]:
        names = {self.name, *self.aliases}
        if self.base and self.level == "street":
            names.update(self.base + s for s in STREET_SUFFIXES + STREET_SHORT_FORMS)
        if self.base and self.level == "community":
            names.update(self.base + s for s in COMMUNITY_SUFFIXES)
        return sorted((normalise_name(n) for n in names), key=len, reverse=True)


class UnitRegistry:
    """Lookup by code or by any alias; longest alias wins when matching text."""

    def __init__(self, units: Iterable[Unit]):
        self.units: dict[str, Unit] = {}
        self._alias: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None
        for unit in units:
            self.add(unit)

    def add(self, unit: Unit) -> None:
        self.units[unit.code] = unit
        for alias in unit.all_names():
            self._alias.setdefault(alias, unit.code)
        self._pattern = None

    def get(self, code: str) -> Unit | None:
        return self.units.get(code)

    def by_name(self, name: str) -> Unit | None:
        code = self._alias.get(normalise_name(name))
        return self.units.get(code) if code else None

    def children(self, code: str) -> list[Unit]:
        return [u for u in self.units.values() if u.parent == code]

    def ancestors(self, code: str) -> list[Unit]:
        out, unit = [], self.units.get(code)
        while unit and unit.parent:
            unit = self.units.get(unit.parent)
            if unit:
                out.append(unit)
        return out

    def find_all(self, text: str) -> list[tuple[int, Unit, str]]:
        """Every alias occurring in text, as (position, unit, alias), longest alias first at a spot."""
        if self._pattern is None:
            aliases = sorted(self._alias, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(a) for a in aliases))
        norm = normalise_name(text)
        return [(m.start(), self.units[self._alias[m.group()]], m.group())
                for m in self._pattern.finditer(norm)]

    def find(self, text: str) -> Unit | None:
        """The most specific unit named in text (a community beats its street)."""
        hits = self.find_all(text)
        if not hits:
            return None
        depth = {u.code: len(self.ancestors(u.code)) for _, u, _ in hits}
        return max(hits, key=lambda h: (depth[h[1].code], len(h[2]), -h[0]))[1]


def _read(path: Path) -> list[Unit]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    units: list[Unit] = []

    def walk(node: dict, level: str, parent: str | None) -> None:
        children = node.pop("children", [])
        node.setdefault("level", level)
        units.append(Unit(parent=parent, **node))
        child_level = {"district": "street", "street": "community"}.get(level, "community")
        for child in children:
            walk(dict(child), child.get("level", child_level), node["code"])

    walk(dict(data["district"]), "district", None)
    for extra in data.get("others", []):  # 两新组织, 妇儿工委成员单位 under the district
        walk(dict(extra), extra["level"], extra.get("parent", data["district"]["code"]))
    return units


DEFAULT_PATH = Path(__file__).with_name("units.yaml")


@lru_cache(maxsize=8)
def load_registry(path: str | None = None) -> UnitRegistry:
    return UnitRegistry(_read(Path(path) if path else DEFAULT_PATH))
