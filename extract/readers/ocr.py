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
from schemas.extraction import ExtractError

OCR_LANG = "chi_sim"
OCR_CONFIG = "--psm 6"
OCR_DPI = 300
LOW_CONFIDENCE = 50.0  # mean word confidence below which a page may be turned
MIN_SIDE = 1000  # images whose longer side is smaller (thumbnails) are upscaled first
MAX_SIDE = 4200  # larger photos are scaled down (A4 at 360 dpi): OCR time grows with pixels

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
    """Text lines of one page image, normalised, empty lines dropped.

    A page scanned sideways or upside down comes back as confident-looking characters
    of low confidence: then Tesseract's orientation detection decides the turn and the
    page is read again (only for such pages: detection costs as much as a read).
    """
    os.environ["OMP_THREAD_LIMIT"] = "1"  # inherited by the tesseract child process
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    longest = max(image.size)
    if longest < MIN_SIDE or longest > MAX_SIDE:
        factor = (MIN_SIDE if longest < MIN_SIDE else MAX_SIDE) / max(longest, 1)
        image = image.resize((max(1, int(image.width * factor)), max(1, int(image.height * factor))))
    lines, confidence = _read(image)
    if lines and confidence < LOW_CONFIDENCE:
        turn = _orientation(image)
        if turn:
            turned, turned_confidence = _read(image.rotate(-turn, expand=True))
            if turned_confidence > confidence:
                lines = turned
    return lines


def _read(image: Image.Image) -> tuple[list[str], float]:
    """Lines and the mean word confidence (0-100, weighted by characters)."""
    import pytesseract

    data = pytesseract.image_to_data(image, lang=OCR_LANG, config=OCR_CONFIG,
                                     output_type=pytesseract.Output.DICT)
    words: dict[tuple[int, int, int], list[str]] = {}
    weight = score = 0.0
    for i, text in enumerate(data["text"]):
        conf = float(data["conf"][i])
        if not text.strip() or conf < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        words.setdefault(key, []).append(text.strip())
        weight += len(text.strip())
        score += conf * len(text.strip())
    lines = [normalise_line(" ".join(ws)) for _, ws in sorted(words.items())]
    return [line for line in lines if line], (score / weight if weight else 0.0)


def _orientation(image: Image.Image) -> int:
    """Clockwise degrees that would set the page upright, 0 when unknown."""
    import pytesseract

    try:
        osd = pytesseract.image_to_osd(image, config="--psm 0 -c min_characters_to_try=10")
    except pytesseract.TesseractError:
        return 0  # too little text to tell
    found = re.search(r"Rotate: (\d+)", osd)
    return int(found.group(1)) % 360 if found else 0


def page_blocks(lines: list[str], page: int | None) -> list[Block]:
    prefix = f"第{page}页" if page is not None else ""
    return [Block(text=line, location=f"{prefix}第{n}行", kind="ocr_line", page=page)
            for n, line in enumerate(lines, 1)]


def read_image(data: bytes) -> ReadResult:
    try:
        image = Image.open(io.BytesIO(data))
        frames = [f.copy() for f in ImageSequence.Iterator(image)]
    except Image.DecompressionBombError as exc:  # a tiny file declaring billions of pixels
        raise ExtractError("archive_bomb", str(exc)) from exc
    except (OSError, ValueError, SyntaxError) as exc:  # PIL's errors for damaged images
        raise ExtractError("corrupt", f"image unreadable: {exc}") from exc
    result = ReadResult(kind="image", ocr=True, pages=len(frames))
    for n, frame in enumerate(frames, 1):
        page = n if len(frames) > 1 else None
        result.blocks.extend(page_blocks(ocr_lines(frame), page))
    if not result.blocks:
        result.warnings.append("ocr_no_text")
    return result
