"""Tesseract OCR for scanned pages and images, with Chinese clean-up.

Tesseract's OpenMP threads fight over our two cores (a page takes 21 s instead of 3 s),
so every process that OCRs runs it single-threaded and parallelism comes from running
several processes.
"""

from __future__ import annotations

import io
import os
import re

from PIL import Image, ImageSequence

from extract.document import Block, ReadResult
from extract.readers.grid import CJK, join_cjk_gaps

OCR_LANG = "chi_sim"
OCR_CONFIG = "--psm 6"
OCR_DPI = 300
MIN_WIDTH = 1200  # smaller images (thumbnails, faxes) are upscaled before OCR

# Tesseract answers with ASCII punctuation where Chinese text has full-width forms.
_FULLWIDTH = {":": "：", ",": "，", ";": "；", "?": "？", "!": "！"}
_PUNCT_AFTER_CJK = re.compile(rf"(?<=[{CJK}])\s*([:,;?!])")


def normalise_line(text: str) -> str:
    """Undo Tesseract's spaces between Chinese characters and its ASCII punctuation."""
    text = join_cjk_gaps(text.strip())
    text = join_cjk_gaps(_PUNCT_AFTER_CJK.sub(lambda m: _FULLWIDTH[m.group(1)], text))
    text = re.sub(rf"(?<=[{CJK}])\s+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z%])\s+(?=[{CJK}])", "", text)
    return re.sub(r"\s{2,}", " ", text)


def ocr_lines(image: Image.Image) -> list[str]:
    """Text lines of one page image, normalised, empty lines dropped."""
    import pytesseract

    os.environ["OMP_THREAD_LIMIT"] = "1"  # inherited by the tesseract child process
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    if image.width < MIN_WIDTH:
        factor = MIN_WIDTH / max(image.width, 1)
        image = image.resize((MIN_WIDTH, max(1, int(image.height * factor))))
    raw = pytesseract.image_to_string(image, lang=OCR_LANG, config=OCR_CONFIG)
    return [line for line in (normalise_line(x) for x in raw.splitlines()) if line]


def page_blocks(lines: list[str], page: int | None) -> list[Block]:
    prefix = f"第{page}页" if page is not None else ""
    return [Block(text=line, location=f"{prefix}第{n}行", kind="ocr_line", page=page)
            for n, line in enumerate(lines, 1)]


def read_image(data: bytes) -> ReadResult:
    image = Image.open(io.BytesIO(data))
    frames = [f.copy() for f in ImageSequence.Iterator(image)]
    result = ReadResult(kind="image", ocr=True, pages=len(frames))
    for n, frame in enumerate(frames, 1):
        page = n if len(frames) > 1 else None
        result.blocks.extend(page_blocks(ocr_lines(frame), page))
    if not result.blocks:
        result.warnings.append("ocr_no_text")
    return result
