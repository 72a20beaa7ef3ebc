"""Tesseract: the fallback engine (and the page-orientation detector).

Tesseract's OpenMP threads fight over our two cores (a page takes 21 s instead of 3 s),
so every process that runs it sets OMP_THREAD_LIMIT=1 and parallelism comes from running
several processes.
"""

from __future__ import annotations

import os
import re

from PIL import Image

from extract.readers.ocr_engine import OcrBox

OCR_LANG = "chi_sim"
OCR_CONFIG = "--psm 6"


def tesseract_boxes(image: Image.Image) -> list[OcrBox]:
    """One box per Tesseract line, characters placed evenly over their word's box, scores
    from Tesseract's word confidence (0-100) scaled to 0..1."""
    import pytesseract

    os.environ["OMP_THREAD_LIMIT"] = "1"  # inherited by the tesseract child process
    data = pytesseract.image_to_data(image, lang=OCR_LANG, config=OCR_CONFIG,
                                     output_type=pytesseract.Output.DICT)
    lines: dict[tuple[int, int, int], list[tuple[str, float, tuple[float, ...]]]] = {}
    for i, text in enumerate(data["text"]):
        conf = float(data["conf"][i])
        if not text.strip() or conf < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        box = tuple(float(data[k][i]) for k in ("left", "top", "width", "height"))
        lines.setdefault(key, []).append((text.strip(), max(0.0, min(1.0, conf / 100)), box))
    return [_line_box(words) for _, words in sorted(lines.items())]


def _line_box(words: list[tuple[str, float, tuple[float, ...]]]) -> OcrBox:
    chars: list = []
    for word, score, (x, y, w, h) in words:
        if chars:
            chars.append((" ", score, chars[-1][2]))
        step = w / max(len(word), 1)
        chars.extend((ch, score, [(x + k * step, y), (x + (k + 1) * step, y),
                                  (x + (k + 1) * step, y + h), (x + k * step, y + h)])
                     for k, ch in enumerate(word))
    x0 = min(b[0] for _, _, b in words)
    y0 = min(b[1] for _, _, b in words)
    x1 = max(b[0] + b[2] for _, _, b in words)
    y1 = max(b[1] + b[3] for _, _, b in words)
    weight = sum(len(w) for w, _, _ in words)
    score = sum(s * len(w) for w, s, _ in words) / weight
    return OcrBox(text=" ".join(w for w, _, _ in words), score=score,
                  quad=[(x0, y0), (x1, y0), (x1, y1), (x0, y1)], chars=chars)


def orientation(image: Image.Image) -> int:
    """Clockwise degrees that would set the page upright, 0 when unknown or no Tesseract."""
    import pytesseract

    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        osd = pytesseract.image_to_osd(image, config="--psm 0 -c min_characters_to_try=10")
    except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError, OSError):
        return 0  # too little text to tell, or no Tesseract on this machine
    found = re.search(r"Rotate: (\d+)", osd)
    return int(found.group(1)) % 360 if found else 0
