"""Commands over extracted data: indicators, reextract, quality, completeness."""

from __future__ import annotations

import typer

from fulian import params
from fulian.context import ENCODING_OPTION, checked_year, open_archive, unit_code
from fulian.messages import t
from fulian.output import Encoding, Format, console, emit
from fulian.progress import progress_bar

INDICATOR_FIELDS = ("unit", "period", "code", "name", "value", "measure", "source_path",
                    "source_sha256", "location", "evidence", "value_id", "review", "original_value",
                    "corrected_by", "correction_reason")  # the order of docs/contracts.md




def indicators(year: int = typer.Option(..., "--year", help="年度", parser=params.year),
               unit: str | None = typer.Option(None, "--unit", help="单位（代码或名称）"),
               fmt: Format = typer.Option(Format.table, "--format", help="输出格式"),
               encoding: Encoding = ENCODING_OPTION) -> None:
    """列出提取出的指标值（含两规统计），每个值附证据：文件摘要、位置、原文。"""
    from archive.queries_data import indicator_rows

    checked_year(year)
    archive = open_archive()
    rows = indicator_rows(archive, year=year, unit=unit_code(archive, unit))
    if fmt != Format.table:
        emit([{k: r[k] for k in INDICATOR_FIELDS} for r in rows], fmt, encoding=encoding)
        return
    from fulian.messages import review_zh, short_unit

    for r in rows:
        r["unit_short"] = short_unit(r["unit"])
        r["value_text"] = _value_text(r["value"], r["measure"])
        r["review_zh"] = review_zh(r["review"])
    emit(rows, fmt, [("unit_short", "单位"), ("period", "期间"), ("name", "指标"), ("value_text", "值"),
                     ("review_zh", "核实"), ("location", "位置"), ("evidence", "原文")],
         title=t("indicators.title", year=year))


