"""What a flow run shares between its tasks: settings, the archive, the worker pool, a progress hook."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from archive.store import Archive
from flows import stop
from flows.pool import ExtractPool
from schemas.settings import Settings

ProgressHook = Callable[..., None]  # (stage, done, total, item=None)
_progress: list[ProgressHook] = []


def set_progress_hook(hook: ProgressHook | None) -> None:
    """The CLI's progress bar; flows report to it when set."""
    _progress.clear()
    if hook:
        _progress.append(hook)


def report(stage: str, done: int, total: int, item: str | None = None) -> None:
    """`item`: the file just finished, for people watching a long batch. Also a safe point to
    stop at when a signal asked for it (flows.stop)."""
    stop.check()
    for hook in _progress:
        if item is None:
            hook(stage, done, total)
        else:
            hook(stage, done, total, item=item)


@dataclass
class Runtime:
    settings: Settings
    archive: Archive
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    _pool: ExtractPool | None = None
    to_extract: int = 0  # files this run will extract, and how many are done (progress only)
    extracted: int = 0

    @property
    def pool(self) -> ExtractPool:
        if self._pool is None:
            s = self.settings
            self._pool = ExtractPool(s.workers, s.parse_timeout, s.worker_memory_mb, s.ocr_max_pages)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        self.archive.close()


_current: list[Runtime] = []


def open_runtime(settings: Settings | None = None) -> Runtime:
    settings = settings or Settings()
    runtime = Runtime(settings, Archive(settings))
    _current.append(runtime)
    return runtime


def current() -> Runtime:
    return _current[-1]


def close_runtime(runtime: Runtime) -> None:
    runtime.close()
    if runtime in _current:
        _current.remove(runtime)
