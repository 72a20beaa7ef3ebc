"""The files of a packet, by name inside the bag's data/ folder: XLSX, DOCX, PDF, JSON, CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from packets.docx_report import write_docx
from packets.model import Packet
from packets.pdf_report import write_pdf
from packets.report import build_report
from packets.xlsx import write_xlsx


def scorecard_csv(packet: Packet) -> bytes:
    """The scorecard (or the district ranking) as CSV, UTF-8 with BOM so Excel reads it."""
    section = packet.section("ranking" if packet.scope == "district" else "scorecard")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([c.header for c in section.columns])
    for row in section.rows:
        writer.writerow(["" if row.get(c.key) is None else row.get(c.key) for c in section.columns])
    return ("\ufeff" + buf.getvalue()).encode()


def payload(packet: Packet, when: datetime, *, signature: str, doc_number: str | None) -> dict[str, bytes]:
    base = f"{packet.year}年度考评资料-{packet.unit_name}"
    report = build_report(packet, signature, doc_number)
    as_json = json.dumps(packet.as_json(), ensure_ascii=False, indent=1, sort_keys=True, default=str)
    return {f"{base}.xlsx": write_xlsx(packet, when), f"{base}.docx": write_docx(report, when),
            f"{base}.pdf": write_pdf(report), f"{base}.json": (as_json + "\n").encode(),
            f"{base}-{'排名' if packet.scope == 'district' else '考评表'}.csv": scorecard_csv(packet)}
