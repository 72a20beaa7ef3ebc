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
    "%": (0, None), "‰": (0, 1000), "1/万": (0, 10000), "1/10万": (0, 100000),
    "人": (0, None), "个": (0, None), "件": (0, None), "岁": (0, 150), "年": (0, 30), "女=100": (0, None),
}
RATE_MEASURES = ("%", "‰", "1/万", "1/10万", "女=100")


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
    """Cached: table matching asks for these ~100k times per 200 documents. Keyed as labels
    are, so an alias written with its measure (学前三年毛入园率（%）) is the label written so."""
    return tuple(_label_key(n) for n in (name, *aliases))


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
        return self._index()[0].get(_label_key(label))

    def match_part(self, label: str, whole: str) -> TwoPlansIndicator | None:
        """A 其中 row under the row of `whole`: the one catalog part of it the label names.

        "其中：女性" under 城镇单位从业人员数 is 城镇单位女性从业人员数; ambiguous → None.
        """
        core = _PART_PREFIX.sub("", _label_key(label))
        found = [i for i in self.indicators
                 if i.part_of == whole and core and any(core in n for n in i.names())]
        return found[0] if len(found) == 1 else None

    def match(self, label: str) -> TwoPlansIndicator | None:
        """The indicator a table row label names: exact alias first, then the longest contained
        name that is neither a subgroup of it (农村婴儿死亡率) nor a share of a count
        (未成年人犯罪人数占…比重 is not 未成年人犯罪人数)."""
        exact = self.match_exact(label)
        if exact is not None:
            return exact
        norm = _label_key(label)
        for name, ind in self._index()[1]:
            if name in norm and not _subgroup(norm, name) and not _share_of_count(norm, name, ind):
                return ind
        return None

    def _index(self) -> tuple[dict[str, TwoPlansIndicator], list[tuple[str, TwoPlansIndicator]]]:
        """Exact names → indicator (first in catalog order wins), and every name longest
        first (ties in catalog order): ~120 indicators are matched against every cell."""
        key = id(self)
        cached = _INDEXES.get(key)
        if cached is None or cached[0] is not self or cached[3] != len(self.indicators):
            exact: dict[str, TwoPlansIndicator] = {}
            names: list[tuple[str, TwoPlansIndicator]] = []
            for ind in self.indicators:
                for n in ind.names():
                    exact.setdefault(n, ind)
                    names.append((n, ind))
            names.sort(key=lambda pair: -len(pair[0]))  # stable: catalog order within a length
            cached = (self, exact, names, len(self.indicators))
            _INDEXES[key] = cached
        return cached[1], cached[2]


# id(catalog) → (catalog, exact names, names longest first, size when built); the catalog is
# kept so its id cannot be reused, and a catalog that grew is indexed again.
_INDEXES: dict[int, tuple[TwoPlansCatalog, dict[str, TwoPlansIndicator],
                          list[tuple[str, TwoPlansIndicator]], int]] = {}


# A population named before an indicator makes it another indicator (农村婴儿死亡率 is not 婴儿死亡率).
# A grade or an intake before a name makes another indicator too (中级专业技术人员…, 新录用公务员…).
# A wider area before it is context quoted beside the unit's own figure (全国孕产妇死亡率（对照）).
_SUBGROUP = re.compile(r"城市|农村|城镇|乡村|男性|流动|户籍|留守|城区|郊区|高级|中级|初级|新录用|新提拔|(?:女性|男|女)$"
                       r"|全国|全省|全市|全区|全县")
# … and so does a population written after it: 高中阶段毛入学率（女）, 婴儿死亡率-农村.
_SUBGROUP_AFTER = re.compile(r"^[(\-—:：,，]?(?:其中)?(?:女性|男性|女童|男童|女生|男生|女|男|城市|农村|城镇|乡村)(?!=)"
                             r"|^[(（]?(?:对照|参照|比较|参考)")
# What follows a count's name when the row is a share or rate of it.
_SHARE_AFTER = re.compile(r"占|比例|比重|率|%")
COUNT_MEASURES_OF_CATALOG = ("人", "个", "件")


def _subgroup(label: str, name: str) -> bool:
    at = label.index(name)
    return bool(_SUBGROUP.search(label[:at]) or _SUBGROUP_AFTER.search(label[at + len(name):]))


def _share_of_count(label: str, name: str, ind: TwoPlansIndicator) -> bool:
    """A count's name inside a share or rate row: 未成年人犯罪人数占同期犯罪人数比重."""
    if ind.measure not in COUNT_MEASURES_OF_CATALOG:
        return False
    return bool(_SHARE_AFTER.search(label[label.index(name) + len(name):]))


_PART_PREFIX = re.compile(r"^(其中|内|含)")


def _label_key(label: str) -> str:
    """A row label as compared with catalog names: NFKC, no spaces or colons, no footnote marks
    (*学前教育毛入园率), no measure in brackets at the end (其中:女性(人)), no edge brackets."""
    key = _canon(label).replace(":", "").strip("*※△▲☆★#＊ ")
    return _TRAILING_MEASURE.sub("", key).strip("（）()% ")


_TRAILING_MEASURE = re.compile(r"[（(](?:%|‰|人|个|件|户|名|所|家|次|岁|人次|万人|万元|元|1/10万|/10万|1/万)[)）]$")


# Ways of writing the same name: quotes, 的, 比重/比例, ages in Chinese numerals, 0～6 / 0至6.
_QUOTES = re.compile("[“”‘’\"'《》〈〉「」『』]")
_CN_AGE = re.compile(r"(十八|[一二三五六七])(?=岁|周岁)")
_CN_DIGITS = {"十八": "18", "一": "1", "二": "2", "三": "3", "五": "5", "六": "6", "七": "7"}
_RANGE_DASH = re.compile(r"(?<=\d)\s*[~～\-—–－至到]\s*(?=\d)")


@lru_cache(maxsize=65536)
def _canon(text: str) -> str:
    """How a name is compared: the same indicator written with 的, 比重, 五岁 or 0至6 is one name.

    Both the catalog's names and a table's labels go through this, so aliases need not
    spell out these variants (and stay a list of genuinely different local names).
    """
    s = _QUOTES.sub("", normalise_name(text))
    s = s.replace("的", "").replace("比重", "比例").replace("占比", "比例").replace("周岁", "岁")
    s = _CN_AGE.sub(lambda m: _CN_DIGITS[m.group(1)], s)
    return _RANGE_DASH.sub("-", s)


DEFAULT_PATH = Path(__file__).with_name("two_plans.yaml")


@lru_cache(maxsize=8)
def load_two_plans_catalog(path: str | None = None) -> TwoPlansCatalog:
    raw = yaml.safe_load(Path(path or DEFAULT_PATH).read_text(encoding="utf-8"))
    return TwoPlansCatalog.model_validate(raw)
