"""Archivists' decisions: review a submission, list and confirm units."""

from __future__ import annotations

import typer

from fulian import params
from fulian.context import ENCODING_OPTION, open_archive, unit_code
from fulian.messages import status_zh, t
from fulian.output import Encoding, Format, console, emit, err_console


def review(submission: int = typer.Argument(..., help="收件序号（见 fulian submissions）",
                                             parser=params.record_id),
           unit: str | None = typer.Option(None, "--unit", help="报送单位（代码或名称）"),
           period: str | None = typer.Option(None, "--period", help="所属期间：2013、2013-H1、2013-Q3、2013-05"),
           doc_type: str | None = typer.Option(None, "--doc-type", help="材料类型代码，如 work_summary"),
           note: str = typer.Option("", "--note", help="审核说明，记入审计日志")) -> None:
    """人工审核：为待审核的收件指定单位、期间或类型；信息齐全后转为已归档。"""
    from archive.review import ReviewError, assign
    from schemas.doc_types import load_doc_types

    archive = open_archive(person=True)
    code = unit_code(archive, unit)
    if period and not _valid_period(period):
        err_console.print(t("review.bad_period", period=period))
        raise typer.Exit(2)
    if doc_type and doc_type not in load_doc_types():
        err_console.print(t("review.bad_doc_type", doc_type=doc_type, known="、".join(load_doc_types())))
        raise typer.Exit(2)
    try:
        with archive.db.writer() as s:
            log = archive.audit(s)
            result = assign(s, log, submission, unit=code, period=period, doc_type=doc_type, note=note)
            log.flush()
    except ReviewError as exc:
        if exc.code == "unchanged":  # nothing to decide is no error: said, and no event written
            console.print(t("review.unchanged", detail=exc.detail))
            return
        err_console.print(t(f"review.{exc.code}", detail=exc.detail))
        raise typer.Exit(2) from None
    console.print(t("review.done", id=submission, status=status_zh(result["after"]["status"])))


def _valid_period(period: str) -> bool:
    import re

    return bool(re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2]|H[12]|Q[1-4]))?", period))


def units(unconfirmed: bool = typer.Option(False, "--unconfirmed", help="只列出待确认的单位"),
          fmt: Format = typer.Option(Format.table, "--format", help="输出格式"),
          encoding: Encoding = ENCODING_OPTION) -> None:
    """列出单位登记册（含从文件中发现、待确认的社区）。"""
    from archive.analysis import unit_rows
    from archive.queries import unit_flags
    from schemas.vocabulary import load_vocabulary

    archive = open_archive()
    flags = unit_flags(archive)
    rows = [{**u, "confirmed": flags.get(u["code"], True)} for u in unit_rows(archive)]
    if unconfirmed:
        rows = [r for r in rows if not r["confirmed"]]
    levels = load_vocabulary().short("unit_level")
    for r in rows:
        r["confirmed_zh"] = "已确认" if r["confirmed"] else "待确认"
        r["level_zh"] = levels.get(r["level"], r["level"])
    emit(rows if fmt == Format.table else [{k: r[k] for k in ("code", "name", "level", "parent", "confirmed")}
                                           for r in rows], fmt,
         [("code", "代码"), ("name", "名称"), ("level_zh", "层级"), ("parent", "上级"), ("confirmed_zh", "状态")],
         title=t("units.title"), encoding=encoding)


def confirm_unit(code: str = typer.Argument(..., help="单位代码（见 fulian units --unconfirmed）"),
                 name: str | None = typer.Option(None, "--name", help="更正后的名称（原名称保留为别名）")) -> None:
    """确认从文件中发现的社区（可同时更正名称）。"""
    from archive.review import ReviewError
    from archive.review import confirm_unit as confirm

    archive = open_archive(person=True)
    try:
        with archive.db.writer() as s:
            log = archive.audit(s)
            confirm(s, log, code, name)
            log.flush()
    except ReviewError as exc:
        err_console.print(t(f"review.{exc.code}", detail=exc.detail))
        raise typer.Exit(2) from None
    console.print(t("units.confirmed", code=code))


def register(app: typer.Typer) -> None:
    app.command("review")(review)
    app.command("units")(units)
    app.command("confirm-unit")(confirm_unit)
