"""`fulian packet`: the year-end review packets of grassroots units and of the district."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import typer

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
           year: int | None = typer.Option(None, "--year", help="考评年度"),
           unit: str | None = typer.Option(None, "--unit", help="只生成这个单位的（代码或名称）；不写则生成全部单位和全区汇总"),
           out: Path = typer.Option(Path("考评资料"), "--out", help="输出目录"),
           as_of: str | None = typer.Option(None, "--as-of", help="按此日期（含）的存档状态评分，如 2014-01-31；默认为年度报送截止日或今天"),
           fmt: Format = typer.Option(Format.table, "--format", help="结果列表的输出格式")) -> None:
    """生成年度考评资料：每个基层单位一份，另有全区汇总（排名、等次）。"""
    if ctx.invoked_subcommand is not None:
        return
    if year is None:
        err_console.print("请用 --year 指定考评年度，如 --year 2013。")
        raise typer.Exit(2)
    from flows.packet_inputs import SCORED_LEVELS
    from flows.packets import build_packets

    archive = open_archive()
    code = unit_code(archive, unit)
    if code and archive.registry.get(code).level not in SCORED_LEVELS:
        level = archive.registry.get(code).level
        err_console.print(t("packet.not_scored", unit=unit, level=LEVEL_ZH.get(level, level)))
        raise typer.Exit(2)
    with progress_bar() as hook:
        built = build_packets(archive, year, out, unit=code, as_of=_as_of(as_of), progress=hook)
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
             "seconds": round(b.seconds, 3), "files": [str(f) for f in b.files]} for b in built]
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


def register(app: typer.Typer) -> None:
    app.add_typer(packet_app, name="packet")
