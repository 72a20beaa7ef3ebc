"""Commands over extracted data: indicators, reextract, quality, completeness."""

from __future__ import annotations

import typer

from fulian.messages import t
from fulian.output import Format, console, emit, err_console
from fulian.progress import progress_bar
from schemas.settings import Settings

INDICATOR_FIELDS = ("unit", "period", "code", "name", "value", "measure", "source_path",
                    "source_sha256", "location", "evidence")


def _archive():  # noqa: ANN202
    from archive.store import Archive

    return Archive(Settings())


def _unit(archive, unit: str | None) -> str | None:  # noqa: ANN001
    from archive.queries_data import resolve_unit

    try:
        return resolve_unit(archive, unit)
    except LookupError:
        err_console.print(t("unit.unknown", unit=unit))
        raise typer.Exit(2) from None


def indicators(year: int = typer.Option(..., "--year", help="年度"),
               unit: str | None = typer.Option(None, "--unit", help="单位（代码或名称）"),
               fmt: Format = typer.Option(Format.table, "--format", help="输出格式")) -> None:
    """列出提取出的指标值（含两规统计），每个值附证据：文件摘要、位置、原文。"""
    from archive.queries_data import indicator_rows

    archive = _archive()
    rows = indicator_rows(archive, year=year, unit=_unit(archive, unit))
    if fmt != Format.table:
        emit([{k: r[k] for k in INDICATOR_FIELDS} for r in rows], fmt)
        return
    from fulian.messages import short_unit

    for r in rows:
        r["unit_short"] = short_unit(r["unit"])
        r["value_text"] = _value_text(r["value"], r["measure"])
    emit(rows, fmt, [("unit_short", "单位"), ("period", "期间"), ("name", "指标"), ("value_text", "值"),
                     ("location", "位置"), ("evidence", "原文")], title=t("indicators.title", year=year))


def _value_text(value: object, measure: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    return f"{value} {measure}"


def reextract(force: bool = typer.Option(False, "--force", help="即使提取器版本未变也重新提取")) -> None:
    """用当前版本的提取器重新提取已归档文件；旧结果保留，以最新版本为准。"""
    from flows.reextract import reextract as flow
    from flows.runtime import set_progress_hook

    with progress_bar() as hook:
        set_progress_hook(hook)
        try:
            result = flow(force=force)
        finally:
            set_progress_hook(None)
    changed = [r for r in result["files"] if r["status"] not in ("unchanged",)]
    console.print(t("reextract.done", n=result["count"], version=result["version"], changed=len(changed)))


def register(app: typer.Typer) -> None:
    for fn in (indicators, reextract):
        app.command(fn.__name__)(fn)
