"""A packet as an XLSX workbook for statistics staff: one sheet per section.

Frozen headers, numbers stored as numbers (with a number format), A4 print set-up with
the header row repeated, evidence references as links to the evidence sheet.
"""

from __future__ import annotations

import io
import re
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from packets.containers import pin_office_zip
from packets.model import Packet, Section

_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_FLAG_FILL = PatternFill("solid", fgColor="FCE4D6")
_WRAP = Alignment(wrap_text=True, vertical="top")
_EVIDENCE_REF = re.compile(r"证据表第(\d+)")
_FLAGGED = ("无资料", "待核实")


def write_xlsx(packet: Packet, when: datetime) -> bytes:
    """The workbook's bytes; `when` is stamped as its creation time (fixed: stable bytes)."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "fulian"
    wb.properties.title = packet.title
    wb.properties.created = wb.properties.modified = when.replace(tzinfo=None)
    evidence_rows = _evidence_rows(packet)
    for section in packet.sections:
        _sheet(wb.create_sheet(section.title[:31]), section, evidence_rows)
    buf = io.BytesIO()
    wb.save(buf)
    return pin_office_zip(buf.getvalue(), when)


def _evidence_rows(packet: Packet) -> dict[int, int]:
    """Evidence number → its row in the evidence sheet (header is row 1)."""
    try:
        section = packet.section("evidence")
    except StopIteration:
        return {}
    return {int(r["n"]): i + 2 for i, r in enumerate(section.rows)}


def _sheet(ws: Worksheet, section: Section, evidence_rows: dict[int, int]) -> None:
    for col, column in enumerate(section.columns, 1):
        cell = ws.cell(row=1, column=col, value=column.header)
        cell.font, cell.fill, cell.alignment = _HEAD_FONT, _HEAD_FILL, _WRAP
        ws.column_dimensions[get_column_letter(col)].width = column.width
    for r, row in enumerate(section.rows, 2):
        for col, column in enumerate(section.columns, 1):
            cell = ws.cell(row=r, column=col, value=_cell_value(row.get(column.key)))
            cell.alignment = _WRAP
            if column.number and isinstance(cell.value, int | float):
                cell.number_format = column.number
            if cell.value in _FLAGGED or (column.key == "flag" and cell.value):
                cell.fill = _FLAG_FILL
            if column.key == "evidence_ref" and (m := _EVIDENCE_REF.match(str(cell.value or ""))):
                target = evidence_rows.get(int(m.group(1)))
                if target:
                    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'证据'!A{target}")
                    cell.style = "Hyperlink"
                    cell.alignment = _WRAP
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if section.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(section.columns))}{len(section.rows) + 1}"


def _cell_value(value: object) -> object:
    """Numbers stay numbers; lists and dicts become readable text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)
