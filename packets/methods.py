"""How a scorecard line turns what was found into points, and how that is said to people.

Scores are rounded to 2 decimals (the sheet shows 2); nothing is ever below 0.
"""

from __future__ import annotations

from schemas.indicators import Indicator, IndicatorCatalog
from schemas.scorecard import Line


def _p(x: float) -> str:
    return f"{x:g}"


def describe(line: Line, catalog: IndicatorCatalog) -> str:
    """考评方式说明 of a line, in the words of the method and its parameters."""
    pts = _p(line.points)
    if line.source.kind == "indicator":
        ind = catalog.get(line.source.ref)
        target = ind.target.text() + ind.measure if ind.target else ""
        return {
            "full_at_target": f"达到目标（{target}）得{pts}分，未达到不得分",
            "proportional": f"达到目标（{target}）得{pts}分，未达到按完成比例计分",
            "yes_no": f"做到得{pts}分，未做到不得分",
        }[line.method]
    if line.source.kind == "quality":
        return f"两规统计数据质量检查每个错误扣{_p(line.per_item)}分，扣完为止（警告不扣分）"
    late = f"，逾期报送一期扣{_p(line.late_item)}分" if line.late_item else ""
    if line.method == "yes_no":
        return f"按时报送得{pts}分{late}，未报送或未报齐不得分"
    return f"每缺报一份（条、次）扣{_p(line.per_item)}分{late}，扣完为止"


def _clamp(line: Line, score: float) -> float:
    return round(min(line.points, max(0.0, score)), 2)


def score_value(line: Line, indicator: Indicator, value: object) -> float:
    """Points for an indicator value (a number, or 是/否 for yes/no items)."""
    if line.method == "yes_no":
        return line.points if value is True or value == 1 else 0.0
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    target = indicator.target
    assert target is not None  # the loader refuses numeric methods without a target
    if target.met(value):
        return line.points
    if line.method == "full_at_target":
        return 0.0
    goal = float(target.value)
    if target.op in (">=", "==", "between") and goal > 0:
        return _clamp(line, line.points * value / goal)
    return 0.0


def score_cells(line: Line, cells: list[dict]) -> tuple[float, str]:
    """Points for the due completeness cells of one document type, and what was wrong.

    per_missing deducts per missing item (a month owing 2 information items that sent 1
    misses 1); late costs late_item per period sent late.
    """
    missing = [c for c in cells if c["status"] in ("missing", "short")]
    late = [c for c in cells if c["status"] == "late"]
    items = sum(max(0, int(c["required"]) - int(c["count"])) for c in missing)
    note = "；".join(x for x in (_periods("缺报或少报", missing), _periods("逾期", late)) if x)
    if line.method == "yes_no":
        score = 0.0 if missing else line.points - line.late_item * len(late)
    else:
        score = line.points - line.per_item * items - line.late_item * len(late)
    return _clamp(line, score), note or "按时报齐"


def _periods(what: str, cells: list[dict]) -> str:
    if not cells:
        return ""
    labels = [str(c.get("period_label") or c["period"]) for c in cells]
    return f"{what}{len(cells)}期：{'、'.join(labels)}"


def score_findings(line: Line, findings: list[dict]) -> tuple[float, str]:
    errors = [f for f in findings if f.get("severity") == "error"]
    warnings = len(findings) - len(errors)
    note = f"错误{len(errors)}个" + (f"，警告{warnings}个（不扣分）" if warnings else "")
    return _clamp(line, line.points - line.per_item * len(errors)), note
