"""`fulian packet`: the year-end review packets of grassroots units and of the district."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import typer

from fulian import params
from fulian.context import open_archive, unit_code
from fulian.messages import t
from fulian.output import Format, console, emit, err_console
from fulian.progress import progress_bar

packet_app = typer.Typer(help="年度考评资料（考评表、证据、目标、报送情况、两规统计）",
                         no_args_is_help=False, invoke_without_command=True)
LEVEL_ZH = {"district": "区妇联", "street": "街道妇联", "community": "社区妇联", "two_new": "两新组织",
            "member_unit": "妇儿工委成员单位"}


@packet_app.callback()
def packet(ctx: typer.Context,
           year: int | None = typer.Option(None, "--year", help="考评年度", parser=params.year),
           unit: str | None = typer.Option(None, "--unit", help="只生成这个单位的（代码或名称）；不写则生成全部单位和全区汇总"),
           out: Path = typer.Option(Path("考评资料"), "--out", help="输出目录"),
           as_of: str | None = typer.Option(None, "--as-of", help="按此日期（含）的存档状态评分，如 2014-01-31；默认为年度报送截止日或今天"),
           doc_number: str | None = typer.Option(None, "--doc-number", help="报告的发文字号，如 历下妇发〔2014〕3号"),
           unmasked: bool = typer.Option(False, "--unmasked", help="不遮盖身份证号、电话和姓名（记入审计日志，慎用）"),
           fmt: Format = typer.Option(Format.table, "--format", help="结果列表的输出格式")) -> None:
    """生成年度考评资料：每个基层单位一份，另有全区汇总（排名、等次）；资料包存入存档并记入审计日志。"""
    if ctx.invoked_subcommand is not None:
        return
    if year is None:
        err_console.print("请用 --year 指定考评年度，如 --year 2013。")
        raise typer.Exit(2)
    from flows.packet_inputs import SCORED_LEVELS
    from flows.packets import Options, build_packets

    archive = open_archive(person=True)
    code = unit_code(archive, unit)
    if code and archive.registry.get(code).level not in SCORED_LEVELS:
        level = archive.registry.get(code).level
        err_console.print(t("packet.not_scored", unit=unit, level=LEVEL_ZH.get(level, level)))
        raise typer.Exit(2)
    with progress_bar() as hook:
        built = build_packets(archive, year, Options(out, doc_number=doc_number, unmasked=unmasked), unit=code,
                              as_of=_as_of(as_of), progress=hook)
    _report(built, year, out, fmt)
    if any(b.error for b in built):
        raise typer.Exit(1)


def _as_of(text: str | None) -> datetime | None:
    """A date given by a person means the end of that day in Asia/Shanghai."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        err_console.print(f"日期格式不对：{text}（应为 2014-01-31）")
        raise typer.Exit(2) from None
    return datetime.combine(day, time(23, 59, 59), ZoneInfo("Asia/Shanghai"))


def _report(built: list, year: int, out: Path, fmt: Format) -> None:  # noqa: ANN001
    rows = [{"scope": b.scope, "name": b.name, "total": b.total, "grade": b.grade, "error": b.error,
             "seconds": round(b.seconds, 3), "sha256": b.sha256, "files": [str(f) for f in b.files]}
            for b in built]
    if fmt != Format.table:
        emit(rows, fmt)
        return
    for b in built:
        if b.error:
            err_console.print(t("packet.failed", name=b.name, error=b.error))
        elif b.scope == "district":
            console.print(t("packet.built_district", name=b.name, n=len(b.files), seconds=b.seconds))
        else:
            console.print(t("packet.built", name=b.name, total=f"{b.total:g}", grade=b.grade,
                            n=len(b.files), seconds=b.seconds))
    failed = sum(1 for b in built if b.error)
    console.print(t("packet.summary", year=year, out=out, ok=len(built) - failed, failed=failed))


@packet_app.command("verify")
def verify(path: Path = typer.Argument(..., help="资料包文件夹或其 ZIP")) -> None:
    """核验资料包：是否完整未改动、是否为本存档生成的原件、存档此后是否有变化。"""
    from flows.packet_verify import verify_packet

    verdict = verify_packet(open_archive(), path)
    for note in verdict.notes:
        console.print(note)
    for problem in verdict.problems:
        err_console.print(problem)
    if not verdict.intact:
        err_console.print(t("packet.verify_failed", n=len(verdict.problems)))
        raise typer.Exit(1)
    console.print(t("packet.verify_ok" if verdict.current else "packet.verify_stale"))


@packet_app.command("bonus")
def bonus(year: int = typer.Option(..., "--year", help="考评年度", parser=params.year),
          unit: str = typer.Option(..., "--unit", help="单位（代码或名称）"),
          points: float = typer.Option(..., "--points", help="加分（0 表示撤销此前的加分）",
                                        parser=params.decimal(0, 1000)),
          reason: str = typer.Option(..., "--reason", help="加分理由（写入资料包和审计日志）")) -> None:
    """创新加分：区妇联工作人员评定，记录评定人和理由；以最后一次评定为准。"""
    from archive.packets_store import award_bonus
    from schemas.scorecard import load_scorecard

    archive = open_archive(person=True)
    code = unit_code(archive, unit)
    cap = load_scorecard().bonus_max
    if points < 0 or points > cap or not reason.strip():
        err_console.print(t("packet.bonus_bad", cap=f"{cap:g}"))
        raise typer.Exit(2)
    award_bonus(archive, year=year, unit=code, points=points, reason=reason.strip())
    console.print(t("packet.bonus_done", unit=archive.registry.get(code).name, year=year,
                    points=f"{points:g}", actor=archive.settings.actor))


def register(app: typer.Typer) -> None:
    app.add_typer(packet_app, name="packet")
