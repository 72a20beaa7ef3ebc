"""Scans as grassroots units make them: clean renders degraded like real paper and phones.

`degrade` tilts a page 0.5–2°, blurs it, greys the paper, adds sensor noise and specks and
saves it as a low-quality JPEG; `lowres` makes it a 150 dpi scan. Tests and bench/ocr.py
OCR these pages and compare with the text they were rendered from.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from fulian.samples.layout import CELL, FONT_PATH, PAGE_H, PAGE_W, TextOp, layout
from fulian.samples.pdfs import render_pages
from fulian.samples.spec import DocSpec


def degrade(img: Image.Image, rng: np.random.Generator, *, quality: int = 40,
            lowres: bool = False) -> Image.Image:
    """A clean greyscale page made to look like a poor scan (decoded back from JPEG)."""
    angle = float(rng.uniform(0.5, 2.0)) * (1 if rng.random() < 0.5 else -1)
    if lowres:  # a 150 dpi scan of a page rendered at 200 or 300 dpi
        factor = 150 / 300 if max(img.size) > 3000 else 150 / 200
        img = img.resize((round(img.width * factor), round(img.height * factor)),
                         Image.Resampling.LANCZOS)
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.6, 1.1))))
    arr = np.asarray(img, dtype=np.float32) * 0.82 + 30  # grey paper, faded ink
    arr += rng.normal(0, 7, arr.shape)
    n = int(arr.size * 0.0006)
    arr[rng.integers(0, arr.shape[0], n), rng.integers(0, arr.shape[1], n)] = rng.uniform(0, 120, n)
    page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    buf = io.BytesIO()
    page.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


def scanned_pages(spec: DocSpec, seed: int, dpi: int = 200, lowres: bool = False,
                  ) -> list[Image.Image]:
    rng = np.random.default_rng(seed)
    return [degrade(p, rng, lowres=lowres) for p in render_pages(spec, dpi=dpi, scanned=False)]


def page_texts(spec: DocSpec, cells: bool = True) -> list[str]:
    """What each page says, in reading order (top to bottom, left to right), without
    spaces: the OCR ground truth; `cells=False` leaves table cells out."""
    out = []
    for page in layout(spec):
        ops = sorted((op for op in page.ops if isinstance(op, TextOp)
                      and (cells or op.size != CELL)),
                     key=lambda op: (round(op.y), op.x))
        out.append("".join("".join(op.text.split()) for op in ops))
    return out


def write_scan_pdf(path: Path, pages: list[Image.Image], dpi: int = 200) -> Path:
    """Page images as an image-only PDF, as a scanner writes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(path, "PDF", resolution=float(dpi), save_all=True, append_images=pages[1:])
    return path


def ruled_form(rows: list[list[str]], merges: list[tuple[int, int, int, int]], widths: list[int],
               title: str = "", dpi: int = 200) -> Image.Image:
    """A ruled form drawn cell by cell, merged cells without their inner rules (the shared
    layout draws every rule), on an A4 page at `dpi`."""
    scale = dpi / 72
    img = Image.new("L", (round(PAGE_W * scale), round(PAGE_H * scale)), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT_PATH, round(11 * scale), index=0)
    left, top, row_h = round(60 * scale), round(120 * scale), round(26 * scale)
    if title:
        draw.text((img.width / 2, top - 30 * scale), title, font=ImageFont.truetype(
            FONT_PATH, round(16 * scale), index=0), fill=0, anchor="ms")
    xs = [left + sum(round(w * scale) for w in widths[:i]) for i in range(len(widths) + 1)]
    covered = {(r, c): m for m in merges for r in range(m[0], m[2] + 1)
               for c in range(m[1], m[3] + 1)}
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            r0, c0, r1, c1 = covered.get((r, c), (r, c, r, c))
            if (r, c) != (r0, c0):
                continue
            box = (xs[c0], top + r0 * row_h, xs[c1 + 1], top + (r1 + 1) * row_h)
            draw.rectangle(box, outline=0, width=max(1, round(scale * 0.8)))
            draw.text(((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), text, font=font,
                      fill=0, anchor="mm")
    return img
