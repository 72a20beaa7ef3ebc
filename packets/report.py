"""The report of a packet as a list of blocks, rendered alike to DOCX and PDF.

Headings follow GB/T 9704-2012: 一、 for sections, （一） below them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from packets.model import Column, Packet, Section

CN_NUMBERS = "一二三四五六七八九十"
# Which sections the report prints, and which of their columns (XLSX has them all).
REPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "scorecard": ("item", "content", "points", "self_score", "score", "method", "flag"),
    "review": ("content", "status", "note"),
    "targets": ("area", "name", "value", "target", "result"),
    "missing": ("label", "period_label", "required", "count", "status"),
    "rates": ("scope", "expected", "actual", "on_time", "rate", "on_time_rate"),
    "findings": ("name", "kind", "severity", "message"),
    "evidence": ("n", "content", "document", "location", "snippet"),
    "documents": ("id", "source_path", "status", "period", "received_at", "check"),
    "ranking": ("level", "rank", "unit", "total", "grade", "unscored"),
    "figures": ("area", "name", "target", "reported", "met", "sum", "mean"),
}


@dataclass
class Block:
    kind: str  # heading | para | table
    text: str = ""
    columns: list[Column] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)


@dataclass
class Report:
    title: str
    blocks: list[Block]
    signature: str
    date_text: str  # 2014年2月28日: Arabic numerals, as GB/T 9704-2012 asks
    doc_number: str | None = None  # 历下妇发〔2014〕3号


def date_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _table(section: Section) -> Block:
    keys = REPORT_COLUMNS.get(section.key)
    columns = [c for c in section.columns if keys is None or c.key in keys]
    return Block("table", columns=columns, rows=section.rows)


def _review_section(packet: Packet) -> Section | None:
    """无资料 and 待核实 lines: what to ask the unit for."""
    rows = [r for r in packet.section("scorecard").rows if r.get("status") in ("no_data", "unverified")]
    if not rows:
        return None
    columns = [Column("content", "考评内容"), Column("status", "情况"), Column("note", "需补充或核实")]
    shown = [{**r, "status": "无资料" if r["status"] == "no_data" else "待核实"} for r in rows]
    return Section("review", "需补充或核实的材料", columns, shown)


def build_report(packet: Packet, signature: str, doc_number: str | None = None) -> Report:
    sections = list(packet.sections)
    if packet.scope != "district" and (review := _review_section(packet)):
        sections.insert(1, review)
    blocks = [Block("para", _opening(packet))]
    n = 0
    for section in sections:
        if section.key not in REPORT_COLUMNS:  # units side by side (one column a unit): XLSX only
            continue
        blocks.append(Block("heading", f"{CN_NUMBERS[n]}、{section.title}"))
        n += 1
        if section.intro:
            blocks.append(Block("para", section.intro))
        blocks.append(_table(section) if section.rows else Block("para", "无。"))
    return Report(packet.title, blocks, signature, date_text(date.fromisoformat(packet.as_of)),
                  doc_number)


def _opening(packet: Packet) -> str:
    s = packet.summary
    if packet.scope == "district":
        grades = "，".join(f"{k}{v}个" for k, v in s.get("grades", {}).items())
        return (f"根据历下妇发〔2013〕12号《关于加强基层妇联工作规范化建设的意见（试行）》，"
                f"按截至{packet.as_of}的存档材料，对{s.get('units', 0)}个基层单位{packet.year}年度工作进行考评。"
                f"等次：{grades}。")
    return (f"根据历下妇发〔2013〕12号《关于加强基层妇联工作规范化建设的意见（试行）》，按截至{packet.as_of}"
            f"的存档材料考评，{packet.unit_name}{packet.year}年度区评合计{s['total']:g}分，等次为{s['grade']}；"
            f"另有{s['unscored']}项无资料或待核实，未计分。")
