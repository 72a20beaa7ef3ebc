"""The report as PDF, with CJK fonts from Debian embedded (subsets), text extractable.

Fonts: AR PL SungtiL GB (fonts-arphic-gbsn00lp, a 宋体) for text, WenQuanYi Zen Hei
(fonts-wqy-zenhei, a 黑体) for the title and headings; both TrueType, so reportlab embeds
them (NotoSansCJK's CFF outlines it cannot). `invariant` pins the creation date and
document id: the same report gives the same bytes.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from packets.report import Block, Report

FONT_FILES = {
    "PacketSong": (Path("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"), 0),
    "PacketHei": (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0),
}


class FontMissing(RuntimeError):
    """A CJK font file is not installed (scripts/system-deps.sh installs them)."""


def register_fonts() -> None:
    for name, (path, index) in FONT_FILES.items():
        if name in pdfmetrics.getRegisteredFontNames():
            continue
        if not path.exists():
            raise FontMissing(f"{path} (Debian package fonts-arphic-gbsn00lp / fonts-wqy-zenhei)")
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName="PacketSong", fontSize=14, leading=24, wordWrap="CJK",
                          firstLineIndent=28)
    return {
        "title": ParagraphStyle("title", fontName="PacketHei", fontSize=20, leading=32,
                                alignment=TA_CENTER, spaceAfter=16, wordWrap="CJK"),
        "number": ParagraphStyle("number", parent=body, alignment=TA_CENTER, firstLineIndent=0),
        "heading": ParagraphStyle("heading", parent=body, fontName="PacketHei", spaceBefore=8),
        "body": body,
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT, firstLineIndent=0,
                                rightIndent=56),
        "cell": ParagraphStyle("cell", fontName="PacketSong", fontSize=8, leading=10, wordWrap="CJK"),
        "head": ParagraphStyle("head", fontName="PacketHei", fontSize=8, leading=10, wordWrap="CJK"),
    }


def _cell_text(value: object, number: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1%}" if number == "0.0%" else f"{value:g}"
    return str(value)


def _cell(value: object, number: str | None, width: float, style: ParagraphStyle) -> object:
    """Text that fits on one line is drawn as is; only longer text is wrapped (wrapping CJK
    paragraphs is most of the time a PDF takes)."""
    text = _cell_text(value, number)
    if "\n" not in text and pdfmetrics.stringWidth(text, style.fontName, style.fontSize) <= width - 8:
        return text
    return Paragraph(escape(text), style)


def _table(block: Block, styles: dict[str, ParagraphStyle], width: float) -> LongTable:
    weights = [c.width for c in block.columns]
    widths = [width * w / sum(weights) for w in weights]
    data = [[Paragraph(escape(c.header), styles["head"]) for c in block.columns]]
    data += [[_cell(r.get(c.key), c.number, w, styles["cell"]) for c, w in zip(block.columns, widths, strict=True)]
             for r in block.rows]
    table = LongTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), "PacketSong"),  # else the table sets Helvetica (not embedded)
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def _page_number(canvas, doc) -> None:  # noqa: ANN001
    """"— 1 —" below the text block: odd pages right, even pages left, one character in."""
    canvas.saveState()
    canvas.setFont("PacketSong", 12)
    text = f"— {doc.page} —"
    y = 35 * mm - 7 * mm - 12
    if doc.page % 2:
        canvas.drawRightString(A4[0] - 26 * mm - 14, y, text)
    else:
        canvas.drawString(28 * mm + 14, y, text)
    canvas.restoreState()


def write_pdf(report: Report) -> bytes:
    register_fonts()
    styles = _styles()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, topMargin=37 * mm, bottomMargin=35 * mm,
                            leftMargin=28 * mm, rightMargin=26 * mm, title=report.title,
                            author="fulian", creator="fulian", invariant=1,
                            initialFontName="PacketSong", initialFontSize=12)
    story: list = []
    if report.doc_number:
        story.append(Paragraph(escape(report.doc_number), styles["number"]))
    story.append(Paragraph(escape(report.title), styles["title"]))
    for block in report.blocks:
        if block.kind == "table":
            story += [_table(block, styles, doc.width), Spacer(1, 6)]
        else:
            story.append(Paragraph(escape(block.text), styles["heading" if block.kind == "heading" else "body"]))
    story += [Spacer(1, 24), Paragraph(escape(report.signature), styles["right"]),
              Paragraph(escape(report.date_text), styles["right"])]
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buf.getvalue()
