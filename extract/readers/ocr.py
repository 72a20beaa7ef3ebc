"""OCR of scanned pages, images and pictures: page image -> blocks, tables, scores.

The engine (extract/readers/ocr_engine.py) finds text boxes; ocr_layout.py rebuilds lines,
paragraphs and ruled tables from them. A page turned sideways or upside down reads as
low-confidence text or as tall boxes: then Tesseract's orientation detection decides the
turn and the page is read again (only such pages: detection costs as much as a read).
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps, ImageSequence

from extract.document import ReadResult
from extract.readers.ocr_engine import OcrBox, OcrOptions, active_engine, options, recognise
from extract.readers.ocr_layout import PageText, normalise_line, page_text
from extract.readers.ocr_tesseract import orientation
from schemas.extraction import ExtractError

__all__ = ["normalise_line", "ocr_lines", "ocr_page", "page_scale", "read_image", "add_page",
           "engine_warning"]

MIN_SIDE = 1000  # images whose longer side is smaller (thumbnails) are upscaled first
TESSERACT_MAX_SIDE = 4200  # A4 at 360 dpi: Tesseract's time grows with pixels
TESSERACT_DPI = 300
LOW_SCORE = {"rapidocr": 0.8, "tesseract": 0.5}  # mean score below which a page may be turned


def longest_side(opts: OcrOptions | None = None) -> int:
    """Pixels on a page image's longer side that the active engine reads best."""
    opts = opts or options()
    return opts.max_side if active_engine(opts) == "rapidocr" else TESSERACT_MAX_SIDE


def page_scale(width_pt: float, height_pt: float) -> float:
    """Render scale (pixels per PDF point) for OCR: up to the engine's side, ≤ 300 dpi."""
    return min(TESSERACT_DPI / 72, longest_side() / max(width_pt, height_pt, 1.0))


def ocr_page(image: Image.Image, prefix: str, opts: OcrOptions | None = None) -> PageText:
    """Blocks, tables and character scores of one page image."""
    opts = opts or options()
    image = _fit(image, longest_side(opts))
    boxes = recognise(image, opts)
    if boxes and _doubtful(boxes, active_engine(opts)):
        turn = orientation(image)
        if turn:
            turned = image.rotate(-turn, expand=True)
            again = recognise(turned, opts)
            if _quality(again) > _quality(boxes):
                image, boxes = turned, again
    return page_text(boxes, image, prefix)


def ocr_lines(image: Image.Image) -> list[str]:
    """The text of one page image, block by block (paragraphs and table cells)."""
    return [b.text for b in ocr_page(image, "").blocks]


def add_page(result: ReadResult, page: PageText) -> None:
    result.blocks.extend(page.blocks)
    result.tables.extend(page.tables)
    result.ocr_scores.update(page.scores)


def _fit(image: Image.Image, limit: int) -> Image.Image:
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    longest = max(image.size)
    if MIN_SIDE <= longest <= limit:
        return image
    factor = (MIN_SIDE if longest < MIN_SIDE else limit) / max(longest, 1)
    return image.resize((max(1, round(image.width * factor)), max(1, round(image.height * factor))),
                        Image.Resampling.LANCZOS)


def _quality(boxes: list[OcrBox]) -> float:
    """Mean recogniser score weighted by characters."""
    weight = sum(len(b.text) for b in boxes)
    return sum(b.score * len(b.text) for b in boxes) / weight if weight else 0.0


def _doubtful(boxes: list[OcrBox], engine: str) -> bool:
    """Low scores, or most text in boxes taller than wide: a page lying on its side."""
    tall = sum(1 for b in boxes if len(b.text) >= 2 and
               (b.bbox[3] - b.bbox[1]) > 1.5 * (b.bbox[2] - b.bbox[0]))
    return _quality(boxes) < LOW_SCORE[engine] or tall * 2 > len(boxes)


MAX_PIXELS = 100_000_000  # a 600 dpi A0 scan is 94 million; JPEGs are decoded scaled (draft)


def read_image(data: bytes) -> ReadResult:
    try:
        image = Image.open(io.BytesIO(data))
        if image.format != "JPEG" and image.width * image.height > MAX_PIXELS:
            # PIL only refuses at twice its limit and decodes up to there: refuse before decoding
            raise Image.DecompressionBombError(f"{image.width}×{image.height} pixels > {MAX_PIXELS}")
        if image.format == "JPEG":  # decode a huge photo straight at reading size (DCT scaling)
            image.draft("RGB", (longest_side(), longest_side()))
        frames = [ImageOps.exif_transpose(f.copy()) for f in ImageSequence.Iterator(image)]
    except Image.DecompressionBombError as exc:  # a tiny file declaring billions of pixels
        raise ExtractError("archive_bomb", str(exc)) from exc
    except (OSError, ValueError, SyntaxError) as exc:  # PIL's errors for damaged images
        raise ExtractError("corrupt", f"image unreadable: {exc}") from exc
    result = ReadResult(kind="image", ocr=True, pages=len(frames))
    for n, frame in enumerate(frames, 1):
        add_page(result, ocr_page(frame, f"第{n}页" if len(frames) > 1 else ""))
    engine_warning(result)
    if not result.blocks:
        result.warnings.append("ocr_no_text")
    return result


def engine_warning(result: ReadResult) -> None:
    """Say when pages were read by the fallback although the better engine was asked for."""
    if options().engine == "rapidocr" and active_engine() != "rapidocr":
        result.warnings.append("ocr_fallback_tesseract")
