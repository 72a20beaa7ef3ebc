"""Which federation a document belongs to, and where that was read.

Evidence, strongest first: the channel's claim, the folder path, the file name, the title,
the page header, the signature (落款), the body. Units merely mentioned in the body
("与泉城路街道联合举办", "报区妇联") are not the author. A community the registry does not
know, named together with its street, is reported as a new community, never as its street.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schemas.units import Unit, UnitRegistry, normalise_name

STRONG = ("channel", "folder", "file name", "title", "header", "signature")
_HAN = "\u4e00-\u9fa5"
# What may follow a street's name to form a community: 芙蓉街社区, 燕子山社区居委会
_COMMUNITY_AFTER = re.compile(rf"(?:办事处|办)?([{_HAN}]{{1,8}}?社区)(妇女联合会|妇联|妇代会|居委会|居民委员会)?")
_COMMUNITY_ALONE = re.compile(rf"^([{_HAN}]{{2,8}}?社区)(妇女联合会|妇联|妇代会)")
_FOLDER_COMMUNITY = re.compile(rf"^([{_HAN}]{{2,8}}?社区)(妇女联合会|妇联|妇代会|居委会)?$")  # a folder is a name
# Words before a unit's name that make it a partner, addressee or superior, not the author.
_MENTION_BEFORE = ("与", "和", "同", "向", "报", "协助", "配合", "联合", "会同", "及", "、", "在", "请", "经",
                   "指导", "带领", "参加", "送", "交", "给", "对")
_MENTION_AFTER = ("联合", "共同", "的指导", "指导", "组织的", "交办", "下发", "转发")


@dataclass
class Claim:
    source: str  # one of STRONG or "body"
    unit: str | None = None  # registry code
    community: dict | None = None  # a community the registry lacks


@dataclass
class Who:
    unit: str | None = None
    evidence: str | None = None
    new_community: dict | None = None
    problems: list[str] = field(default_factory=list)


# A community's name is a proper noun: 2–6 characters before 社区, not a phrase that starts with
# a verb or a function word (督促社区, 带领社区, 组织各社区, 在芙蓉街社区, 辖区社区 are not names).
_NOT_A_NAME = re.compile(
    r"^(?:督促|带领|组织|指导|要求|协助|配合|联合|召集|动员|发动|通知|帮助|推动|引导|深入|走进|进入|来到|前往|"
    r"到|在|于|对|向|为|与|和|及|同|由|把|将|让|给|从|包括|涉及|覆盖|所有|全部|各个|各|全|本|该|此|每个|每|"
    r"辖区|所辖|下属|所属|部分|有关|相关|其他|多个|全体|城市|农村|示范|试点|重点|和谐|文明|先进|优秀|星级)")
_NAME_LEN = (2, 6)


def proper_community(base: str) -> bool:
    """Whether "XX社区" reads as a community's name, not a phrase of the sentence."""
    name = base[:-2] if base.endswith("社区") else base
    return (_NAME_LEN[0] <= len(name) <= _NAME_LEN[1] and not _NOT_A_NAME.search(name)
            and not re.search(r"[的了着过和与及等个各]", name))


def _community(reg: UnitRegistry, street: Unit, rest: str) -> Claim | None:
    m = _COMMUNITY_AFTER.match(rest)
    if not m:
        return None
    base = m.group(1)
    if not reg.by_name(base) and not reg.by_name(base + "妇联") and not proper_community(base):
        return None
    known = reg.by_name(base) or reg.by_name(base + "妇联")
    if known and known.level == "community":
        return Claim("", unit=known.code)
    name = base + "妇联"
    return Claim("", community={"name": name, "parent": street.code,
                                "full_name": (street.base or street.name) + "街道" + name})


def claims_in(reg: UnitRegistry, text: str, source: str, first_only: bool = True) -> list[Claim]:
    """Units named in text as author candidates (communities attached to their street)."""
    norm = normalise_name(text)
    out: list[Claim] = []
    alone = _FOLDER_COMMUNITY if source == "folder" else _COMMUNITY_ALONE
    if (m := alone.match(norm)) and not reg.find_all(m.group(1)) and (
            proper_community(m.group(1)) or reg.by_name(m.group(1) + "妇联")):
        known = reg.by_name(m.group(1) + "妇联")
        out.append(Claim(source, unit=known.code) if known else
                     Claim(source, community={"name": m.group(1) + "妇联", "parent": None,
                                              "full_name": m.group(1) + "妇联"}))
    for pos, unit, alias in reg.find_all(norm):
        if _is_mention(norm, pos, pos + len(alias)):
            continue
        claim = Claim(source, unit=unit.code)
        if unit.level == "street":
            found = _community(reg, unit, norm[pos + len(alias):])
            if found:
                claim = Claim(source, unit=found.unit, community=found.community)
        out.append(claim)
    if first_only:
        return out[:1]
    return out


def _is_mention(text: str, start: int, end: int) -> bool:
    before, after = text[max(0, start - 4):start], text[end:end + 4]
    return any(before.endswith(w) for w in _MENTION_BEFORE) or any(after.startswith(w) for w in _MENTION_AFTER)


def _key(c: Claim) -> str:
    return c.unit or "new:" + c.community["name"]  # type: ignore[index]


def _compatible(reg: UnitRegistry, a: Claim, b: Claim) -> bool:
    """Same unit, or one is an ancestor of the other (a street folder holding its community's file)."""
    if _key(a) == _key(b):
        return True
    for lone, other in ((a, b), (b, a)):  # a community named alone takes its street from the others
        if lone.community and lone.community.get("parent") is None and other.unit:
            return reg.get(other.unit).level in ("street", "district")  # type: ignore[union-attr]
    ua, ub = _lineage(reg, a), _lineage(reg, b)
    return _key(a) in ub or _key(b) in ua


