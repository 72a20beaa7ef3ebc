"""Benchmark: annual review packets, one unit's and the district's (13 streets, 73 communities).

An archive in a temp folder (SQLite) holds the test fixture year (tests/packet_year.py) and
73 registered communities; prints seconds for one unit's packet and for all 86 units plus
the district packet (XLSX, DOCX, PDF, JSON, CSV, bag, ZIP, stored with an audit event),
against a floor measured in the same run: the same cells and text of the same packets
written with the bare libraries (openpyxl cells, python-docx paragraphs and tables, a
reportlab table of plain strings; no styles, no bag, no archive).

    .venv/bin/python bench/packets.py
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path[0] = str(Path(__file__).resolve().parents[1])

AS_OF = datetime(2014, 2, 28, 23, 59, 59, tzinfo=ZoneInfo("Asia/Shanghai"))


def _archive(home: Path):  # noqa: ANN202
    os.environ["FULIAN_HOME"] = str(home)
    os.environ.pop("FULIAN_DATABASE_URL", None)
    from archive.audit import now_iso
    from archive.models import Unit
    from archive.store import Archive
    from schemas.settings import Settings
    from tests.packet_year import ingest_year

    archive = Archive(Settings())
    streets = [u for u in archive.registry.units.values() if u.level == "street"]
    with archive.db.writer() as s:
        for n in range(73):
            street = streets[n % len(streets)]
            s.add(Unit(code=f"{street.code}-c{n:02d}", name=f"{street.name[:-4]}第{n + 1}社区妇联",
                       level="community", parent_code=street.code, aliases=[], confirmed=True,
                       created_at=now_iso()))
    docs = home / "docs"
    docs.mkdir()
    ingest_year(archive, docs)
    return archive


def _floor(packets: list) -> float:  # noqa: ANN001
    """The same cells and text with the bare libraries."""
    import docx
    import openpyxl
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table

    from packets.pdf_report import register_fonts
    from packets.report import REPORT_COLUMNS

    register_fonts()
    started = time.perf_counter()
    for packet in packets:
        wb = openpyxl.Workbook()
        document = docx.Document()
        story = []
        for section in packet.sections:
            ws = wb.create_sheet(section.title[:31])
            rows = [[c.header for c in section.columns]]
            rows += [["" if r.get(c.key) is None else str(r.get(c.key)) for c in section.columns]
                     for r in section.rows]
            for row in rows:
                ws.append(row)
            if section.key not in REPORT_COLUMNS:  # as in ours: XLSX only
                continue
            keep = [i for i, c in enumerate(section.columns) if c.key in REPORT_COLUMNS[section.key]]
            shown = [[row[i] for i in keep] for row in rows]
            document.add_paragraph(section.title)
            table = document.add_table(rows=0, cols=len(keep))
            for row in shown:
                for cell, value in zip(table.add_row().cells, row, strict=True):
                    cell.text = value
            story.append(Table(shown, style=[("FONTNAME", (0, 0), (-1, -1), "PacketSong")]))
        wb.save(io.BytesIO())
        document.save(io.BytesIO())
        SimpleDocTemplate(io.BytesIO(), pagesize=A4).build(story)
    return time.perf_counter() - started


def main() -> None:
    from flows.packet_inputs import year_inputs
    from flows.packets import Options, build_packets, score
    from schemas.scorecard import load_scorecard

    with tempfile.TemporaryDirectory() as tmp:
        archive = _archive(Path(tmp) / "home")
        year_inputs(archive, 2013, AS_OF)  # quality and completeness once (GX import) before timing
        started = time.perf_counter()
        build_packets(archive, 2013, Options(Path(tmp) / "one"), unit="jiefanglu", as_of=AS_OF)
        one = time.perf_counter() - started
        started = time.perf_counter()
        built = build_packets(archive, 2013, Options(Path(tmp) / "all"), as_of=AS_OF)
        district = time.perf_counter() - started
        failed = [b.scope for b in built if b.error]
        inputs = year_inputs(archive, 2013, AS_OF)
        card = load_scorecard()
        packets = [score(card, inputs, b.scope)[1] for b in built if b.scope != "district"]
        floor_one = _floor(packets[:1])
        floor_all = _floor(packets)
    print(f"units: {len(built) - 1} (+ district), failed: {failed or 'none'}")
    print(f"one unit (解放路):        {one:6.2f} s   floor {floor_one:6.2f} s   ratio {one / floor_one:5.1f}")
    print(f"district, all packets:    {district:6.2f} s   floor {floor_all:6.2f} s   ratio {district / floor_all:5.1f}")


if __name__ == "__main__":
    main()
