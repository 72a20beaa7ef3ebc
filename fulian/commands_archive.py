"""Commands of the archive: ingest, nightly, submissions, verify, log, demo."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import typer

from fulian import params
from fulian.commands_server import connect_prefect
from fulian.context import ENCODING_OPTION, open_archive, status_code, unit_code
from fulian.messages import status_zh, t
from fulian.output import Encoding, Format, console, emit, err_console
from fulian.progress import phase, progress_bar
from fulian.views import submissions_table
from schemas.settings import Settings

PROBLEMS = ("rejected", "needs_review")
SUBMISSION_FIELDS = ("id", "source_path", "sha256", "status", "reason", "unit", "period", "doc_type",
                     "received_at", "pii")



def ingest(paths: list[Path] = typer.Argument(..., help="文件或文件夹，可多个",
                                                 parser=params.existing_path),
           received_at: str | None = typer.Option(
               None, "--received-at", help="补录往年材料时的收到日期（北京时间，如 2013-12-20 或 "
                                           "\"2013-12-20 09:30\"），代替文件修改时间，以免误判逾期")) -> None:
    """归档指定的文件或文件夹，并运行后续各环节（与夜间任务相同的流程）。"""
    from flows.precheck import nothing_new
    from fulian.readable import local_minute, parse_local_time

    given = parse_local_time(received_at) if received_at else None
    phase("phase.scan")
    if nothing_new(paths):
        console.print(t("ingest.none"))
        return
    connect_prefect()
    from flows.ingest import ingest as ingest_flow

    with progress_bar() as hook:
        result = _run_flow(ingest_flow, hook, paths=[str(p) for p in paths], received_at=given)
    print_run(result)
    if given and result["files"]:
        console.print(t("ingest.received_at", at=local_minute(given)), soft_wrap=True)


def nightly(settle: float = typer.Option(5.0, help="跳过最近这么多秒内仍在写入的文件", parser=params.decimal(0, 86_400))) -> None:
    """夜间任务：收取收件箱中的文件，归档、提取、质量检查、完整性审计。"""
    connect_prefect()
    from connectors.folder import InboxError
    from flows.nightly import nightly as nightly_flow

    try:
        with progress_bar() as hook:
            result = _run_flow(nightly_flow, hook, settle_seconds=settle)
    except InboxError as exc:
        err_console.print(t("inbox.refused", detail=str(exc)))
        raise typer.Exit(2) from None
    print_run(result)


def _run_flow(flow, hook, **params):  # noqa: ANN001, ANN003, ANN202
    from flows.runtime import set_progress_hook
    from fulian.entry import quiet_handlers

    quiet_handlers()  # Prefect, imported by now, installed handlers of its own
    set_progress_hook(hook)
    try:
        return flow(**params)
    finally:
        set_progress_hook(None)


def print_run(result: dict) -> None:
    """Counts by final status, then the files of this run (all when few, else the problems)."""
    from archive.queries import submissions_by_id

    ids = [f["submission"] for f in result["files"] if f.get("submission")]
    if not ids:
        console.print(t("ingest.none"))
        return
    rows = submissions_by_id(open_archive(), ids)
    console.print(t("ingest.summary", total=len(rows)))
    for status, n in Counter(r["status"] for r in rows).most_common():
        console.print(f"  {status_zh(status)}：{n}")
    shown = rows if len(rows) <= 40 else [r for r in rows if r["status"] in PROBLEMS]
    if shown:
        console.print(submissions_table(shown, title=t("ingest.table")))
    for line in result.get("stages", {}).get("messages", []):
        console.print(line)


def submissions(fmt: Format = typer.Option(Format.table, "--format", help="输出格式"),
                status: str | None = typer.Option(None, help="只列出此状态（代码或表格中的中文，如 待审核）"),
                unit: str | None = typer.Option(None, help="只列出此单位（代码或名称）"),
                encoding: Encoding = ENCODING_OPTION) -> None:
    """列出收到的每个文件及其状态。"""
    from archive.queries import submissions as query

    code_of_status = status_code(status)
    archive = open_archive()
    code = unit_code(archive, unit)
    rows = query(archive, status=code_of_status, unit=code)
    if fmt != Format.table:
        emit([{k: r[k] for k in SUBMISSION_FIELDS} for r in rows], fmt, encoding=encoding)
        return
    console.print(submissions_table(rows, title="收件登记", show_path=True))


def verify() -> None:
    """重新计算审计链和每个文件的摘要（SHA-256、SM3）；有任何不符时退出码为 1。"""
    from archive.fixity import verify_archive

    archive = open_archive()
    with progress_bar(t("progress.verify")) as hook:
        report = verify_archive(archive, progress=lambda d, n: hook("verify", d, n))
    if report.ok:
        console.print(t("verify.ok", events=report.events, blobs=report.blobs))
        return
    problems = [str(p) for p in report.chain] + [str(p) for p in report.blob_problems]
    err_console.print(t("verify.failed", n=len(problems)))
    for p in problems:
        err_console.print(f"  {p}")
    raise typer.Exit(1)


def log(limit: int = typer.Option(50, help="显示最近多少条", parser=params.whole(1, 1_000_000)),
        action: str | None = typer.Option(None, help="只显示此类动作（前缀）"),
        subject: str | None = typer.Option(None, help="只显示此对象，如 submission:3"),
        fmt: Format = typer.Option(Format.table, "--format", help="输出格式"),
        encoding: Encoding = ENCODING_OPTION) -> None:
    """显示审计日志（追加写入、哈希链接）。"""
    from archive.queries import events
    from fulian.readable import action_zh, details_zh, local_minute

    rows = events(open_archive(), limit=limit, action=action, subject=subject)
    if fmt == Format.table:
        for r in rows:
            r["hash_short"] = r["hash"][:12]
            r["at_short"] = local_minute(r["at"])
            r["action_zh"] = action_zh(r["action"])
            r["details_short"] = details_zh(r["details"])[:160]
    emit(rows, fmt, [("seq", "序号"), ("at_short", "时间（北京时间）"), ("actor", "操作者"),
                     ("action_zh", "动作"), ("subject", "对象"), ("details_short", "详情"),
                     ("hash_short", "哈希")], title=t("log.title"), encoding=encoding)


def demo(inbox: Path | None = typer.Option(None, help="示例收件箱位置（默认 FULIAN_HOME/inbox）")) -> None:
    """生成一个示例收件箱（多个街道的 Word/PDF/Excel 文件），运行夜间任务并显示结果。"""
    from fulian.samples import write_demo_inbox

    settings = Settings()
    target = inbox or settings.inbox_dir
    if inbox:
        os.environ["FULIAN_INBOX"] = str(inbox)
    files = write_demo_inbox(target)
    _stamp_received_times(files)
    console.print(t("demo.inbox", inbox=target, n=len(files)))
    nightly(settle=0.0)
    from archive.queries import status_counts

    counts = status_counts(open_archive())
    console.print(t("demo.archive", counts="，".join(f"{status_zh(k)} {v}" for k, v in sorted(counts.items()))))
    console.print(t("demo.next", home=settings.home_dir))


def _stamp_received_times(files: list[Path]) -> None:
    """Fixed, realistic arrival times, so a second `make demo` finds the same receipts."""
    start = 1387501200  # 2013-12-20 09:00 Asia/Shanghai
    for i, path in enumerate(files):
        if path.exists():
            os.utime(path, (start + i * 4 * 3600, start + i * 4 * 3600))


def register(app: typer.Typer) -> None:
    for fn in (ingest, nightly, submissions, verify, log, demo):
        app.command(fn.__name__)(fn)
