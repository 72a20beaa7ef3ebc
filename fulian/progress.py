"""A rich progress bar that flows report to through a (stage, done, total) hook."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from fulian.messages import TEXT
from fulian.output import err_console


@contextmanager
def progress_bar(label: str | None = None) -> Iterator:
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeRemainingColumn(), console=err_console, transient=True)
    tasks: dict[str, int] = {}

    def hook(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(label or TEXT.get(f"progress.{stage}", stage), total=total)
        progress.update(tasks[stage], completed=done, total=total)

    with progress:
        yield hook