def _value_text(value: object, measure: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    return f"{value} {measure}"


def reextract(force: bool = typer.Option(False, "--force", help="即使提取器版本未变也重新提取")) -> None:
    """用当前版本的提取器重新提取已归档文件；旧结果保留，以最新版本为准。"""
    from fulian.commands_server import connect_prefect

    connect_prefect()
    from flows.reextract import reextract as flow
    from fulian.commands_archive import _run_flow

    with progress_bar() as hook:
        result = _run_flow(flow, hook, force=force)
    changed = [r for r in result["files"] if r["status"] not in ("unchanged",)]
    console.print(t("reextract.done", n=result["count"], version=result["version"], changed=len(changed)))


COMPLETENESS_FIELDS = ("unit", "doc_type", "period", "required", "count", "on_time", "status")


def quality(year: int = typer.Option(..., "--year", help="年度", parser=params.year),
            unit: str | None = typer.Option(None, "--unit", help="单位（代码或名称）"),
            fmt: Format = typer.Option(Format.table, "--format", help="输出格式"),
            force: bool = typer.Option(False, "--force", help="即使存档未变也重新检查"),
            encoding: Encoding = ENCODING_OPTION) -> None:
    """两规统计数据质量检查结果（存档有变化时先重新检查）。"""
    checked_year(year)
    archive = open_archive()
    from flows.analysis import quality_for_year

    code = unit_code(archive, unit)
    outcome = quality_for_year(archive, year, force=force)
    rows = [f for f in outcome.findings if not code or f["unit"] == code]
    if fmt != Format.table:
        from schemas.findings import contract_row

        emit([contract_row(f) for f in rows], fmt, encoding=encoding)
        return
    from schemas.findings import KIND_LABELS, SEVERITY_LABELS

    for f in rows:
        f["kind_zh"], f["severity_zh"] = KIND_LABELS.get(f["kind"], f["kind"]), SEVERITY_LABELS[f["severity"]]
    emit(rows, fmt, [("unit_name", "单位"), ("name", "指标"), ("kind_zh", "问题"), ("severity_zh", "级别"),
                     ("observed", "实际"), ("expected", "应为"), ("location", "位置")],
         title=t("quality.title", year=year, n=len(rows)))
    if outcome.html:
        console.print(t("quality.reports", html=outcome.html, xlsx=outcome.xlsx))


def completeness(year: int = typer.Option(..., "--year", help="年度", parser=params.year),
                 unit: str | None = typer.Option(None, "--unit", help="单位（代码或名称），含其下属社区"),
                 fmt: Format = typer.Option(Format.table, "--format", help="输出格式"),
                 notices: bool = typer.Option(False, "--notices", help="列出各单位缺报清单（可直接发给单位）"),
                 rates: bool = typer.Option(False, "--rates", help="改为输出报送率（DHIS2 口径：应报、实报、按时、报送率、及时率）"),
                 encoding: Encoding = ENCODING_OPTION) -> None:
    """报送完整性审计：每个单位、每类材料、每个期间应报、已报、按时情况。"""
    checked_year(year)
    archive = open_archive()
    from flows.analysis import completeness_for_year

    code = unit_code(archive, unit)
    rows = completeness_for_year(archive, year).rows
    tree = {code} | {u.code for u in archive.registry.units.values() if u.parent == code} if code else None
    if rates:
        _print_rates(archive, rows, tree, fmt, year)
        return
    if tree and len(rows):
        rows = rows[rows["unit"].isin(tree)]
    if fmt != Format.table:
        out = rows.assign(unit=rows["unit_name"]) if len(rows) else rows
        emit([{k: _plain(r[k]) for k in COMPLETENESS_FIELDS} for r in out.to_dict(orient="records")], fmt,
             encoding=encoding)
        return
    _print_completeness(rows, year, notices)


def _print_rates(archive, rows, tree: set[str] | None, fmt: Format, year: int) -> None:  # noqa: ANN001
    """Reporting rates per unit: its own, and rolled up over its communities (tree)."""
    import pandas as pd

    from archive.analysis import unit_rows
    from quality.completeness import reporting_rates

    units = pd.DataFrame(unit_rows(archive))
    table = reporting_rates(rows, units) if len(rows) else pd.DataFrame()
    if len(table) and tree:
        table = table[table["unit"].isin(tree)]
    table = table[table["expected"] > 0] if len(table) else table
    records = [{k: _plain(v) for k, v in r.items()} for r in table.to_dict(orient="records")]
    for r in records:
        r["rate"] = None if r["rate"] != r["rate"] else round(r["rate"], 4)
        r["on_time_rate"] = None if r["on_time_rate"] != r["on_time_rate"] else round(r["on_time_rate"], 4)
    if fmt != Format.table:
        emit(records, fmt)
        return
    yearly = [r for r in records if r["period"] == str(year)]
    for r in yearly:
        r["scope_zh"] = "本级" if r["scope"] == "own" else "含下属"
        r["rate_pct"] = "—" if r["rate"] is None else f"{r['rate']:.0%}"
        r["on_time_pct"] = "—" if r["on_time_rate"] is None else f"{r['on_time_rate']:.0%}"
    emit(yearly, fmt, [("unit_name", "单位"), ("scope_zh", "范围"), ("expected", "应报"), ("actual", "实报"),
                       ("on_time", "按时"), ("rate_pct", "报送率"), ("on_time_pct", "及时率")],
         title=t("completeness.rates", year=year))


def _plain(v: object) -> object:
    return v.item() if hasattr(v, "item") else v


def _print_completeness(rows, year: int, notices: bool) -> None:  # noqa: ANN001
    from quality.completeness import missing_notices, render_grid

    if not len(rows):
        console.print(t("completeness.none", year=year))
        return
    console.print(render_grid(rows, console_width=console.width, title=t("completeness.title", year=year)))
    if notices:
        for text in missing_notices(rows)["text"]:
            console.print(text)


def register(app: typer.Typer) -> None:
    for fn in (indicators, reextract, quality, completeness):
        app.command(fn.__name__)(fn)
