"""The district packet: every unit side by side, the ranking, grades, figures against targets."""

from __future__ import annotations

from packets.model import Column, Packet, Section
from packets.scoring import ScoreSheet, pick_value
from schemas.indicators import load_indicator_catalog
from schemas.scorecard import Scorecard

LEVEL_NAMES = {"street": "街道妇联", "community": "社区妇联", "two_new": "两新组织妇女组织"}
TIE_TEXT = {"unscored_lines": "无资料、待核实项目少者在前", "code": "单位代码顺序"}


def rank(card: Scorecard, sheets: list[ScoreSheet]) -> list[ScoreSheet]:
    """Total descending, then the scorecard's tie_break keys in order (documented in the YAML)."""
    def key(sheet: ScoreSheet) -> tuple:
        parts: list = [-sheet.total]
        for rule in card.tie_break:
            if rule == "unscored_lines":
                parts.append(sheet.unscored)
            elif rule.startswith("area:"):
                name = load_indicator_catalog().areas.get(rule[5:], rule[5:])
                parts.append(-sheet.area_total(name))
            else:
                parts.append(str(sheet.unit.get(rule, "")))
        return tuple(parts)
    return sorted(sheets, key=key)


def tie_rule_text(card: Scorecard) -> str:
    areas = load_indicator_catalog().areas
    words = [TIE_TEXT.get(r) or f"{areas.get(r[5:], r[5:])}得分高者在前" for r in card.tie_break]
    return "按总分（含创新加分）从高到低排列；总分相同时依次比较：" + "，".join(words) + "。"


def ranking_rows(card: Scorecard, sheets: list[ScoreSheet]) -> list[dict]:
    areas = list(load_indicator_catalog().areas.values())
    out = []
    for level in LEVEL_NAMES:
        ordered = rank(card, [s for s in sheets if s.unit["level"] == level])
        for n, sheet in enumerate(ordered, 1):
            out.append({"level": LEVEL_NAMES[level], "rank": n, "unit": sheet.unit["name"],
                        "code": sheet.unit["code"], "total": sheet.total,
                        "grade": card.grade(sheet.total), "bonus": sheet.bonus,
                        "unscored": sheet.unscored,
                        **{f"area_{a}": sheet.area_total(a) for a in areas}})
    return out


def side_by_side(sheets: list[ScoreSheet], level: str) -> Section:
    mine = [s for s in sheets if s.unit["level"] == level]
    columns = [Column("item", "项目", 10), Column("content", "考评内容", 30),
               Column("points", "分值", 7, "0.##")]
    columns += [Column(s.unit["code"], s.unit["name"].removesuffix("妇联"), 9, "0.##") for s in mine]
    rows = []
    for i, line in enumerate(mine[0].lines if mine else []):
        row = {"item": line.item, "content": line.content, "points": line.points}
        for s in mine:
            other = s.lines[i]
            row[s.unit["code"]] = other.score if other.status == "scored" else other.status_label
        rows.append(row)
    rows.append({"item": "合计", "content": "", "points": sum(r["points"] for r in rows),
                 **{s.unit["code"]: s.total for s in mine}})
    return Section(f"units_{level}", f"各{LEVEL_NAMES[level]}考评", columns, rows)


def district_figures(card: Scorecard, values_by_unit: dict[str, list[dict]], year: int) -> list[dict]:
    """Per indicator with a target: how many units reported it, met it, the district total."""
    catalog = load_indicator_catalog()
    out = []
    for ind in catalog.indicators:
        if ind.target is None:
            continue
        picks = [pick_value(v, ind.code, year, card.min_confidence) for v in values_by_unit.values()]
        scored = [p.row["value"] for p in picks if p.status == "scored"]
        numbers = [v for v in scored if isinstance(v, int | float) and not isinstance(v, bool)]
        out.append({"area": catalog.areas.get(ind.area, ind.area), "name": ind.name,
                    "target": ind.target.text() + ind.measure, "reported": len(scored),
                    "met": sum(1 for v in scored if ind.target.met(v)),
                    "unverified": sum(1 for p in picks if p.status == "unverified"),
                    "sum": round(sum(numbers), 2) if numbers and ind.measure != "%" else None,
                    "mean": round(sum(numbers) / len(numbers), 2) if numbers else None})
    return out


FIGURE_COLUMNS = [
    Column("area", "工作领域", 10), Column("name", "指标", 26), Column("target", "目标", 10),
    Column("reported", "有数据单位", 10, "0"), Column("met", "达标单位", 9, "0"),
    Column("unverified", "待核实", 8, "0"), Column("sum", "合计", 10, "0.##"),
    Column("mean", "平均", 10, "0.##"),
]


def district_packet(card: Scorecard, sheets: list[ScoreSheet], *, values_by_unit: dict[str, list[dict]],
                    year: int, as_of: str, archive_state: str, district_name: str) -> Packet:
    areas = list(load_indicator_catalog().areas.values())
    ranking = ranking_rows(card, sheets)
    rank_columns = [Column("level", "类别", 12), Column("rank", "名次", 6, "0"), Column("unit", "单位", 22),
                    Column("total", "总分", 8, "0.##"), Column("grade", "等次", 8),
                    Column("bonus", "创新加分", 8, "0.##"), Column("unscored", "无资料/待核实项", 10, "0")]
    rank_columns += [Column(f"area_{a}", a, 9, "0.##") for a in areas]
    bands = "，".join(f"{g.name}≥{g.min:g}分" for g in card.grades)
    sections = [
        Section("ranking", "排名", rank_columns, ranking,
                intro=f"{tie_rule_text(card)}等次：{bands}。“无资料”“待核实”项目不计分。"),
        *[side_by_side(sheets, level) for level in LEVEL_NAMES if any(s.unit["level"] == level for s in sheets)],
        Section("figures", "全区指标完成情况", FIGURE_COLUMNS, district_figures(card, values_by_unit, year)),
    ]
    grades: dict[str, int] = {}
    for r in ranking:
        grades[r["grade"]] = grades.get(r["grade"], 0) + 1
    summary = {"units": len(ranking), "grades": grades}
    return Packet(year, "district", f"{year}年度基层妇联工作考评汇总（{district_name}）", district_name,
                  as_of, archive_state, sections, summary)
