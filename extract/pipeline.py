"""Bytes + hints → `Extraction`: sniff, read, then the semantic steps, each small and pure.

`extract_document` is what the flows call in worker processes; `extract_read` runs the
semantics alone on a `ReadResult` (tests, re-extraction with a new extractor version).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract import derived, narrative, ocr_confidence, tables, two_plans
from extract.doctype import classify, is_correction, is_plan
from extract.document import Block, ReadResult
from extract.periods import Period, determine, item_period
from extract.pii import mask, scan
from extract.version import EXTRACTOR_VERSION
from extract.who import identify
from schemas.doc_types import load_doc_types
from schemas.extraction import Evidence, ExtractError, Extraction, Hints, IndicatorValue
from schemas.indicators import IndicatorCatalog, load_indicator_catalog
from schemas.settings import Settings
from schemas.two_plans import load_two_plans_catalog
from schemas.units import load_registry

_TEXT_KINDS = ("paragraph", "heading", "title", "ocr_line")
_GRANULARITY = {"month": "month", "quarter": "quarter", "half": "year", "year": "year"}
_ITEMS = ("info_report", "news_clipping")  # dated items: their month, from their own dates
_REGISTERS = ("chunlei_register", "single_mother_register", "parent_school_record", "two_plans_statistics")


def extract_document(data: bytes, hints: Hints, sha256: str, kind: str | None = None) -> Extraction:
    """Sniff (unless kind is given), read, extract. Raises ExtractError for unreadable files."""
    from extract.readers import read
    from extract.sniff import sniff

    if kind is None:
        fields = Settings.model_fields
        sniffed = sniff(data, hints.name, max_unzipped=fields["max_unzipped_size"].default,
                        max_ratio=fields["max_zip_ratio"].default)
        if sniffed.reason or not sniffed.kind:
            raise ExtractError(sniffed.reason or "unsupported", getattr(sniffed, "detail", "") or hints.name)
        kind = sniffed.kind
    return extract_read(read(data, kind), hints, sha256)


@dataclass
class _Parts:
    title: str | None
    head: list[str]
    tail: list[str]
    header: list[str]
    form: list[str]  # 填报单位：… lines of forms and sheets
    body_blocks: list[Block]
    body: str


_TITLE_WORDS = re.compile(r"总结|汇报|报告|信息|简报|动态|统计|报表|监测|登记|台账|记录|通知|意见|方案|报道|情况")
_PAGE_MARK = re.compile(r"^[-—\s]*(?:第\s*\d+\s*页.*|\d+)[-—\s]*$")
_FORM_DATE = re.compile(r"(?:填报|报送|上报|制表|填表|打印)(?:时间|日期)")  # when it was filed, not what about
_FORM_UNIT = re.compile(r"(?:填报|报送|上报|申报|制表)单位\s*[:：]\s*(\S.*)")


_HEAD_MARK = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])")


def join_lines(blocks: list[Block]) -> list[Block]:
    """Wrapped lines joined into paragraphs: a sentence broken over OCR lines, or over two PDF
    paragraphs at a line or page end, is one sentence again (so "完成率达" meets its "100%")."""
    out: list[Block] = []
    run: list[Block] = []

    def flush() -> None:
        if len(run) == 1:
            out.append(run[0])
        elif run:
            out.append(Block("".join(b.text.strip() for b in run), f"{run[0].location}—{run[-1].location}",
                             "paragraph", run[0].page))
        run.clear()

    for b in blocks:
        if b.kind not in ("ocr_line", "paragraph"):
            flush()
            out.append(b)
            continue
        ocr = b.kind == "ocr_line"
        if run and (_HEAD_MARK.match(b.text) or (ocr and run[-1].page != b.page)):
            flush()
        run.append(b)
        text = b.text.strip()
        if text.endswith(("。", "！", "？", "；", ";", "：", ":")) or len(text) < (12 if ocr else 20):
            flush()
    flush()
    return out


def _guess_title(blocks: list[Block]) -> str | None:
    """Among the opening short lines, the one that reads like a title (…工作总结, …登记表)."""
    lines = [b.text.strip() for b in blocks[:6]]
    lines = [t for t in lines if t and len(t) <= 50 and not t.endswith(("。", "：", ":"))
             and not _PAGE_MARK.match(t) and not _FORM_UNIT.match(t)]
    return next((t for t in lines if _TITLE_WORDS.search(t)), lines[0] if lines else None)


def _parts(result: ReadResult) -> _Parts:
    text_blocks = [b for b in result.blocks if b.text.strip() and b.kind in _TEXT_KINDS]
    title = result.title or next((b.text for b in text_blocks if b.kind == "title"), None)
    if not title:  # sheets and CSV files carry their title in the first cell
        title = _guess_title(text_blocks or [b for b in result.blocks if b.text.strip()])
    title = title.strip() if title else None
    # a unit's name alone above the title is a page header as PDF and OCR render it
    top = [b.text.strip() for b in text_blocks[:3] if b.text.strip() != title]
    header = [b.text for b in result.blocks if b.kind == "header"]
    header += [t for t in top[:2] if len(t) <= 25 and not re.search(r"\d|[:：。，]", t)]
    return _Parts(
        title=title,
        head=[b.text.strip() for b in text_blocks[:3]
              if len(b.text) <= 40 and "。" not in b.text and not _FORM_DATE.search(b.text)],
        tail=[b.text.strip() for b in text_blocks[-6:]],
        header=header,
        form=[m.group(1) for b in result.blocks if (m := _FORM_UNIT.search(b.text))],
        body_blocks=join_lines(text_blocks),
        body="\n".join(b.text for b in text_blocks),
    )


def _signature_lines(tail: list[str]) -> list[str]:
    """Short closing lines, last first: where the 落款 names its author (a sentence is body)."""
    return [t for t in reversed(tail) if len(t) <= 40 and not re.search(r"[。！？，,；]", t)]


def _evidence(sha256: str, location: str, snippet: str, confidence: float) -> Evidence:
    return Evidence(sha256=sha256, location=location, snippet=snippet[:500],
                    extractor_version=EXTRACTOR_VERSION, confidence=round(confidence, 3))


def _indicators(result: ReadResult, parts: _Parts, doc_type: str, year: int | None,
                catalog: IndicatorCatalog, sha256: str, outer: re.Pattern[str] | None) -> list[IndicatorValue]:
    """Stated values (tables, sentences); derived ones only where nothing is stated."""
    chosen: dict[str, tuple[float, float | bool, str, str, bool]] = {}

    def offer(code: str, value: float | bool, conf: float, snippet: str, location: str, is_derived: bool) -> None:
        if code not in chosen or conf > chosen[code][0]:
            chosen[code] = (conf, value, snippet, location, is_derived)

    if doc_type not in _REGISTERS or doc_type == "two_plans_statistics":
        # in a monitoring table, a row the two-plans catalog names is that catalog's; the others
        # (a 维权 section: 受理, 办结, 办结率) are the unit's work like any table's rows
        skip = load_two_plans_catalog().match if doc_type == "two_plans_statistics" else None
        for tv in tables.extract(result.tables, catalog, parts.title, year, skip):
            offer(tv.code, tv.value, tv.confidence, tv.snippet, tv.location, False)
    for f in narrative.extract(parts.body_blocks, catalog, year, outer):
        offer(f.code, f.value, f.confidence, f.snippet, f.location, False)
    for d in _derived(result, doc_type, chosen):
        if d.code not in chosen:
            offer(d.code, d.value, 0.9, d.snippet, d.location, True)
    out = []
    for code, (conf, value, snippet, location, is_derived) in chosen.items():
        ind = catalog.get(code)
        out.append(IndicatorValue(code=code, name=ind.name, value=value, measure=ind.measure,
                                  derived=is_derived, evidence=_evidence(sha256, location, snippet, conf)))
    return out


def _derived(result: ReadResult, doc_type: str, chosen: dict) -> list[derived.Derived]:
    out = []
    if doc_type == "parent_school_record" and (d := derived.activity_count(result.tables)):
        out.append(d)
    if doc_type == "chunlei_register" and (d := derived.register_count(result.tables, "child.chunlei_girls")):
        out.append(d)
    received = chosen.get("rights.cases_received")
    closed = chosen.get("rights.cases_closed")
    rate = derived.closure_rate(received[1] if received else None, closed[1] if closed else None)
    if rate is not None:
        out.append(derived.Derived("rights.case_closure_rate", rate, "%",
                                   f"办结{closed[1]:g}件÷受理{received[1]:g}件", closed[3]))  # type: ignore[index]
    return out


def _period_from_tables(result: ReadResult, found: Period, granularity: str, doc_type: str) -> Period:
    """Sheets and registers carry their year in header cells, dated rows, 填报时间 lines."""
    cells = [b.text for b in result.blocks if b.text.strip()]
    from_cells = determine("", None, [], cells[-6:], "\n".join(cells), granularity)
    period, evidence = found.period, found.evidence
    if period is None:
        years = [two_plans.table_year(t, None) for t in result.tables] if doc_type == "two_plans_statistics" else []
        year = max((y for y in years if y), default=None)
        period, evidence = (str(year), "table header") if year else (from_cells.period, "table cells")
    return Period(period, evidence if period else None, found.document_date or from_cells.document_date)


_WIDER = {"community": "全街道|全区|全市|全县|全省|全国", "street": "全区|全市|全县|全省|全国",
          "district": "全市|全省|全国"}


def _outer_scope(registry, unit: str | None) -> re.Pattern[str]:  # noqa: ANN001
    """Words naming an area wider than the sender's: their figures are context, not its own."""
    level = registry.get(unit).level if unit and registry.get(unit) else None
    return re.compile(_WIDER.get(level or "", "全省|全国"))


