"""PDF and page-image writers: text PDFs (embedded WenQuanYi font) and scans.

A "scan" is the same layout rendered to a grey image, tilted under 1 degree,
speckled with noise and embedded as an image-only PDF: no text layer at all.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfgen import canvas

from fulian.samples.layout import FONT_PATH, PAGE_H, PAGE_W, LineOp, TextOp, layout, register_font
from fulian.samples.spec import DocSpec


def _seed(spec: DocSpec) -> int:
    return int.from_bytes(hashlib.sha256(spec.all_text().encode()).digest()[:4], "big")


def _encryption(password: str | None):
    if password is None:
        return None
    from reportlab.lib.pdfencrypt import StandardEncryption

    return StandardEncryption(userPassword=password, ownerPassword=password + "-owner", strength=128)


def write_text_pdf(path: Path, spec: DocSpec, password: str | None = None) -> Path:
    """A PDF with real, extractable Chinese text; `password` encrypts it (user password)."""
    font = register_font()
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1,
                        encrypt=_encryption(password))
    pdf.setTitle("")
    for page in layout(spec):
        for op in page.ops:
            if isinstance(op, TextOp):
                pdf.setFont(font, op.size)
                pdf.drawString(op.x, PAGE_H - op.y, op.text)
            else:
                pdf.setLineWidth(0.6)
                pdf.line(op.x1, PAGE_H - op.y1, op.x2, PAGE_H - op.y2)
        pdf.showPage()
    pdf.save()
    return path


def render_pages(spec: DocSpec, dpi: int = 300, seed: int | None = None,
                 scanned: bool = True) -> list[Image.Image]:
    """Greyscale page images; scanned=True adds tilt (≤1°), a grey cast and noise."""
    scale = dpi / 72
    rng = np.random.default_rng(_seed(spec) if seed is None else seed)
    fonts: dict[float, ImageFont.FreeTypeFont] = {}
    images = []
    for page in layout(spec):
        img = Image.new("L", (round(PAGE_W * scale), round(PAGE_H * scale)), 255)
        draw = ImageDraw.Draw(img)
        for op in page.ops:
            if isinstance(op, LineOp):
                draw.line([op.x1 * scale, op.y1 * scale, op.x2 * scale, op.y2 * scale],
                          fill=0, width=max(1, round(scale * 0.6)))
                continue
            font = fonts.get(op.size) or fonts.setdefault(
                op.size, ImageFont.truetype(FONT_PATH, round(op.size * scale), index=0))
            draw.text((op.x * scale, op.y * scale), op.text, font=font, fill=0, anchor="ls")
        images.append(_age(img, rng) if scanned else img)
    return images


def _age(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """Make a clean render look scanned: small tilt, grey paper, sensor noise, specks.

    The noise is one 256-pixel tile repeated: invisible at 300 dpi and ~5x cheaper
    than drawing noise for every pixel.
    """
    angle = float(rng.uniform(-1.0, 1.0))
    img = img.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
    img = img.point(lambda v: int(v * 0.92 + 10))  # grey paper, never pure black
    arr = np.asarray(img, dtype=np.int16)
    h, w = arr.shape
    tile = np.rint(rng.normal(0, 2, (256, 256))).astype(np.int16)
    arr = arr + np.tile(tile, (h // 256 + 1, w // 256 + 1))[:h, :w]
    n = int(h * w * 0.0004)
    arr[rng.integers(0, h, n), rng.integers(0, w, n)] = rng.integers(0, 120, n)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")


_PDF_DATE = time.strptime("2013-12-20 09:00:00", "%Y-%m-%d %H:%M:%S")


def write_scanned_pdf(path: Path, spec: DocSpec, dpi: int = 300, seed: int | None = None) -> Path:
    """An image-only PDF (one JPEG per page, A4 at `dpi`) that needs OCR: no text layer."""
    pages = render_pages(spec, dpi=dpi, seed=seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Pillow embeds the JPEG as is (reportlab re-encodes it in pure-Python ASCII85: 0.5 s a page)
    pages[0].save(path, "PDF", resolution=float(dpi), save_all=True, append_images=pages[1:],
                  quality=60, creationDate=_PDF_DATE, modDate=_PDF_DATE, title="", producer="")
    return path


def write_page_image(path: Path, spec: DocSpec, dpi: int = 200, seed: int | None = None) -> Path:
    """A photo/scan of the first page as PNG or JPEG (chosen by the suffix)."""
    img = render_pages(spec, dpi=dpi, seed=seed)[0]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in (".jpg", ".jpeg"):
        img.save(path, "JPEG", quality=85, dpi=(dpi, dpi))
    else:
        img.save(path, "PNG", dpi=(dpi, dpi))
    return path
