"""A rich progress bar that flows report to through a (stage, done, total, item) hook.

It also remembers how far a run got, so an interrupted run can say what was kept: files are
kept once their batch is committed (stage "ingest"), and the next run redoes the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from fulian.messages import TEXT
from fulian.output import err_console

_committed: dict[str, int] = {}  # stage → files kept for good by this process


@contextmanager
def progress_bar(label: str | None = None) -> Iterator:
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeRemainingColumn(), TextColumn("{task.fields[item]}", style="dim", markup=False),
                        console=err_console, transient=True)
    tasks: dict[str, int] = {}

    def hook(stage: str, done: int, total: int, item: str | None = None) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(label or TEXT.get(f"progress.{stage}", stage),
                                             total=total, item="")
        progress.update(tasks[stage], completed=done, total=total, item=_short(item))
        if stage in ("ingest", "reextract"):
            _committed[stage] = done
            _committed[f"{stage}.total"] = total

    with progress:
        yield hook


def _short(item: str | None, width: int = 40) -> str:
    if not item:
        return ""
    return item if len(item) <= width else "…" + item[-(width - 1):]


def phase(key: str, **kw: object) -> None:
    """One line saying what the start-up is doing (it can take seconds before the first file)."""
    err_console.print(TEXT[key].format(**kw), style="dim", highlight=False)


def kept_summary() -> str:
    """What an interrupted run kept and what the next run redoes; empty when no files moved."""
    for stage in ("ingest", "reextract"):
        if f"{stage}.total" in _committed:
            done, total = _committed[stage], _committed[f"{stage}.total"]
            return TEXT["interrupted.kept"].format(done=done, rest=max(0, total - done))
    return ""
