"""PDF: pypdfium2 text per page (fast), pdfplumber tables only on ruled pages, OCR for
pages whose text layer is missing or garbage (scans, CID fonts without a Unicode map)."""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extract.document import ReadResult
from extract.readers.grid import CJK
from extract.readers.ocr import add_page, engine_warning, ocr_page, page_scale
from extract.readers.ocr_engine import options
from extract.readers.pdf_layout import paragraph_blocks
from extract.readers.pdf_tables import page_tables
from schemas.extraction import ExtractError

RULED_PATHS = 6  # vector paths on a page from which it may hold a ruled table
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
    ocr_pages = skipped = 0
    cap = options().max_pages
    for index in range(len(pdf)):
        page, number = pdf[index], index + 1
        textpage = page.get_textpage()
        glyphs = textpage.count_chars()
        text = textpage.get_text_range() if glyphs else ""
        if not text_is_garbage(text, glyphs):
            result.blocks.extend(paragraph_blocks(textpage, text, number, page.get_height()))
            if _looks_ruled(page):
                if plumber is None:
                    import pdfplumber

                    plumber = pdfplumber.open(io.BytesIO(data))
                result.tables.extend(page_tables(plumber.pages[index], number))
        elif (glyphs or _has_images(page)) and cap and ocr_pages >= cap:
            skipped += 1  # beyond the OCR cap: left for a person, said so below
        elif glyphs or _has_images(page):  # a blank page has nothing to OCR
            scale = page_scale(page.get_width(), page.get_height())
            image = page.render(scale=scale, grayscale=True).to_pil()
            add_page(result, ocr_page(image, f"第{number}页"))
            ocr_pages += 1
        textpage.close()
        page.close()
    if plumber is not None:
        plumber.close()
    _finish(result, ocr_pages)
    if skipped:
        result.warnings.append(f"ocr_incomplete:{ocr_pages}/{ocr_pages + skipped}")
    return result


def _finish(result: ReadResult, ocr_pages: int) -> None:
    result.ocr = ocr_pages > 0
    if result.ocr:
        engine_warning(result)
    if result.pages and ocr_pages * 2 >= result.pages:
        result.kind = "pdf_scanned"
    if ocr_pages and ocr_pages < (result.pages or 0):
        result.warnings.append(f"ocr_pages:{ocr_pages}")


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


def _looks_ruled(page: pdfium.PdfPage) -> bool:
    paths = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=2)
    return any(n >= RULED_PATHS for n, _ in enumerate(paths, 1))


def _has_images(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,),
                                              max_depth=2))
