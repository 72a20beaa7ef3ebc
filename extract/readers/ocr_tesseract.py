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
    """Word boxes with Tesseract's confidence (0-100) scaled to 0..1."""
    import pytesseract

    os.environ["OMP_THREAD_LIMIT"] = "1"  # inherited by the tesseract child process
    data = pytesseract.image_to_data(image, lang=OCR_LANG, config=OCR_CONFIG,
                                     output_type=pytesseract.Output.DICT)
    boxes = []
    for i, text in enumerate(data["text"]):
        conf = float(data["conf"][i])
        if not text.strip() or conf < 0:
            continue
        x, y, w, h = (float(data[k][i]) for k in ("left", "top", "width", "height"))
        quad = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
        score = max(0.0, min(1.0, conf / 100))
        word = text.strip()
        step = w / max(len(word), 1)
        chars = [(ch, score, [(x + k * step, y), (x + (k + 1) * step, y),
                              (x + (k + 1) * step, y + h), (x + k * step, y + h)])
                 for k, ch in enumerate(word)]
        boxes.append(OcrBox(text=word, score=score, quad=quad, chars=chars))
    return boxes


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
