"""PDF: pypdfium2 text per page (fast), pdfplumber tables only on ruled pages, OCR for
pages whose text layer is missing or garbage (scans, CID fonts without a Unicode map)."""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extract.document import Block, ReadResult
from extract.readers.grid import CJK, join_cjk_gaps
from extract.readers.ocr import OCR_DPI, ocr_lines, page_blocks
from extract.readers.pdf_tables import page_tables
from schemas.extraction import ExtractError

RULED_PATHS = 6  # vector paths on a page from which it may hold a ruled table
MIN_WRAP = 20  # characters; an A4 body line in Chinese holds 28-40
SENTENCE_END = tuple("。！？；：!?;:")
_GOOD = re.compile(rf"[{CJK}0-9A-Za-z\s.,;:!?%()\[\]\-+/*'\"#&@=<>_~|{{}}]")


def read_pdf(data: bytes) -> ReadResult:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = "encrypted" if "password" in str(exc).lower() else "corrupt"
        raise ExtractError(reason, f"PDF does not open: {exc}") from exc
    try:
        return _read_pages(pdf, data)
    finally:
        pdf.close()


def _read_pages(pdf: pdfium.PdfDocument, data: bytes) -> ReadResult:
    result = ReadResult(kind="pdf", pages=len(pdf))
    plumber = None
    ocr_pages = 0
    for index in range(len(pdf)):
        page = pdf[index]
        number = index + 1
        text, glyphs = _page_text(page)
        if text_is_garbage(text, glyphs):
            if not glyphs and not _has_images(page):
                page.close()
                continue  # a blank page: nothing to read, nothing to OCR
            image = page.render(scale=OCR_DPI / 72, grayscale=True).to_pil()
            result.blocks.extend(page_blocks(ocr_lines(image), number))
            ocr_pages += 1
        else:
            result.blocks.extend(_paragraph_blocks(text, number))
            if _looks_ruled(page):
                if plumber is None:
                    import pdfplumber

                    plumber = pdfplumber.open(io.BytesIO(data))
                result.tables.extend(page_tables(plumber.pages[index], number))
        page.close()
    if plumber is not None:
        plumber.close()
    _finish(result, ocr_pages)
    return result


def _finish(result: ReadResult, ocr_pages: int) -> None:
    result.ocr = ocr_pages > 0
    if result.pages and ocr_pages * 2 >= result.pages:
        result.kind = "pdf_scanned"
    if ocr_pages and ocr_pages < (result.pages or 0):
        result.warnings.append(f"ocr_pages:{ocr_pages}")


def _page_text(page: pdfium.PdfPage) -> tuple[str, int]:
    textpage = page.get_textpage()
    try:
        glyphs = textpage.count_chars()
        text = textpage.get_text_range() if glyphs else ""
    finally:
        textpage.close()
    return text.replace("\r\n", "\n").replace("\r", "\n"), glyphs


def text_is_garbage(text: str, glyphs: int) -> bool:
    """No text, or text that a reader could not use: (cid:N), U+FFFD, symbol soup."""
    visible = "".join(text.split())
    if not visible:
        return True
    if "(cid:" in text or visible.count("\ufffd") > len(visible) * 0.05:
        return True
    if len(visible) < 20:
        return False  # too little to judge: a cover page, a signature line
    good = len(_GOOD.findall(visible))
    return good < len(visible) * 0.6


def _paragraph_blocks(text: str, page: int) -> list[Block]:
    """Rejoin wrapped lines: a paragraph ends at a short line or a line ending a sentence."""
    lines = [line.strip() for line in text.split("\n")]
    full = max((len(line) for line in lines), default=0)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        current = _join(current, line)
        # Lines of a page with no long line (forms, short notices) are never wrapped.
        if full < MIN_WRAP or len(line) < full * 0.85 or line.endswith(SENTENCE_END):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return [Block(text=p, location=f"第{page}页第{n}段", page=page)
            for n, p in enumerate(paragraphs, 1)]


def _join(current: str, line: str) -> str:
    if not current:
        return line
    return join_cjk_gaps(f"{current} {line}")


def _looks_ruled(page: pdfium.PdfPage) -> bool:
    paths = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=2)
    return any(n >= RULED_PATHS for n, _ in enumerate(paths, 1))


def _has_images(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,),
                                              max_depth=2))
