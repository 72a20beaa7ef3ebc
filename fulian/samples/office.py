"""Office writers: docx (python-docx), xlsx (openpyxl), xls (xlwt), csv.

Every writer is `(path, content) -> path` and gives the same bytes for the same
content: zip timestamps and document properties are pinned (see `freeze_zip`).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import openpyxl
import xlwt
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl.styles import Alignment, Border, Font, Side

from fulian.samples.spec import Cell, DocSpec, SheetSpec, TableSpec, Workbook

FIXED_TIME = datetime(2013, 12, 20, 9, 0, 0)
_ZIP_TIME = (2013, 12, 20, 9, 0, 0)
_CORE_DATE = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def freeze_zip(path: Path) -> Path:
    """Rewrite an OOXML zip with fixed entry times and core-property dates (stable bytes)."""
    with zipfile.ZipFile(path) as src:
        entries = [(i.filename, src.read(i.filename)) for i in src.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = _CORE_DATE.sub(rb"\g<1>2013-12-20T09:00:00Z\g<2>", data)
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data)
    path.write_bytes(buf.getvalue())
    return path


def _text(value: Cell) -> str:
    return "" if value is None else str(value)


# ---------------------------------------------------------------- docx

def _set_east_asian_font(document: docx.document.Document, name: str = "宋体") -> None:
    style = document.styles["Normal"]
    style.font.size = Pt(12)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _add_title(document: docx.document.Document, spec: DocSpec) -> None:
    if spec.title_style == "title":
        document.add_heading(spec.title, level=0)
    elif spec.title_style == "heading":
        document.add_heading(spec.title, level=1)
    else:
        para = document.add_paragraph()
        run = para.add_run(spec.title)
        if spec.title_style == "bold":
            run.bold = True
            run.font.size = Pt(18)
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _add_table(document: docx.document.Document, table: TableSpec) -> None:
    grid = table.grid
    out = document.add_table(rows=len(grid), cols=table.width)
    out.style = "Table Grid"
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate(grid):
        for c, value in enumerate(values):
            if value is not None:
                out.cell(r, c).text = _text(value)
    for r1, c1, r2, c2 in table.merges:
        keep = out.cell(r1, c1).text
        merged = out.cell(r1, c1).merge(out.cell(r2, c2))
        merged.text = keep  # merge() concatenates the texts of all merged cells


def write_docx(path: Path, spec: DocSpec) -> Path:
    """A Word document: optional doc number, title, body, header/footer, signature."""
    document = docx.Document()
    _set_east_asian_font(document)
    section = document.sections[0]
    if spec.header:
        section.header.paragraphs[0].text = spec.header
    if spec.footer:
        section.footer.paragraphs[0].text = spec.footer
    if spec.doc_number:
        document.add_paragraph(spec.doc_number).alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_title(document, spec)
    for item in spec.body:
        if isinstance(item, TableSpec):
            _add_table(document, item)
        else:
            document.add_paragraph(item).paragraph_format.first_line_indent = Pt(24)
    for line in spec.signature:
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    props = document.core_properties
    props.author, props.title = "Administrator", ""
    props.created = props.modified = FIXED_TIME
    props.last_modified_by = "Administrator"
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return freeze_zip(path)


# ---------------------------------------------------------------- xlsx / xls

def _sheets(content: SheetSpec | Workbook) -> list[SheetSpec]:
    return content.sheets if isinstance(content, Workbook) else [content]


def write_xlsx(path: Path, content: SheetSpec | Workbook) -> Path:
    """An Excel workbook with merged title/header cells; text cells stay text."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    thin = Side(style="thin")
    for sheet in _sheets(content):
        ws = book.create_sheet(sheet.name)
        cells, merges = sheet.layout()
        top = 1 if sheet.title else 0
        top += len(sheet.notes_before)
        table_rows = range(top, top + len(sheet.table.grid))
        for r, c, value in cells:
            cell = ws.cell(row=r + 1, column=c + 1, value=value)
            if r in table_rows:
                cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if sheet.title:
            ws.cell(row=1, column=1).font = Font(bold=True, size=16)
            ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
        for r1, c1, r2, c2 in merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
        for i, width in enumerate(sheet.col_widths):
            ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = width
    book.properties.creator = "Administrator"
    book.properties.created = book.properties.modified = FIXED_TIME
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))
    return freeze_zip(path)


def write_xls(path: Path, content: SheetSpec | Workbook) -> Path:
    """A legacy BIFF8 .xls (xlwt): same layout as write_xlsx, merges included."""
    book = xlwt.Workbook(encoding="utf-8")
    centred = xlwt.easyxf("align: horiz center, vert center, wrap on; borders: left thin, "
                          "right thin, top thin, bottom thin")
    for sheet in _sheets(content):
        ws = book.add_sheet(sheet.name[:31])
        cells, merges = sheet.layout()
        values = {(r, c): v for r, c, v in cells}
        covered: set[tuple[int, int]] = set()
        for r1, c1, r2, c2 in merges:
            ws.write_merge(r1, r2, c1, c2, values.get((r1, c1)), centred)
            covered.update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
        for (r, c), value in values.items():
            if (r, c) not in covered:
                ws.write(r, c, value)
        for i, width in enumerate(sheet.col_widths):
            ws.col(i).width = int(width * 256)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))
    return path


# ---------------------------------------------------------------- csv

CSV_ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")


def write_csv(path: Path, content: TableSpec | list[list[Cell]], encoding: str = "utf-8") -> Path:
    """A CSV file in UTF-8, UTF-8 with BOM, or GB18030 (what Excel in China saves)."""
    rows = content.grid if isinstance(content, TableSpec) else content
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([[_text(v) for v in r] for r in rows])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path