def _lineage(reg: UnitRegistry, c: Claim) -> list[str]:
    """The claim and its ancestors, as keys."""
    if c.community:
        parent = c.community.get("parent")
        return [_key(c)] + ([parent] + [u.code for u in reg.ancestors(parent)] if parent else [])
    return [c.unit] + [u.code for u in reg.ancestors(c.unit)]  # type: ignore[arg-type]


def _depth(reg: UnitRegistry, c: Claim) -> int:
    if c.community and c.community.get("parent") is None:
        return 3  # a community sits below a street, whatever street it turns out to be
    return len(_lineage(reg, c))


def decide(reg: UnitRegistry, claims: list[Claim]) -> Who:
    """Strong claims must agree (up to ancestry); the most specific wins. Body only as a fallback,
    and only for units the registry knows: a community first seen in a body sentence is not
    registered on that evidence (it may be where a street held an activity)."""
    strong = [c for c in claims if c.source in STRONG]
    pool = strong or [c for c in claims if c.source == "body" and c.unit][:1]
    if not pool:
        return Who(problems=["unit_unknown"])
    for i, a in enumerate(pool):
        if any(not _compatible(reg, a, b) for b in pool[i + 1:]):
            return Who(evidence=",".join(dict.fromkeys(c.source for c in pool)), problems=["unit_conflict"])
    best = max(pool, key=lambda c: (_depth(reg, c), -STRONG.index(c.source) if c.source in STRONG else -9))
    if best.community:
        community = dict(best.community)
        if community.get("parent") is None:  # a lone community: its street comes from the other claims
            streets = [c.unit for c in pool if c.unit and reg.get(c.unit).level == "street"]  # type: ignore[union-attr]
            community["parent"] = streets[0] if streets else None
            if streets:
                street = reg.get(streets[0])
                community["full_name"] = (street.base or "") + "街道" + community["name"]  # type: ignore[union-attr]
        return Who(evidence=best.source, new_community=community, problems=["new_community"])
    return Who(unit=best.unit, evidence=best.source)


_STREET_LIKE = re.compile(rf"([{_HAN}]{{2,4}}?)街道")


def fuzzy_claims(reg: UnitRegistry, lines: list[str], source: str) -> list[Claim]:
    """OCR misreads a character (旬柳街道 for 甸柳街道): a street base one character off, if unique."""
    streets = [u for u in reg.units.values() if u.level == "street" and u.base]
    for line in lines:
        for m in _STREET_LIKE.finditer(normalise_name(line)):
            text = m.group(1)
            near = [u for u in streets if _one_off(text[-len(u.base):], u.base)]  # type: ignore[arg-type]
            longest = max((len(u.base) for u in near), default=0)  # type: ignore[arg-type]
            near = [u for u in near if len(u.base) == longest]  # type: ignore[arg-type]
            if len(near) == 1:  # 干佛山 is 千佛山, not 燕山 one character off in 佛山
                return [Claim(source, unit=near[0].code)]
    return []


def _one_off(a: str, b: str) -> bool:
    return len(a) == len(b) >= 2 and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _folder_parts(source_path: str | None) -> list[str]:
    if not source_path:
        return []
    parts = re.split(r"[\\/]", source_path)
    return [p for p in parts[:-1] if p]


def identify(reg: UnitRegistry, *, claimed: str | None, source_path: str | None, name: str,
             title: str | None, header: list[str], signature: list[str], body: str,
             approximate: bool = False) -> Who:
    """Gather the claims from every source and decide; `approximate` (OCR) allows one misread character."""
    claims: list[Claim] = []
    if claimed and reg.get(claimed):
        claims.append(Claim("channel", unit=claimed))
    for part in reversed(_folder_parts(source_path)):  # the innermost folder is the most specific
        found = claims_in(reg, part, "folder")
        claims += found
        if found and not (found[0].community and found[0].community.get("parent") is None):
            break  # a lone community folder looks further out for its street
    claims += claims_in(reg, re.split(r"[\\/]", name)[-1], "file name")
    if title:
        claims += claims_in(reg, title, "title")
    for line in header:
        claims += claims_in(reg, line, "header")
    for line in signature:
        found = claims_in(reg, line, "signature")
        if found:
            claims += found
            break
    claims += _body_claims(reg, body)
    who = decide(reg, claims)
    if approximate and who.problems == ["unit_unknown"]:
        near = fuzzy_claims(reg, [t for t in (title, *header, *signature) if t], "ocr")
        if near:
            return Who(unit=near[0].unit, evidence="ocr (approximate)")
    return who


def _body_claims(reg: UnitRegistry, body: str) -> list[Claim]:
    """The unit the body names most often as an author (not as a partner or addressee)."""
    found = claims_in(reg, body[:5000], "body", first_only=False)
    # a community the registry lacks, named in the body, stands for its street (where it was held)
    found = [c if c.unit else Claim("body", unit=(c.community or {}).get("parent")) for c in found]
    found = [c for c in found if c.unit]
    # the district is named in nearly every body ("历下区妇联组织的…"): prefer a lower unit
    found = [c for c in found if not c.unit or reg.get(c.unit).level != "district"] or found  # type: ignore[union-attr]
    counts: dict[str, int] = {}
    for c in found:
        counts[_key(c)] = counts.get(_key(c), 0) + 1
    found.sort(key=lambda c: -counts[_key(c)])
    return found[:1]
