"""Word .docx: paragraphs and tables in body order, headers, footers, text boxes."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn

from extract.document import Block, ReadResult
from extract.readers.grid import Grid, cell_blocks, clean_cell, to_table

W_P, W_TBL, W_SDT, W_TR, W_TC = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:tr"), qn("w:tc")
W_T, W_TAB, W_BR = qn("w:t"), qn("w:tab"), qn("w:br")
W_TXBX = qn("w:txbxContent")
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def read_docx(data: bytes) -> ReadResult:
    doc = Document(io.BytesIO(data))
    result = ReadResult(kind="docx")
    styles = {s.style_id: s.name for s in doc.styles if s.style_id}
    counters = {"p": 0, "t": 0}
    _walk(doc.element.body, result, styles, counters)
    _text_boxes(doc.element.body, result)
    _headers_footers(doc, result)
    core_title = (doc.core_properties.title or "").strip()
    first_title = next((b.text for b in result.blocks if b.kind == "title"), None)
    result.title = core_title or first_title
    if _cjk_count(result.text) < SCAN_TEXT_LIMIT:
        _ocr_pictures(doc, result)
    return result


SCAN_TEXT_LIMIT = 40  # fewer CJK characters than this and pictures: a scan pasted into Word
MAX_PICTURES = 30


def _cjk_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def _ocr_pictures(doc, result: ReadResult) -> None:  # noqa: ANN001
    """Pages scanned and pasted into a Word file as pictures: read them as a scan would be."""
    from PIL import Image, UnidentifiedImageError

    from extract.readers.ocr import add_page, engine_warning, ocr_page

    rels = sorted((r for r in doc.part.rels.values()
                   if not r.is_external and r.reltype.endswith("/image")),
                  key=lambda r: int("".join(ch for ch in r.rId if ch.isdigit()) or 0))
    for n, rel in enumerate(rels[:MAX_PICTURES], 1):
        try:
            image = Image.open(io.BytesIO(rel.target_part.blob))
            image.load()
        except (UnidentifiedImageError, OSError, ValueError):  # EMF/WMF and damaged pictures
            result.warnings.append(f"picture_unreadable:{n}")
            continue
        page = ocr_page(image, f"图{n}")
        add_page(result, page)
        result.ocr = result.ocr or bool(page.blocks)
    if result.ocr:
        engine_warning(result)


def _walk(parent, result: ReadResult, styles: dict[str, str], counters: dict) -> None:
    for child in parent.iterchildren():
        if child.tag == W_P:
            text = paragraph_text(child)
            if not text:
                continue
            counters["p"] += 1
            style = _style_name(child, styles)
            result.blocks.append(Block(text=text, location=f"第{counters['p']}段",
                                       kind=_kind_for_style(style), style=style))
        elif child.tag == W_TBL:
            counters["t"] += 1
            _table(child, f"表{counters['t']}", result)
        elif child.tag == W_SDT:  # content controls wrap ordinary body content
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _walk(content, result, styles, counters)


def paragraph_text(p) -> str:
    """Visible text of one w:p, without text-box content nested in its drawings."""
    parts: list[str] = []
    for el in p.iter(W_T, W_TAB, W_BR):
        if _inside_textbox(el, p):
            continue
        if el.tag == W_T:
            parts.append(el.text or "")
        else:
            parts.append("\t" if el.tag == W_TAB else "\n")
    return "".join(parts).strip()


def _inside_textbox(el, stop) -> bool:
    node = el.getparent()
    while node is not None and node is not stop:
        if node.tag == W_TXBX:
            return True
        node = node.getparent()
    return False


def _style_name(p, styles: dict[str, str]) -> str | None:
    ppr = p.find(qn("w:pPr"))
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    if style is None:
        return None
    sid = style.get(qn("w:val"))
    return styles.get(sid, sid)


def _kind_for_style(style: str | None) -> str:
    name = (style or "").lower().replace(" ", "")
    if name in ("title", "标题") or name.startswith("subtitle"):
        return "title"
    if name.startswith(("heading", "标题")):
        return "heading"
    return "paragraph"


def _table(tbl, location: str, result: ReadResult) -> None:
    grid = table_grid(tbl)
    if not grid.rows:
        return

    def where(r: int, c: int) -> str:
        return f"{location}第{r + 1}行第{c + 1}列"

    table = to_table(grid, location, where)
    if table is not None:
        result.tables.append(table)
    result.blocks.extend(cell_blocks(grid, where))


def table_grid(tbl) -> Grid:
    """Rows of w:tc resolved on the layout grid: gridSpan and vMerge become merges."""
    rows: list[list[str]] = []
    merges: list[tuple[int, int, int, int]] = []
    open_vmerge: dict[int, list[int]] = {}  # column -> [r0, c0, r1, c1] being extended
    for r, tr in enumerate(tbl.iterchildren(W_TR)):
        row: list[str] = []
        trpr = tr.find(qn("w:trPr"))
        before = trpr.find(qn("w:gridBefore")) if trpr is not None else None
        if before is not None:
            row.extend([""] * int(before.get(qn("w:val"), "0")))
        for tc in tr.iterchildren(W_TC):
            c = len(row)
            span, vmerge = _tc_props(tc)
            if vmerge == "continue" and c in open_vmerge:
                open_vmerge[c][2] = r
                row.extend([""] * span)
                continue
            text = clean_cell("\n".join(paragraph_text(p) for p in tc.iter(W_P)))
            row.extend([text] + [""] * (span - 1))
            if vmerge == "restart":
                open_vmerge[c] = [r, c, r, c + span - 1]
            else:
                open_vmerge.pop(c, None)
                if span > 1:
                    merges.append((r, c, r, c + span - 1))
        rows.append(row)
    for r0, c0, r1, c1 in open_vmerge.values():
        merges.append((r0, c0, r1, c1))
    return Grid(rows, _dedupe(merges))


def _dedupe(merges: list) -> list[tuple[int, int, int, int]]:
    return sorted({tuple(m) for m in merges})


def _tc_props(tc) -> tuple[int, str | None]:
    tcpr = tc.find(qn("w:tcPr"))
    if tcpr is None:
        return 1, None
    span_el = tcpr.find(qn("w:gridSpan"))
    span = int(span_el.get(qn("w:val"), "1")) if span_el is not None else 1
    vm = tcpr.find(qn("w:vMerge"))
    vmerge = None if vm is None else (vm.get(qn("w:val")) or "continue")
    return max(span, 1), vmerge


def _text_boxes(body, result: ReadResult) -> None:
    # Drawings carry each text box twice (DrawingML and a VML fallback): skip fallbacks.
    n = 0
    for box in body.iter(W_TXBX):
        if any(a.tag == MC_FALLBACK for a in box.iterancestors()):
            continue
        for p in box.iter(W_P):
            text = paragraph_text(p)
            if text:
                n += 1
                result.blocks.append(Block(text=text, location=f"文本框第{n}段"))


def _headers_footers(doc, result: ReadResult) -> None:
    seen: set[tuple[str, str]] = set()
    for section in doc.sections:
        for kind, label, parts in (
            ("header", "页眉", (section.header, section.first_page_header,
                               section.even_page_header)),
            ("footer", "页脚", (section.footer, section.first_page_footer,
                               section.even_page_footer)),
        ):
            for part in parts:
                if part.is_linked_to_previous:
                    continue
                for p in part._element.iter(W_P):
                    text = paragraph_text(p)
                    if text and (kind, text) not in seen:
                        seen.add((kind, text))
                        result.blocks.append(Block(text=text, location=label, kind=kind))
