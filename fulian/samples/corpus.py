"""A corpus of ~100 documents in every format with ground truth, for accuracy tests.

Ground truth is what a careful reader takes from each document: the author unit
(or a community the registry lacks, with its street), the period, the type, the
indicator values stated for that unit and period (never targets, last year's or
next year's figures, a community's share, or counts of other things), two-plans
rows for every year column, and whether personal data (ID or phone numbers) appear.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

from fulian.samples import documents as d
from fulian.samples import tables as t
from fulian.samples.render import Renderer
from fulian.samples.text import COMMUNITIES, streets

MANIFEST = "manifest.json"
FORMATS = {"docx": "docx", "doc": "doc", "pdf": "pdf", "scan": "pdf_scanned", "xlsx": "xlsx",
           "xls": "xls", "csv": "csv", "csv-bom": "csv", "csv-gbk": "csv"}
# doc type -> how many, and the formats to draw from
MIX: list[tuple[str, int, tuple[str, ...]]] = [
    ("work_summary", 30, ("docx", "docx", "docx", "doc", "pdf", "pdf")),
    ("work_summary_h1", 6, ("docx", "pdf", "doc")),
    ("work_summary_scan", 3, ("scan",)),
    ("info_report", 12, ("docx", "docx", "pdf", "doc")),
    ("info_report_scan", 1, ("scan",)),
    ("two_plans_statistics", 14, ("xlsx", "xlsx", "xls", "docx", "csv-gbk", "csv-bom")),
    ("two_plans_summary", 2, ("xlsx", "xls")),
    ("petition_report", 8, ("xlsx", "xls", "docx", "csv")),
    ("chunlei_register", 6, ("xlsx", "docx", "xls")),
    ("single_mother_register", 5, ("xlsx", "xls", "docx", "csv-gbk")),
    ("parent_school_record", 8, ("docx", "xlsx", "pdf", "csv-bom")),
    ("news_clipping", 5, ("pdf", "docx")),
    ("other", 3, ("docx", "pdf")),
]
NUMBER_STYLES = [("arabic",), ("arabic",), ("arabic", "comma"), ("arabic", "fullwidth"), ("arabic", "chinese")]
CONTENT_PLACES = ("title", "header", "signature")
INBOXES = ("收件箱", "2013年上报材料", "邮件附件")


@dataclass
class CorpusItem:
    path: Path  # absolute path of the file
    source_path: str  # path relative to the corpus folder (what a drop-folder connector sees)
    format: str  # docx, doc, pdf, pdf_scanned, xlsx, xls, csv
    unit: str | None  # registry code of the author; None for a new community or unknown
    new_community: str | None  # full name of a community the registry lacks
    community_parent: str | None  # that community's street code
    period: str  # 2013, 2013-H1, 2013-Q3, 2013-05
    doc_type: str
    indicators: dict[str, float | bool] = field(default_factory=dict)
    two_plans: list[tuple[str | None, str, int, float | None]] = field(default_factory=list)
    pii: bool = False
    unit_place: str = ""  # where the author is named: folder, file name, title, header, signature
    title: str = ""

    def to_json(self) -> dict:
        data = asdict(self)
        data["path"] = self.source_path
        data["two_plans"] = [list(row) for row in self.two_plans]
        return data

    @classmethod
    def from_json(cls, data: dict, folder: Path) -> CorpusItem:
        data = dict(data)
        data["path"] = folder / data["source_path"]
        data["two_plans"] = [tuple(row) for row in data["two_plans"]]
        return cls(**data)


def _author(rng: random.Random, allow_community: bool = True) -> d.Author:
    street = rng.choice(streets())
    if allow_community and rng.random() < 0.15:
        return d.community_author(street, rng.choice(COMMUNITIES[street]))
    return d.street_author(street, rng.choice([0, 0, 0, 1, 2, 3]))


def _draft(rng: random.Random, kind: str, author: d.Author, show: set[str]) -> d.Draft:
    year = 2013 if rng.random() < 0.85 else 2012
    street = author.parent or author.unit or ""
    if kind.startswith("work_summary"):
        styles = ("arabic",) if kind.endswith("scan") else rng.choice(NUMBER_STYLES)
        part = rng.choice(COMMUNITIES[street]) if not author.is_community and rng.random() < 0.5 else None
        others = [s for s in streets() if s != street]
        partner = d.street_author(rng.choice(others)).name if rng.random() < 0.2 else None
        return d.work_summary(rng, author, year, show, half=kind.endswith("h1"), styles=styles,
                              part=part, partner=partner)
    if kind.startswith("info_report"):
        return d.info_report(rng, author, year, rng.randint(1, 12), show)
    if kind == "two_plans_statistics":
        return t.two_plans_table(rng, author, year, show, layout=rng.choice(["merged", "years", "years_rev", "plain"]))
    if kind == "two_plans_summary":
        units = [(s, d.street_author(s).name.removesuffix("妇联")) for s in rng.sample(streets(), k=4)]
        return t.two_plans_summary(rng, d.Author("历下区妇联", "lixia"), year, units)
    builders = {
        "petition_report": lambda: t.petition_report(rng, author, year, rng.randint(1, 4), show),
        "chunlei_register": lambda: t.chunlei_register(rng, author, year, show),
        "single_mother_register": lambda: t.single_mother_register(rng, author, year, show),
        "parent_school_record": lambda: t.parent_school_record(rng, author, year, show),
        "news_clipping": lambda: d.news_clipping(rng, author, year, rng.randint(1, 12)),
        "other": lambda: d.other_document(rng, author, year, show),
    }
    return builders[kind]()


GENERIC_NAMES = {
    "work_summary": ("工作总结", "年度工作总结", "总结材料"), "info_report": ("工作信息", "工作动态", "简报"),
    "two_plans_statistics": ("两规统计监测表", "监测表", "两规报表"), "petition_report": ("信访报表", "信访统计"),
    "chunlei_register": ("春蕾女童登记表",), "single_mother_register": ("单亲特困母亲台账",),
    "parent_school_record": ("家长学校活动记录",), "news_clipping": ("报道", "媒体报道"), "other": ("材料", "报告"),
}


def _name_for(rng: random.Random, draft: d.Draft) -> str:
    """A file name without the unit: type word plus the period as people write it."""
    word = rng.choice(GENERIC_NAMES[draft.doc_type])
    year, _, rest = draft.period.partition("-")
    when = {"H": f"{year}年上半年", "Q": f"{year}年第{rest[1:]}季度"}.get(rest[:1], f"{year}年")
    if rest[:1] not in ("H", "Q") and rest:
        when = f"{int(rest)}月份"
    if rest.startswith("H") and word.startswith("年度"):
        word = word[2:]
    if when.endswith("年") and word.startswith("年"):
        when = when[:-1]
    return f"{when}{word}" if rng.random() < 0.8 else word


def _place(rng: random.Random, draft_kind: str) -> tuple[str, set[str]]:
    """Where the author will be named, and what the content shows."""
    if draft_kind == "two_plans_summary":
        return "title", {"title"}
    where = rng.choice(["folder", "folder", "file name", *CONTENT_PLACES, *CONTENT_PLACES])
    if where in CONTENT_PLACES:
        extra = {p for p in CONTENT_PLACES if rng.random() < 0.3}
        return where, {where, *extra} | ({"body"} if rng.random() < 0.3 else set())
    return where, set()


def _target(folder: Path, rng: random.Random, draft: d.Draft, where: str, suffix: str,
            used: set[Path]) -> Path:
    stem = _name_for(rng, draft)
    if where == "folder":
        path = folder / draft.author.name / f"{stem}{suffix}"
    elif where == "file name":
        path = folder / rng.choice(INBOXES) / f"{draft.author.name}{stem}{suffix}"
    else:
        path = folder / rng.choice(INBOXES) / f"{stem}{suffix}"
    n = 1
    while path in used:
        n += 1
        path = path.with_name(f"{stem}({n}){suffix}")
    used.add(path)
    return path


def build_corpus(folder: Path, seed: int = 7) -> list[CorpusItem]:
    """Write the corpus under `folder`, its ground truth to folder/manifest.json, and return it."""
    rng = random.Random(seed)
    renderer, items, used = Renderer(), [], set()
    from fulian.samples.render import KINDS

    for draft_kind, count, kinds in MIX:
        for _ in range(count):
            where, show = _place(rng, draft_kind)
            draft = _draft(rng, draft_kind, _author(rng, draft_kind != "two_plans_summary"), show)
            kind = rng.choice(kinds)
            path = _target(folder, rng, draft, where, KINDS[kind], used)
            renderer.write(path, draft.content, kind)
            a = draft.author
            items.append(CorpusItem(
                path=path, source_path=path.relative_to(folder).as_posix(), format=FORMATS[kind],
                unit=a.unit, new_community=a.community, community_parent=a.parent, period=draft.period,
                doc_type=draft.doc_type, indicators=dict(draft.indicators), two_plans=list(draft.two_plans),
                pii=draft.pii, unit_place=where, title=getattr(draft.content, "title", "") or ""))
    renderer.flush()
    write_manifest(folder, items)
    return items


def write_manifest(folder: Path, items: list[CorpusItem]) -> Path:
    path = folder / MANIFEST
    path.write_text(json.dumps([i.to_json() for i in items], ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def load_corpus(folder: Path) -> list[CorpusItem]:
    """The ground truth written by build_corpus, paths resolved against `folder`."""
    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    return [CorpusItem.from_json(row, folder) for row in data]
