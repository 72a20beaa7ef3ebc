"""Findings for people: an offline HTML page (inline CSS, no CDN, no script) and an XLSX workbook.

Each finding shows where it sits: the cell with its row's label, its column's header and the
cells above, below, left and right, or the sentence a number was stated in (Finding.context).
"""

from __future__ import annotations

from collections import Counter
from html import escape
from itertools import groupby
from pathlib import Path

from schemas.findings import (
    KIND_LABELS,
    KINDS,
    SEVERITY_LABELS,
    Finding,
    context_text,
    sort_findings,
)

COLUMNS: list[tuple[str, str]] = [
    ("unit_name", "单位"), ("year", "年度"), ("period", "期间"), ("name", "指标"),
    ("kind", "问题类型"), ("severity", "严重程度"), ("observed", "实际值"), ("expected", "应为"),
    ("message", "说明"), ("source_path", "来源文件"), ("location", "位置"), ("context", "上下文"),
    ("sha256", "SHA-256"),
    ("unit", "单位代码"), ("indicator", "指标代码"), ("rule", "检查规则"), ("reference", "参照值"),
]

_CSS = """
body{font-family:"WenQuanYi Zen Hei","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}h3{font-size:1em;margin-top:1.2em}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f0f0f0}tr.error td.sev{color:#b00020;font-weight:bold}
tr.warning td.sev{color:#a66300}td.num{text-align:right}.muted{color:#777;font-size:.85em}
table.ctx{width:auto;font-size:.85em}table.ctx td{border-color:#e4e4e4;min-width:3em}
table.ctx td.here{background:#fff3cd;font-weight:bold}.ctx-label{color:#555;font-size:.85em}
mark{background:#fff3cd}
"""
# The page loads nothing and runs nothing: a browser honouring this refuses any script.
_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def _cell(f: Finding, key: str) -> str:
    value = getattr(f, key)
    if key == "kind":
        return KIND_LABELS[value]
    if key == "severity":
        return SEVERITY_LABELS[value]
    if key == "context":
        return context_text(value)
    return "" if value is None else str(value)



def summary(findings: list[Finding]) -> list[tuple[str, int, int]]:
    """(kind label, errors, warnings) for each kind found, in the fixed kind order."""
    counts = Counter((f.kind, f.severity) for f in findings)
    return [(KIND_LABELS[k], counts[(k, "error")], counts[(k, "warning")])
            for k in KINDS if counts[(k, "error")] or counts[(k, "warning")]]


def render_html(findings: list[Finding], title: str) -> str:
    rows = sort_findings(findings)
    errors = sum(f.severity == "error" for f in rows)
    parts = [
        "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>共发现问题 {len(rows)} 项，其中错误 {errors} 项、警告 {len(rows) - errors} 项。</p>",
    ]
    if not rows:
        parts.append("<p>未发现数据质量问题。</p>")
    else:
        parts.append("<h2>按问题类型汇总</h2><table><tr><th>问题类型</th><th>错误</th>"
                     "<th>警告</th></tr>")
        parts += [f"<tr><td>{escape(k)}</td><td class=num>{e}</td><td class=num>{w}</td></tr>"
                  for k, e, w in summary(rows)]
        parts.append("</table><h2>问题清单（按单位）</h2>")
        # a statistician fixes one unit's table at a time: one section per unit
        shown = [c for c in COLUMNS if c[0] not in ("unit", "indicator", "unit_name")]
        head = "".join(f"<th>{escape(label)}</th>" for _, label in shown)
        for unit, group in groupby(rows, key=lambda f: f.unit):
            found = list(group)
            parts.append(f"<h3>{escape(found[0].unit_name or unit)}（{len(found)}项）</h3>"
                         f"<table><tr>{head}</tr>")
            parts += [f'<tr class="{f.severity}">{"".join(_td(f, key) for key, _ in shown)}</tr>'
                      for f in found]
            parts.append("</table>")
    parts.append('<p class="muted">本报告为离线文件，不引用任何外部资源。</p></body></html>')
    return "\n".join(parts)


def _td(f: Finding, key: str) -> str:
    text = _cell(f, key)
    if key == "sha256":
        return f'<td class=muted title="{escape(text)}">{escape(text[:12])}</td>'
    if key == "context":
        return f"<td>{context_html(f)}</td>"
    if key == "unit_name":
        text = text or f.unit
    css = ' class="sev"' if key == "severity" else ""
    return f"<td{css}>{escape(text)}</td>"


def context_html(f: Finding) -> str:
    """The cell amid its neighbours (a 3×3 grid under the row's label and column's header), or
    the sentence with the value marked. Everything written by others is escaped."""
    ctx = f.context or {}
    if ctx.get("sentence"):
        return _marked(ctx["sentence"], f.observed)
    if not ctx.get("cell") and not ctx.get("label"):
        return ""
    g = {k: escape(ctx.get(k, "")) for k in ("above", "below", "left", "right", "cell")}
    head = f'<div class="ctx-label">行：{escape(ctx.get("label", ""))}　列：{escape(ctx.get("header", ""))}</div>'
    return (f'{head}<table class="ctx"><tr><td></td><td>{g["above"]}</td><td></td></tr>'
            f'<tr><td>{g["left"]}</td><td class="here">{g["cell"]}</td><td>{g["right"]}</td></tr>'
            f'<tr><td></td><td>{g["below"]}</td><td></td></tr></table>')


def _marked(sentence: str, observed: str) -> str:
    at = sentence.find(observed) if observed else -1
    if at < 0:
        return escape(sentence)
    end = at + len(observed)
    return f"{escape(sentence[:at])}<mark>{escape(sentence[at:end])}</mark>{escape(sentence[end:])}"


def write_html(findings: list[Finding], path: str | Path, title: str) -> Path:
    out = Path(path)
    out.write_text(render_html(findings, title), encoding="utf-8")
    return out


def write_xlsx(findings: list[Finding], path: str | Path) -> Path:
    """Two sheets: 问题清单 (one row per finding, filterable) and 汇总 (counts per kind)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append([label for _, label in COLUMNS])
    for f in sort_findings(findings):
        ws.append([getattr(f, key) if key == "year" else _cell(f, key) for key, _ in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    widths = {"说明": 60, "来源文件": 30, "指标": 24, "SHA-256": 20, "上下文": 50}
    for idx, (_, label) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[ws.cell(1, idx).column_letter].width = widths.get(label, 12)
    total = wb.create_sheet("汇总")
    total.append(["问题类型", "错误", "警告"])
    for row in summary(findings):
        total.append(list(row))
    out = Path(path)
    wb.save(out)
    return out
