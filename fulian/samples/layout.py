"""Page layout shared by the text-PDF and the scanned-page renderers.

Lays a DocSpec out on A4 in points (y measured from the top) as text and line
operations, so a text PDF and its scanned twin carry the same lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from fulian.samples.spec import DocSpec, TableSpec

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FONT_NAME = "WQY"
PAGE_W, PAGE_H = 595.28, 841.89
LEFT, RIGHT, TOP, BOTTOM = 72.0, 72.0, 80.0, 80.0
CONTENT_W = PAGE_W - LEFT - RIGHT
BODY, TITLE, CELL = 12.0, 18.0, 10.5
NO_LINE_START = set("，。、；：！？）》”’%％")
_TOKEN = re.compile(r"[0-9A-Za-z０-９.,%％‰-]+|.", re.S)


@lru_cache(maxsize=1)
def register_font() -> str:
    """Register WenQuanYi Zen Hei with reportlab once; it embeds (Noto CJK does not)."""
    pdfmetrics.registerFont(TTFont(FONT_NAME, FONT_PATH, subfontIndex=0))
    return FONT_NAME


def text_width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, register_font(), size)


def wrap(text: str, size: float, width: float) -> list[str]:
    """Break Chinese text between characters, never inside a number or Latin word (as Word
    does), and never start a line with closing punctuation."""
    lines, current = [], ""
    for token in _TOKEN.findall(text):
        if current and text_width(current + token, size) > width and token not in NO_LINE_START:
            lines.append(current)
            current = token
        else:
            current += token
    if current or not lines:
        lines.append(current)
    return lines


@dataclass
class TextOp:
    x: float
    y: float  # baseline, from the top of the page
    text: str
    size: float


@dataclass
class LineOp:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass
class Page:
    ops: list[TextOp | LineOp] = field(default_factory=list)


class _Cursor:
    """Fills pages top to bottom, starting a new page when the next block does not fit."""

    def __init__(self, spec: DocSpec):
        self.spec = spec
        self.pages: list[Page] = []
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        page = Page()
        number = len(self.pages) + 1
        if self.spec.header:
            page.ops.append(TextOp(LEFT, 50, self.spec.header, 9))
            page.ops.append(LineOp(LEFT, 56, PAGE_W - RIGHT, 56))
        footer = f"{self.spec.footer}  第{number}页" if self.spec.footer else f"第{number}页"
        page.ops.append(TextOp((PAGE_W - text_width(footer, 9)) / 2, PAGE_H - 40, footer, 9))
        self.pages.append(page)
        self.y = TOP

    def need(self, height: float) -> None:
        if self.y + height > PAGE_H - BOTTOM and self.y > TOP:
            self.new_page()

    def text(self, x: float, text: str, size: float) -> None:
        self.pages[-1].ops.append(TextOp(x, self.y + size, text, size))

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.pages[-1].ops.append(LineOp(x1, y1, x2, y2))


def _paragraph(cur: _Cursor, text: str, size: float, align: str, indent: float = 0.0) -> None:
    leading = size * 1.7
    first = wrap(text, size, CONTENT_W - indent)
    lines = first[:1] + (wrap("".join(first[1:]), size, CONTENT_W) if len(first) > 1 else [])
    for i, line in enumerate(lines):
        cur.need(leading)
        w = text_width(line, size)
        x = {"center": LEFT + (CONTENT_W - w) / 2, "right": PAGE_W - RIGHT - w - 24}.get(
            align, LEFT + (indent if i == 0 else 0))
        cur.text(x, line, size)
        cur.y += leading


def _column_widths(table: TableSpec) -> list[float]:
    natural = [24.0] * table.width
    for row in table.grid:
        for c, value in enumerate(row):
            if value is not None:
                natural[c] = max(natural[c], min(text_width(str(value), CELL) + 8, 200))
    scale = CONTENT_W / sum(natural)
    return [w * scale for w in natural]


def _table(cur: _Cursor, table: TableSpec) -> None:
    widths = _column_widths(table)
    leading = CELL * 1.5
    cur.y += 6
    for row in table.grid:
        cells = [wrap("" if v is None else str(v), CELL, widths[c] - 6) for c, v in enumerate(row)]
        height = max(len(c) for c in cells) * leading + 6
        cur.need(height)
        top, x = cur.y, LEFT
        cur.line(LEFT, top, LEFT + sum(widths), top)
        for c, lines in enumerate(cells):
            for i, line in enumerate(lines):
                cur.pages[-1].ops.append(TextOp(x + 3, top + 3 + CELL + i * leading, line, CELL))
            cur.line(x, top, x, top + height)
            x += widths[c]
        cur.line(x, top, x, top + height)
        cur.line(LEFT, top + height, x, top + height)
        cur.y = top + height
    cur.y += 12


def layout(spec: DocSpec) -> list[Page]:
    """The pages of a document: doc number, title, body, signature, headers and footers."""
    cur = _Cursor(spec)
    if spec.doc_number:
        _paragraph(cur, spec.doc_number, BODY, "center")
        cur.y += 8
    _paragraph(cur, spec.title, TITLE if spec.title_style != "plain" else BODY, "center")
    cur.y += 10
    for item in spec.body:
        if isinstance(item, TableSpec):
            _table(cur, item)
        else:
            _paragraph(cur, item, BODY, "left", indent=2 * BODY)
    if spec.signature:
        cur.y += 20
    for line in spec.signature:
        _paragraph(cur, line, BODY, "right")
    return cur.pages