def _folders(source_path: str | None) -> tuple[str, ...]:
    return tuple(p for p in re.split(r"[\\/]", source_path or "")[:-1] if p)


def _year(period: str | None) -> int | None:
    return int(period[:4]) if period and re.match(r"\d{4}", period) else None


def extract_read(result: ReadResult, hints: Hints, sha256: str) -> Extraction:
    """The semantic steps on what a reader returned."""
    registry, catalog, tp_catalog = load_registry(), load_indicator_catalog(), load_two_plans_catalog()
    parts = _parts(result)
    doc_type = classify(hints.name, parts.title, parts.head, result.tables, parts.body, tp_catalog)
    who = identify(registry, claimed=hints.claimed_unit, source_path=hints.source_path, name=hints.name,
                   title=parts.title, header=parts.header,
                   signature=_signature_lines(parts.tail) + parts.form,
                   body=parts.body, approximate=result.ocr)
    granularity = _GRANULARITY.get(load_doc_types()[doc_type].period, "year")
    if doc_type in _ITEMS:
        period = item_period(hints.name, parts.title, parts.tail, parts.body, _folders(hints.source_path))
    else:
        period = determine(hints.name, parts.title, parts.head, parts.tail, parts.body, granularity)
    if (period.period is None or period.document_date is None) and (doc_type not in _ITEMS or result.tables):
        period = _period_from_tables(result, period, granularity, doc_type)
    problems = list(who.problems) + ([] if period.period else ["period_unknown"])
    if any(w.startswith("ocr_incomplete") for w in result.warnings):
        problems.insert(0, "ocr_incomplete")  # pages were left unread: a person must look first
    year = _year(period.period)
    # a plan (…要点, …计划, …方案) states intentions: nothing in it is a value
    plan = is_plan(parts.title) or is_plan(re.split(r"[\\/]", hints.name)[-1])
    indicators = [] if plan else _indicators(result, parts, doc_type, year, catalog, sha256,
                                             _outer_scope(registry, who.unit))
    rows = two_plans.extract(result.tables, tp_catalog, registry, who.unit, year, sha256, EXTRACTOR_VERSION) \
        if doc_type == "two_plans_statistics" else []
    pii = scan(result.text, result.tables)
    ext = Extraction(
        sha256=sha256, extractor_version=EXTRACTOR_VERSION, detected_type=result.kind, pages=result.pages,
        ocr=result.ocr, title=parts.title, text=result.text, unit=who.unit, unit_evidence=who.evidence,
        new_community=who.new_community, period=period.period, period_evidence=period.evidence,
        doc_type=doc_type, correction=is_correction(hints.name, parts.title), document_date=period.document_date,
        indicators=indicators, two_plans=rows, pii=pii.found, pii_kinds=pii.kinds, problems=problems)
    for iv in ext.indicators:
        iv.period, iv.unit = period.period, who.unit
    ocr_confidence.apply(ext, result)
    if pii.found:
        _mask_all(ext, pii.names)
    return ext


def _mask_all(ext: Extraction, names: set[str]) -> None:
    """Nothing personal leaves extraction unmasked: text, title, every snippet."""
    ext.text = mask(ext.text, names)
    ext.title = mask(ext.title, names) if ext.title else ext.title
    for iv in ext.indicators:
        iv.evidence.snippet = mask(iv.evidence.snippet, names)
    for row in ext.two_plans:
        row.evidence.snippet = mask(row.evidence.snippet, names)
        row.raw = mask(row.raw, names)
