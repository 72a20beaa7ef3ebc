"""One unit's packet: scorecard, evidence, targets, completeness, two-plans statistics."""

from __future__ import annotations

from packets.model import Column, Packet, Section
from packets.scoring import ScoreSheet, pick_value
from schemas.doc_types import load_doc_types
from schemas.findings import KIND_LABELS, SEVERITY_LABELS
from schemas.indicators import load_indicator_catalog
from schemas.scorecard import Scorecard

CELL_STATUS = {"ok": "按时报送", "pending": "未到期", "missing": "未报送", "short": "未报齐",
               "late": "逾期报送"}
SCORE_COLUMNS = [
    Column("item", "项目", 10), Column("content", "考评内容", 30), Column("points", "分值", 7, "0.##"),
    Column("self_score", "自评", 7, "0.##"), Column("score", "区评", 8, "0.##"),
    Column("method", "考评方式说明", 36), Column("flag", "自评差异", 18), Column("value", "数值", 10), Column("target", "目标", 10),
    Column("note", "说明", 40), Column("evidence_ref", "证据", 14), Column("basis", "依据（规范化建设意见原文）", 40),
]
EVIDENCE_COLUMNS = [
    Column("n", "序号", 6, "0"), Column("content", "考评内容", 26), Column("side", "依据", 6),
    Column("document", "文件", 36),
    Column("sha256", "SHA-256", 20), Column("location", "位置", 16), Column("snippet", "原文", 60),
]


def score_rows(sheet: ScoreSheet) -> tuple[list[dict], list[dict]]:
    """Scorecard rows (with bonus and total rows) and the evidence rows they point to."""
    rows, evidence = [], []
    for line in sheet.lines:
        first = len(evidence) + 1
        for ev in line.evidence + ([{**line.self_evidence, "side": "自评"}] if line.self_evidence else []):
            evidence.append({"n": len(evidence) + 1, "content": line.content, "side": "区评", **ev})
        ref = _ref(first, len(evidence))
        rows.append({"key": line.key, "item": line.item, "content": line.content,
                     "points": line.points, "self_score": line.self_score, "flag": line.flag,
                     "score": line.score if line.status == "scored" else line.status_label,
                     "method": line.method, "value": _show(line.value), "target": line.target,
                     "note": line.note, "evidence_ref": ref, "basis": line.basis,
                     "status": line.status})
    rows.append({"key": "bonus", "item": "创新加分", "content": "创新工作加分（区妇联评定）",
                 "points": None, "self_score": None, "flag": "", "score": sheet.bonus,
                 "method": "区妇联根据创新工作评定，注明理由", "value": "", "target": "",
                 "note": sheet.bonus_note, "evidence_ref": "", "basis": "", "status": "bonus"})
    rows.append({"key": "total", "item": "合计", "content": f"已评分{len(sheet.lines) - sheet.unscored}项，"
                 f"无资料或待核实{sheet.unscored}项", "points": sum(x.points for x in sheet.lines),
                 "self_score": sheet.claimed_total, "flag": "", "score": sheet.total, "method": "", "value": "", "target": "",
                 "note": "", "evidence_ref": "", "basis": "", "status": "total"})
    return rows, evidence


def _ref(first: int, last: int) -> str:
    if last < first:
        return "—"
    return f"证据表第{first}项" if first == last else f"证据表第{first}–{last}项"


def _show(value: object) -> object:
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else value


def target_rows(card: Scorecard, values: list[dict], year: int) -> list[dict]:
    """Every indicator of the six work areas that has a target: value, target, met or not."""
    catalog = load_indicator_catalog()
    out = []
    for ind in catalog.indicators:
        if ind.target is None:
            continue
        pick = pick_value(values, ind.code, year, card.min_confidence)
        value = pick.row["value"] if pick.row else None
        result = {"no_data": "无资料", "unverified": "待核实"}.get(pick.status)
        if result is None:
            result = "达标" if ind.target.met(value) else "未达标"
        ev = pick.evidence[0] if pick.evidence else {}
        out.append({"area": catalog.areas.get(ind.area, ind.area), "name": ind.name,
                    "value": _show(value), "measure": ind.measure,
                    "target": ind.target.text() + ind.measure, "result": result,
                    "note": pick.note, "document": ev.get("document", ""),
                    "location": ev.get("location", "")})
    return out


TARGET_COLUMNS = [
    Column("area", "工作领域", 10), Column("name", "指标", 26), Column("value", "数值", 10),
    Column("measure", "计量单位", 8), Column("target", "目标", 10), Column("result", "结果", 8),
    Column("note", "说明", 30), Column("document", "文件", 36), Column("location", "位置", 14),
]
CELL_COLUMNS = [
    Column("label", "材料", 16), Column("period_label", "期间", 14), Column("required", "应报", 6, "0"),
    Column("count", "实报", 6, "0"), Column("on_time", "按时", 6, "0"), Column("deadline", "截止日期", 12),
    Column("status", "状态", 10),
]
RATE_COLUMNS = [
    Column("scope", "范围", 10), Column("expected", "应报期数", 8, "0"), Column("actual", "实报期数", 8, "0"),
    Column("on_time", "按时期数", 8, "0"), Column("rate", "报送率", 8, "0.0%"),
    Column("on_time_rate", "及时率", 8, "0.0%"),
]


