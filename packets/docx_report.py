"""The report as DOCX in the conventions of GB/T 9704-2012 (党政机关公文格式).

A4; margins 37/35/28/26 mm give the 版心 of 156 × 225 mm; title 2号 (22 pt) 小标宋;
body 3号 (16 pt) 仿宋, 22 lines a page; headings 一、 in 黑体; the date in Arabic numerals
右空四字; page numbers "— 1 —" in 4号 宋体, odd pages right and even pages left, 空一字.
Fonts are named as federations' computers have them; Word substitutes where they lack one.
"""

from __future__ import annotations

import io
from datetime import datetime

import docx
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from packets.containers import pin_office_zip
from packets.report import Block, Report

TITLE_FONT, BODY_FONT, HEAD_FONT, PAGE_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "宋体"
BODY_PT, TABLE_PT = 16, 10.5
CHAR = Pt(BODY_PT)  # one character of body text: indents are counted in characters


def _font(run_or_style, name: str, size: float | None = None, bold: bool = False) -> None:  # noqa: ANN001
    font = run_or_style.font
    font.name = name
    font.bold = bold
    if size:
        font.size = Pt(size)
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), name)


def _page_setup(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Pt(14)  # 页码位于版心下边缘之下7mm
    normal = document.styles["Normal"]
    _font(normal, BODY_FONT, BODY_PT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28.95)
    fmt.space_before = fmt.space_after = Pt(0)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph, align: WD_ALIGN_PARAGRAPH) -> None:  # noqa: ANN001
    """"— 1 —": a PAGE field between em dashes, one character in from the edge."""
    paragraph.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = Pt(14)
    else:
        paragraph.paragraph_format.left_indent = Pt(14)
    _font(paragraph.add_run("— "), PAGE_FONT, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        _font(run, PAGE_FONT, 14)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    _font(paragraph.add_run(" —"), PAGE_FONT, 14)


def _paragraph(document, text: str, *, font: str = BODY_FONT, size: float = BODY_PT,  # noqa: ANN001
               align: WD_ALIGN_PARAGRAPH | None = None, indent: bool = True) -> None:
    p = document.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = CHAR * 2
    _font(p.add_run(text), font, size)


def _table(document, block: Block) -> None:  # noqa: ANN001
    table = document.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, column in zip(table.rows[0].cells, block.columns, strict=True):
        _cell(cell, column.header, bold=True)
    for row in block.rows:
        cells = table.add_row().cells
        for cell, column in zip(cells, block.columns, strict=True):
            _cell(cell, _text(row.get(column.key), column.number))


def _cell(cell, text: str, bold: bool = False) -> None:  # noqa: ANN001
    p = cell.paragraphs[0]
    fmt = p.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.SINGLE, None
    _font(p.add_run(text), BODY_FONT if not bold else HEAD_FONT, TABLE_PT)


def _text(value: object, number: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and number == "0.0%":
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def write_docx(report: Report, when: datetime) -> bytes:
    document = docx.Document()
    _page_setup(document)
    core = document.core_properties
    core.title, core.author, core.last_modified_by = report.title, "fulian", "fulian"
    core.created = core.modified = when
    core.revision = 1
    if report.doc_number:
        _paragraph(document, report.doc_number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        _paragraph(document, "", indent=False)
    _paragraph(document, report.title, font=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER,
               indent=False)
    _paragraph(document, "", indent=False)
    for block in report.blocks:
        if block.kind == "heading":
            _paragraph(document, block.text, font=HEAD_FONT)
        elif block.kind == "para":
            _paragraph(document, block.text)
        else:
            _table(document, block)
    _paragraph(document, "", indent=False)
    for text in (report.signature, report.date_text):
        _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        document.paragraphs[-1].paragraph_format.right_indent = CHAR * 4  # 右空四字
    buf = io.BytesIO()
    document.save(buf)
    return pin_office_zip(buf.getvalue(), when)
