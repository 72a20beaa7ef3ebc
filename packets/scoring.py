"""区评: score one unit's year from what the archive holds, every score with its evidence.

Pure: plain rows in (indicator values, completeness cells, quality findings, the unit's
counting documents), scored lines out. Three outcomes a line can have, never mixed up:
- scored     a number, from values that count, with the documents it came from;
- no_data    无资料: nothing to score from; the line says which document was due
             (no data is not zero: it is left out of the total and asked for);
- unverified 待核实: there is something, but the extractor was unsure, a reviewer has not
             decided, or two documents disagree; never silently scored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from packets.methods import describe, score_cells, score_findings, score_value
from schemas.doc_types import load_doc_types
from schemas.findings import TWO_PLANS_KINDS
from schemas.indicators import load_indicator_catalog
from schemas.scorecard import Line, Scorecard

STATUS_LABELS = {"scored": "已评分", "no_data": "无资料", "unverified": "待核实", "not_due": "未到期"}


@dataclass
class UnitInputs:
    unit: dict  # code, name, level, parent
    values: list[dict] = field(default_factory=list)  # indicator rows of archive.queries_data
    cells: list[dict] = field(default_factory=list)  # completeness rows of the unit
    findings: list[dict] = field(default_factory=list)  # quality findings of the unit
    documents: list[dict] = field(default_factory=list)  # counting submissions of the unit
    claims: list[dict] = field(default_factory=list)  # 自评: content, score, location, document, sha256


@dataclass
class ScoredLine:
    key: str
    item: str
    content: str
    points: float
    method: str  # 考评方式说明
    basis: str
    status: str  # scored | no_data | unverified | not_due
    score: float | None = None
    value: object = None
    target: str = ""
    note: str = ""
    evidence: list[dict] = field(default_factory=list)  # document, sha256, location, snippet
    self_score: float | None = None  # 自评, claimed in the unit's 自评表
    self_evidence: dict | None = None  # where the claim was read
    flag: str = ""  # 自评 and 区评 differ by more than the margin

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class ScoreSheet:
    unit: dict
    year: int
    lines: list[ScoredLine]
    bonus: float = 0.0  # 创新加分, awarded by hand (capped at the scorecard's bonus_max)
    bonus_note: str = ""

    @property
    def total(self) -> float:
        """The scored lines plus the bonus; 无资料 and 待核实 lines add nothing."""
        return round(sum(line.score or 0 for line in self.lines) + self.bonus, 2)

    @property
    def claimed_total(self) -> float | None:
        """The unit's own total (自评), when it sent a self-evaluation sheet."""
        claimed = [line.self_score for line in self.lines if line.self_score is not None]
        return round(sum(claimed), 2) if claimed else None

    @property
    def unscored(self) -> int:
        return sum(1 for line in self.lines if line.status in ("no_data", "unverified"))

    def area_total(self, item: str) -> float:
        return round(sum(line.score or 0 for line in self.lines if line.item == item), 2)


def score_unit(card: Scorecard, inputs: UnitInputs, year: int, bonus: dict | None = None) -> ScoreSheet:
    """Score a unit; `bonus` is its award ({points, reason, by, at}) if it has one."""
    lines = [_score_line(card, line, inputs, year) for line in card.lines(inputs.unit["level"])]
    if not bonus:
        return ScoreSheet(inputs.unit, year, lines)
    points = max(0.0, min(card.bonus_max, float(bonus["points"])))
    note = f"{bonus['reason']}（{bonus['by']}评定，{str(bonus['at'])[:10]}）"
    if points != float(bonus["points"]):
        note += f"；评定{bonus['points']:g}分，按上限{card.bonus_max:g}分计"
    return ScoreSheet(inputs.unit, year, lines, round(points, 2), note)


def _blank(line: Line, card: Scorecard) -> ScoredLine:
    return ScoredLine(key=line.key, item=line.item, content=line.content, points=line.points,
                      method=describe(line, load_indicator_catalog()), basis=line.basis,
                      status="scored")


def _score_line(card: Scorecard, line: Line, inputs: UnitInputs, year: int) -> ScoredLine:
    out = _blank(line, card)
    kind = line.source.kind
    if kind == "indicator":
        _from_indicator(out, line, inputs, year, card.min_confidence)
    elif kind == "completeness":
        _from_completeness(out, line, inputs)
    else:
        _from_quality(out, line, inputs, year)
    return out


def value_evidence(row: dict) -> dict:
    return {"document": row.get("source_path") or "", "sha256": row.get("source_sha256") or "",
            "location": row.get("location") or "", "snippet": row.get("evidence") or ""}


def document_evidence(doc: dict) -> dict:
    return {"document": doc.get("source_path") or "", "sha256": doc.get("sha256") or "",
            "location": f"收到时间 {str(doc.get('received_at') or '')[:19]}",
            "snippet": f"{doc.get('period') or ''} {_doc_name(doc.get('doc_type'))}".strip()}


def _doc_name(code: str | None) -> str:
    dt = load_doc_types().get(code or "")
    return dt.name if dt else (code or "")