def completeness_sections(cells: list[dict], rates: list[dict]) -> list[Section]:
    rows = [{**c, "status": CELL_STATUS.get(c["status"], c["status"])} for c in cells]
    late = [r for r in rows if r["status"] in ("未报送", "未报齐", "逾期报送")]
    scopes = {"own": "本级", "tree": "含下属单位"}
    return [
        Section("completeness", "报送情况", CELL_COLUMNS, rows,
                intro=f"应报材料逐期报送情况；缺报、少报或逾期{len(late)}期，见“缺报逾期”表。"),
        Section("missing", "缺报逾期", CELL_COLUMNS, late),
        Section("rates", "报送率", RATE_COLUMNS,
                [{**r, "scope": scopes.get(r["scope"], r["scope"])} for r in rates],
                intro="报送率＝实报期数÷应报期数，及时率＝按时期数÷应报期数（未到期的不计）。"),
    ]


PLAN_COLUMNS = [
    Column("code", "代码", 14), Column("name", "指标", 30), Column("value", "数值", 10, "0.##"),
    Column("measure", "计量单位", 8), Column("source_path", "文件", 36), Column("location", "位置", 14),
]
FINDING_COLUMNS = [
    Column("name", "指标", 26), Column("kind", "问题", 18), Column("severity", "级别", 6),
    Column("observed", "实际", 12), Column("expected", "应为", 12), Column("message", "说明", 50),
    Column("source_path", "文件", 36), Column("location", "位置", 14),
]


def plan_sections(plans: list[dict], findings: list[dict]) -> list[Section]:
    shown = [{**f, "kind": KIND_LABELS.get(f["kind"], f["kind"]),
              "severity": SEVERITY_LABELS.get(f["severity"], f["severity"]),
              "observed": _show(f.get("observed")), "expected": _show(f.get("expected"))}
             for f in findings]
    return [Section("two_plans", "两规统计", PLAN_COLUMNS, plans),
            Section("findings", "数据质量问题", FINDING_COLUMNS, shown)]


DOC_STATUS = {"accepted": "已归档（计入）", "superseded": "已被替代（不计）", "duplicate": "重复（不计）",
              "rejected": "已拒收（隔离保存）", "needs_review": "待审核（不计）"}
DOC_COLUMNS = [
    Column("id", "收件号", 7, "0"), Column("source_path", "文件", 36), Column("status", "状态", 14),
    Column("doc_type", "类型", 12), Column("period", "期间", 9), Column("received_at", "收到时间", 20),
    Column("sha256", "SHA-256", 20), Column("sm3", "SM3", 20), Column("superseded_by", "被替代为", 30),
    Column("check", "摘要复核", 10),
]
EVENT_COLUMNS = [Column("seq", "序号", 8, "0"), Column("at", "时间", 22), Column("actor", "操作人", 12),
                 Column("action", "事件", 24), Column("source_path", "文件", 36)]


def index_sections(docs: list[dict], checks: dict, doc_names: dict[str, str]) -> list[Section]:
    """Every document of the unit and year, the audit events about them, and their check now."""
    blobs = checks.get("blobs", {})
    rows = [{**d, "status": DOC_STATUS.get(d["status"], d["status"]),
             "doc_type": doc_names.get(d["doc_type"] or "", d["doc_type"] or ""),
             "check": "一致" if not blobs.get(d["sha256"] or "", "n/a") else blobs.get(d["sha256"] or "", "")}
            for d in docs]
    events = [{**e, "source_path": d["source_path"]} for d in docs for e in d["events"]]
    bad = sum(1 for d in docs if blobs.get(d["sha256"] or ""))
    chain = "通过" if checks.get("chain_ok") else "未通过（请运行 fulian verify）"
    intro = (f"共{len(docs)}份；审计链校验{chain}；文件摘要（SHA-256、SM3）复核"
             + ("全部一致。" if not bad else f"有{bad}份不一致。"))
    return [Section("documents", "文件目录", DOC_COLUMNS, rows, intro=intro),
            Section("events", "审计记录", EVENT_COLUMNS, sorted(events, key=lambda e: e["seq"]))]


def unit_packet(card: Scorecard, sheet: ScoreSheet, *, plans: list[dict], rates: list[dict],
                as_of: str, archive_state: str, cells: list[dict], findings: list[dict],
                values: list[dict], docs: list[dict] | None = None, checks: dict | None = None) -> Packet:
    rows, evidence = score_rows(sheet)
    name = sheet.unit["name"]
    total = sheet.total
    summary = {"unit": sheet.unit["code"], "name": name, "level": sheet.unit["level"],
               "total": total, "grade": card.grade(total), "unscored": sheet.unscored,
               "areas": {line.item: sheet.area_total(line.item) for line in sheet.lines}}
    sections = [
        Section("scorecard", "考评表", SCORE_COLUMNS, rows,
                intro=f"区评由存档材料计算，合计{total:g}分（{summary['grade']}）；"
                      "“无资料”“待核实”的项目不计分，待补齐或核实后重新生成。"),
        Section("evidence", "证据", EVIDENCE_COLUMNS, evidence),
        Section("targets", "目标完成情况", TARGET_COLUMNS, target_rows(card, values, sheet.year)),
        *completeness_sections(cells, rates),
        *plan_sections(plans, findings),
        *index_sections(docs or [], checks or {}, {k: v.name for k, v in load_doc_types().items()}),
    ]
    return Packet(sheet.year, sheet.unit["code"], f"{sheet.year}年度基层妇联工作考评资料（{name}）",
                  name, as_of, archive_state, sections, summary)
