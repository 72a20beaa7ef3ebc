"""Rebuild paragraphs from a PDF page's text lines using their geometry.

pdfium gives the text line by line. A paragraph goes on while a line runs to the right
margin and the next line is neither indented (首行缩进), nor in another font size, nor
after a wider gap. Character counts cannot tell this (digits and punctuation are narrow);
the first and last glyph boxes of each line can, at two pdfium calls per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pypdfium2.raw as pdfium_c

from extract.document import Block
from extract.readers.grid import join_cjk_gaps

# Lines wholly within this share of the page height from its top or bottom edge sit in
# the margin: running heads and page numbers (body text starts ≥ 2.5 cm = 8.5% in).
MARGIN_BAND = 0.08
_LATIN_END = re.compile(r"[A-Za-z]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9]")


@dataclass
class Line:
    text: str
    left: float
    right: float
    top: float
    bottom: float
    size: float  # font size in points, the unit for every tolerance below


def page_lines(textpage, text: str) -> list[Line]:
    """Lines of `text` (pdfium's, "\\r\\n"-separated, one char per glyph index) with boxes."""
    lines: list[Line] = []
    pos = 0
    for raw in text.split("\r\n"):
        stripped = raw.strip()
        if stripped:
            first = pos + (len(raw) - len(raw.lstrip()))
            last = pos + len(raw.rstrip()) - 1
            left, bottom, _, top = textpage.get_charbox(first)
            _, _, right, _ = textpage.get_charbox(last)
            size = pdfium_c.FPDFText_GetFontSize(textpage.raw, first) or (top - bottom) or 10.0
            lines.append(Line(stripped, left, right, top, bottom, size))
        pos += len(raw) + 2
    return lines


def paragraphs(lines: list[Line]) -> list[str]:
    if not lines:
        return []
    body = [ln for ln in lines if len(ln.text) >= 5] or lines
    right_margin = _right_margin(body)
    left_margin = min(ln.left for ln in body)
    out: list[str] = []
    current = lines[0].text
    for a, b in zip(lines, lines[1:], strict=False):
        if _continues(a, b, left_margin, right_margin):
            current = _join(current, b.text)
        else:
            out.append(current)
            current = b.text
    out.append(current)
    return out


def _right_margin(body: list[Line]) -> float:
    """The right edge most lines share: a line with hanging punctuation (避头尾) juts out,
    so the widest edge counts only when another line ends within half a character of it."""
    rights = sorted((ln.right for ln in body), reverse=True)
    size = max(ln.size for ln in body)
    for i, right in enumerate(rights[:-1]):
        if right - rights[i + 1] <= 0.5 * size:
            return right
    return rights[0]


def _sparse(line: Line) -> bool:
    """Text spread far wider than its glyphs need: a table row or spaced-out form line."""
    need = sum(1.0 if ord(ch) >= 0x2E80 else 0.5 for ch in line.text) * line.size
    return need < 0.6 * (line.right - line.left)


def _continues(a: Line, b: Line, left_margin: float, right_margin: float) -> bool:
    size = max(a.size, b.size)
    if _sparse(a) or _sparse(b):
        return False
    if a.right < right_margin - 1.5 * a.size:
        return False  # a short line ends its paragraph (titles, last lines, table rows)
    if b.left > left_margin + 1.0 * b.size:
        return False  # the next line is indented: a new paragraph starts
    if abs(a.size - b.size) > 0.15 * size:
        return False
    gap = a.bottom - b.top
    return -0.5 * size < gap < 1.2 * size  # next line just below, not far down or above


def _join(current: str, line: str) -> str:
    # A wrapped line adds no space in Chinese, nor inside a number ("6" + "4人" is 64人);
    # only a Latin word carried to the next line keeps one.
    if _LATIN_END.search(current) and _LATIN_START.search(line):
        return f"{current} {line}"
    return join_cjk_gaps(current + line)


def paragraph_blocks(textpage, text: str, page: int, height: float) -> list[Block]:
    """Running heads and page numbers as header/footer blocks, the rest as paragraphs."""
    lines = page_lines(textpage, text)
    band = MARGIN_BAND * height
    blocks: list[Block] = []
    for ln in lines:
        if ln.bottom >= height - band:
            blocks.append(Block(ln.text, f"第{page}页页眉", kind="header", page=page))
        elif ln.top <= band:
            blocks.append(Block(ln.text, f"第{page}页页脚", kind="footer", page=page))
    body = [ln for ln in lines if band < ln.bottom and ln.top < height - band]
    blocks.extend(Block(text=join_cjk_gaps(p), location=f"第{page}页第{n}段", page=page)
                  for n, p in enumerate(paragraphs(body), 1))
    return blocks