def due_note(due: str | None, documents: list[dict], year: int) -> str:
    """无资料 and what to ask the unit for."""
    if not due:
        return "无资料"
    name = _doc_name(due)
    got = sorted(d["source_path"] for d in documents if d.get("doc_type") == due)
    if not got:
        return f"无资料：未收到{year}年{name}，请单位补报"
    return f"无资料：已收到{name}（{'、'.join(got)}），其中未写明此项，请单位补充"


@dataclass
class Pick:
    """The value of one indicator for a unit and year, or why there is none to score."""

    status: str  # scored | no_data | unverified
    row: dict | None = None
    note: str = ""
    evidence: list[dict] = field(default_factory=list)
    rejected: int = 0  # values a reviewer rejected (not counted)


def pick_value(values: list[dict], code: str, year: int, min_conf: float) -> Pick:
    rows = [r for r in values if r.get("code") == code]
    counted = [r for r in rows if r.get("review", "ok") != "rejected"]
    rejected = len(rows) - len(counted)
    if not counted:
        return Pick("no_data", rejected=rejected)
    annual = [r for r in counted if str(r.get("period")) == str(year)]
    evidence = [value_evidence(r) for r in (annual or counted)]
    problem = _doubt(annual, counted, min_conf)
    if problem:
        return Pick("unverified", annual[0] if len(annual) == 1 else None, problem, evidence, rejected)
    row = annual[0]
    note = ""
    if row.get("review") == "corrected":
        note = (f"已更正：原值{row.get('original_value')}，由{row.get('corrected_by') or '审核人'}"
                f"更正为{row['value']}（{row.get('correction_reason') or '未注明理由'}）")
    return Pick("scored", row, note, evidence, rejected)


def _from_indicator(out: ScoredLine, line: Line, inputs: UnitInputs, year: int,
                    min_conf: float) -> None:
    indicator = load_indicator_catalog().get(line.source.ref)
    out.target = indicator.target.text() + indicator.measure if indicator.target else ""
    pick = pick_value(inputs.values, indicator.code, year, min_conf)
    out.status, out.note, out.evidence = pick.status, pick.note, pick.evidence
    out.value = pick.row["value"] if pick.row else None
    if pick.status == "no_data":
        out.note = due_note(line.due, inputs.documents, year)
    elif pick.status == "scored":
        out.score = score_value(line, indicator, out.value)
    if pick.rejected:
        out.note += f"（另有{pick.rejected}个值已被审核驳回，不计）"


def _doubt(annual: list[dict], counted: list[dict], min_conf: float) -> str:
    """Why a value cannot be scored as it is, or "" when it can."""
    if not annual:
        periods = "、".join(sorted({str(r.get("period")) for r in counted}))
        return f"待核实：只有{periods}期间的数值，没有全年数"
    if any(r.get("review") == "pending" for r in annual):
        return "待核实：提取结果等待人工审核"
    # A person's decision on a value settles it; only undecided values are held to min_conf.
    low = [r for r in annual if not r.get("corrected_by")
           and (r.get("confidence") if r.get("confidence") is not None else 1) < min_conf]
    if low:
        return f"待核实：识别可信度{min(r['confidence'] for r in low):.2f}，低于{min_conf:g}"
    distinct = sorted({str(r["value"]) for r in annual})
    if len(distinct) > 1:
        return f"待核实：不同材料数值不一致（{'、'.join(distinct)}）"
    return ""


def _from_completeness(out: ScoredLine, line: Line, inputs: UnitInputs) -> None:
    doc_type = line.source.ref
    cells = [c for c in inputs.cells if c.get("doc_type") == doc_type]
    docs = [d for d in inputs.documents if d.get("doc_type") == doc_type]
    out.evidence = [document_evidence(d) for d in sorted(docs, key=lambda d: (str(d["period"]),
                                                                             d["source_path"]))]
    due = [c for c in cells if c["status"] != "pending"]
    out.target = f"应报{sum(int(c['required']) for c in cells)}{cells[0].get('unit_word') or '份'}" if cells else ""
    if not due:
        out.status, out.note = "not_due", "报送期限未到，暂不评分"
        return
    out.value = f"{sum(min(int(c['count']), int(c['required'])) for c in due)}/{sum(int(c['required']) for c in due)}"
    out.score, out.note = score_cells(line, due)


def _from_quality(out: ScoredLine, line: Line, inputs: UnitInputs, year: int) -> None:
    findings = [f for f in inputs.findings if f.get("kind") in TWO_PLANS_KINDS]
    docs = [d for d in inputs.documents if d.get("doc_type") == "two_plans_statistics"]
    if not docs and not findings:
        out.status, out.note = "no_data", due_note(line.due or "two_plans_statistics", [], year)
        return
    out.evidence = [{"document": f.get("source_path") or "", "sha256": f.get("sha256") or "",
                     "location": f.get("location") or "", "snippet": f.get("message") or ""}
                    for f in findings] or [document_evidence(d) for d in docs]
    out.score, out.note = score_findings(line, findings)
    out.value = f"错误{sum(1 for f in findings if f.get('severity') == 'error')}个"
