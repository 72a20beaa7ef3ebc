"""Values that wait for a person (待核实) and people's corrections of extracted values."""

from __future__ import annotations

import typer

from fulian.context import open_archive, unit_code
from fulian.messages import review_zh, t
from fulian.output import Format, console, emit, err_console

PENDING_FIELDS = ("value_id", "unit", "period", "code", "name", "value", "measure", "confidence",
                  "source_path", "location", "evidence")


def pending(unit: str | None = typer.Option(None, "--unit", help="单位（代码或名称）"),
            fmt: Format = typer.Option(Format.table, "--format", help="输出格式")) -> None:
    """列出待核实的指标值（提取把握不足，未计入统计），附原文，供人工确认或更正。"""
    from archive.corrections import pending_values

    archive = open_archive()
    code = unit_code(archive, unit)
    rows = pending_values(archive, [code] if code else None)
    if fmt != Format.table:
        emit([{k: r[k] for k in PENDING_FIELDS} for r in rows], fmt)
        return
    for r in rows:
        r["confidence_text"] = f"{r['confidence']:.2f}"
    emit(rows, fmt, [("value_id", "编号"), ("unit", "单位"), ("period", "期间"), ("name", "指标"),
                     ("value", "提取值"), ("confidence_text", "把握"), ("location", "位置"),
                     ("evidence", "原文")], title=t("pending.title", n=len(rows)))


def correct(value_id: str = typer.Argument(..., help="指标值编号（见 fulian pending 或 fulian indicators --format json 的 value_id）"),
            value: str | None = typer.Option(None, "--value", help="核实后的值（数字；是/否类指标填 是 或 否）"),
            reject: bool = typer.Option(False, "--reject", help="此值提取有误，不予采用"),
            reason: str = typer.Option(..., "--reason", help="核实依据，记入审计日志")) -> None:
    """人工核实一个指标值：更正（--value）或否决（--reject）；原提取值保留，重新提取不会撤销。"""
    from archive.corrections import CorrectionError, correct_value

    archive = open_archive(person=True)
    try:
        with archive.db.writer() as s:
            log = archive.audit(s)
            result = correct_value(s, log, value_id, value=value, reject=reject, reason=reason,
                                   actor=archive.settings.actor)
            log.flush()
    except CorrectionError as exc:
        err_console.print(t(f"correct.{exc.code}", detail=exc.detail))
        raise typer.Exit(2) from None
    console.print(t("correct.done", id=value_id, review=review_zh(result["review"]),
                    original=result["original_value"], value=result["value"]))


def register(app: typer.Typer) -> None:
    app.command("pending")(pending)
    app.command("correct")(correct)
