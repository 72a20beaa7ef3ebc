"""Loader for the two-plans statistics catalog (schemas/two_plans.yaml)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from schemas.units import normalise_name

# The range a measure itself allows, before any indicator-specific bound.
# A percentage has no ceiling of its own: the indicator's `max` says whether it is a share
# (≤ 100) or, like a gross enrolment rate, may pass 100.
MEASURE_RANGES: dict[str, tuple[float, float | None]] = {
    "%": (0, None), "‰": (0, 1000), "1/10万": (0, 100000),
    "人": (0, None), "个": (0, None), "件": (0, None), "岁": (0, 150), "女=100": (0, None),
}
RATE_MEASURES = ("%", "‰", "1/10万", "女=100")


class RateOf(BaseModel):
    numerator: str
    denominator: str
    scale: float


class TwoPlansIndicator(BaseModel):
    code: str
    plan: str  # women | children
    area: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    measure: str
    target: str | None = None
    target_op: str | None = None
    target_value: float | None = None
    max: float | None = None  # the ceiling of the definition (100 for shares); None: the measure's
    valid: tuple[float, float] | None = None
    part_of: str | None = None
    rate_of: RateOf | None = None
    change_bound: float | None = None

    @property
    def is_rate(self) -> bool:
        return self.measure in RATE_MEASURES

    def names(self) -> tuple[str, ...]:
        return _normalised_names(self.name, tuple(self.aliases))


@lru_cache(maxsize=4096)
def _normalised_names(name: str, aliases: tuple[str, ...]) -> tuple[str, ...]:
    """Cached: table matching asks for these ~100k times per 200 documents."""
    return tuple(normalise_name(n) for n in (name, *aliases))


class TwoPlansCatalog(BaseModel):
    plans: dict[str, str] = Field(default_factory=dict)
    default_change_bound: dict[str, float] = Field(default_factory=lambda: {"rate": 0.5, "count": 1.0})
    indicators: list[TwoPlansIndicator]

    def get(self, code: str) -> TwoPlansIndicator | None:
        return next((i for i in self.indicators if i.code == code), None)

    def change_bound(self, ind: TwoPlansIndicator) -> float:
        if ind.change_bound is not None:
            return ind.change_bound
        return self.default_change_bound["rate" if ind.is_rate else "count"]

    def match_exact(self, label: str) -> TwoPlansIndicator | None:
        """The indicator whose name or alias the label is, exactly (after normalising)."""
        norm = _label_key(label)
        return next((i for i in self.indicators if norm in i.names()), None)

    def match_part(self, label: str, whole: str) -> TwoPlansIndicator | None:
        """A 其中 row under the row of `whole`: the one catalog part of it the label names.

        "其中：女性" under 城镇单位从业人员数 is 城镇单位女性从业人员数; ambiguous → None.
        """
        core = _PART_PREFIX.sub("", _label_key(label))
        found = [i for i in self.indicators
                 if i.part_of == whole and core and any(core in n for n in i.names())]
        return found[0] if len(found) == 1 else None

    def match(self, label: str) -> TwoPlansIndicator | None:
        """The indicator a table row label names: exact alias first, then the longest contained name."""
        exact = self.match_exact(label)
        if exact is not None:
            return exact
        norm = _label_key(label)
        best: tuple[int, TwoPlansIndicator] | None = None
        for ind in self.indicators:
            for name in ind.names():
                if name in norm and (best is None or len(name) > best[0]) and not _subgroup(norm, name):
                    best = (len(name), ind)
        return best[1] if best else None


# A population named before an indicator makes it another indicator (农村婴儿死亡率 is not 婴儿死亡率).
_SUBGROUP = re.compile(r"城市|农村|城镇|乡村|男性|流动人口|户籍|留守|城区|郊区|(?:女性|男|女)$")


def _subgroup(label: str, name: str) -> bool:
    return bool(_SUBGROUP.search(label[:label.index(name)]))


_PART_PREFIX = re.compile(r"^(其中|内|含)")


def _label_key(label: str) -> str:
    """A row label as compared with catalog names: NFKC, no spaces or colons, no edge brackets."""
    return normalise_name(label).replace(":", "").strip("（）()% ")


DEFAULT_PATH = Path(__file__).with_name("two_plans.yaml")


@lru_cache(maxsize=8)
def load_two_plans_catalog(path: str | None = None) -> TwoPlansCatalog:
    raw = yaml.safe_load(Path(path or DEFAULT_PATH).read_text(encoding="utf-8"))
    return TwoPlansCatalog.model_validate(raw)
