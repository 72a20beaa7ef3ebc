"""Extraction in worker processes, each file under a time limit.

A parser that hangs or crashes takes down only its worker: the file is
rejected (timeout / corrupt) and the batch goes on. What comes back from a
worker is plain data (an Extraction, or a `Rejected` of two strings), never an
exception object: one that cannot be rebuilt in the parent breaks the whole
pool. Should the pool break anyway (or stop answering), it is replaced and the
files it took down are run again one at a time, so only the culprit is lost.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
import os
import signal
import time
from concurrent.futures import CancelledError
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from pebble import ProcessExpired, ProcessPool

from extract.lifeline import die_with_parent
from extract.readers.ocr_engine import available_memory, ocr_workers
from schemas.extraction import ExtractError, Extraction, Hints

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rejected:
    """A file a worker could not read, as two strings that always cross a process boundary."""

    reason: str
    message: str


def rejected(exc: BaseException) -> Rejected:
    """Any failure inside a worker as plain data; the message is cut to stay small."""
    if isinstance(exc, ExtractError):
        return Rejected(exc.reason, exc.message[:500])
    if isinstance(exc, MemoryError):
        return Rejected("too_large", "reading needs more memory than a worker may use")
    if isinstance(exc, RecursionError):
        return Rejected("corrupt", "structure nested too deeply")
    return Rejected("corrupt", f"{type(exc).__name__}: {exc}"[:500])


def _extract(data: bytes | str, hints: dict, sha256: str, kind: str) -> Extraction | Rejected:
    """`data`: the file's bytes, or the path of a scratch copy (a ZIP member) read here, so
    the parent never holds it."""
    from extract.pipeline import extract_document

    try:
        if isinstance(data, str):
            with open(data, "rb") as fh:
                data = fh.read()
        return extract_document(data, Hints(**hints), sha256, kind=kind)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - Rust parsers raise PanicException (a BaseException)
        return rejected(exc)


def _convert(items: list[tuple[bytes, str]], target: str, timeout: float) -> list[bytes | Rejected]:
    from extract.legacy import convert_many

    try:
        out = convert_many(items, target, timeout)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - see _extract
        return [rejected(exc)] * len(items)
    return [o if isinstance(o, bytes) else rejected(o) for o in out]


PER_PAGE = 20.0  # seconds allowed per PDF page (PP-OCRv6 takes 4–8 s of one core a page)
POLL = 1.0  # seconds between checks that the pool is still alive while waiting
GRACE = 60.0  # beyond a job's own limit, how long the parent waits before calling the pool hung


def _pages(data: bytes | str) -> int:
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(data)
    except Exception:  # noqa: BLE001 - unreadable: the reader will say why
        return 0
    try:
        return len(doc)
    finally:
        doc.close()


def _limit_memory(limit_mb: int) -> None:
    """Address space a worker may use: a file needing more fails with MemoryError in this
    worker (`too_large`) or kills only it (`corrupt`), never the machine."""
    import resource

    if limit_mb > 0:
        limit = limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _warm(memory_mb: int = 0, parent: int | None = None) -> None:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    die_with_parent(parent)  # no extraction worker outlives its run, even one killed by -9
    _limit_memory(memory_mb)
    # Ctrl-C reaches the whole process group: the parent stops the pool and says what was kept;
    # workers dying on their own would print tracebacks over that message
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import extract.pipeline  # noqa: F401  (import cost paid once per worker)


@dataclass
class Job:
    """One scheduled extraction, with what it takes to run it again."""

    args: tuple[bytes | str, dict, str, str]
    limit: float
    future: Any = None
    pool: Any = None  # the pool it was scheduled on


class _Broken(Exception):
    """The pool itself failed (not the file): its jobs are run again."""


class ExtractPool:
    """A pool of `workers` processes; `run` maps files to Extraction or ExtractError.

    Workers are spawned (not forked: the parent runs Prefect's threads) and kept
    for the life of the process, since each pays the parsers' import cost once.
    """

    _shared: dict[tuple[int, int, int], ProcessPool] = {}

    def __init__(self, workers: int, timeout: float, memory_mb: int = 0, ocr_pages: int = 0):
        self.timeout, self.memory_mb, self.ocr_pages = timeout, memory_mb, ocr_pages
        self.workers = ocr_workers(available_memory(), cpus=workers)  # ≈1.1 GB per OCR engine
        self.restarts = 0
        pool = self._shared.get((self.workers, memory_mb, ocr_pages))
        self.pool = pool if pool is not None and pool.active else self._new_pool()

    def _new_pool(self) -> ProcessPool:
        pool = ProcessPool(max_workers=self.workers, initializer=_warm, initargs=(self.memory_mb, os.getpid()),
                           context=multiprocessing.get_context("spawn"))
        self._shared[(self.workers, self.memory_mb, self.ocr_pages)] = pool
        atexit.register(_shutdown, pool)
        return pool

    def restart(self, why: str = "") -> None:
        """Replace a broken or hung pool; its workers are stopped, not waited for."""
        log.warning("extraction pool replaced (%s)", why or "not active")
        _shutdown(self.pool, wait=0.5)
        self.restarts += 1
        self.pool = self._new_pool()

    def run(self, jobs: list[tuple[bytes | str, dict, str, str]]) -> list[Extraction | ExtractError]:
        return self.collect(self.submit(jobs))

    def submit(self, jobs: list[tuple[bytes | str, dict, str, str]]) -> list[Job]:
        """Queue extraction jobs; the workers start at once, results come from `collect`."""
        queued = [Job(job, self.time_limit(job[0], job[3])) for job in jobs]
        for job in queued:
            self._schedule(job)
        return queued

    def _schedule(self, job: Job) -> None:
        self._on_pool(job, _extract, job.args)

    def _on_pool(self, job: Job, fn: Any, args: tuple) -> None:  # noqa: ANN401
        if not self.pool.active:
            self.restart()
        try:
            job.future = self.pool.schedule(fn, args=args, timeout=job.limit)
        except RuntimeError:  # the pool broke between the check and the call
            self.restart()
            job.future = self.pool.schedule(fn, args=args, timeout=job.limit)
        job.pool = self.pool

    def collect(self, jobs: list[Job]) -> list[Extraction | ExtractError]:
        """Results in order. Jobs a broken pool took down run again alone, in a fresh pool."""
        results: list[Any] = []
        for job in jobs:
            try:
                results.append(self._wait(job))
            except _Broken:
                results.append(None)
        if any(r is None for r in results):
            self.restart("it broke under a batch; its files run again one at a time")
        for i, job in enumerate(jobs):
            if results[i] is None:
                results[i] = self._alone(job)
        return [_as_error(r) for r in results]

    def _wait(self, job: Job) -> Extraction | Rejected:
        """Jobs run in the order queued, so when this one is awaited it has started or is next;
        a pool that died (or went silent) leaves its futures pending: that is noticed here."""
        deadline = time.monotonic() + job.limit + GRACE
        while True:
            try:
                return job.future.result(timeout=POLL)
            except FutureTimeout as exc:
                if job.future.done():  # pebble's own limit: the worker was stopped, the pool is fine
                    return Rejected("timeout", f"parsing took longer than {job.limit:g} s")
                if not job.pool.active or time.monotonic() > deadline:
                    job.future.cancel()
                    raise _Broken("the worker pool stopped answering") from exc
            except (BrokenProcessPool, CancelledError, RuntimeError) as exc:
                raise _Broken(str(exc) or type(exc).__name__) from exc
            except ProcessExpired as exc:
                return Rejected("corrupt", f"parser crashed (exit code {exc.exitcode})")
            except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the batch
                return rejected(exc)

    def _alone(self, job: Job) -> Extraction | Rejected:
        """Run one file by itself; if it breaks the pool again, it is the culprit."""
        self._schedule(job)
        try:
            return self._wait(job)
        except _Broken as exc:
            self.restart(f"one file broke it: {exc}")
            return Rejected("corrupt", f"reading this file broke its worker pool ({exc})"[:500])

    def time_limit(self, data: bytes | str, kind: str) -> float:
        """The configured limit, stretched for long PDFs (a scan is OCR'd at 2–3 s a page),
        but only as far as the pages OCR may read: a 10,000-page scan does not hold a
        worker for days."""
        if kind != "pdf":
            return self.timeout
        pages = _pages(data)
        if self.ocr_pages:
            pages = min(pages, self.ocr_pages)
        return max(self.timeout, PER_PAGE * pages)

    def convert(self, items: list[tuple[bytes, str]], target: str) -> list[bytes | ExtractError]:
        """Legacy files of a batch to docx/xlsx in one LibreOffice call, in a worker.

        On any failure each file is converted again inside its own extraction job.
        """
        job = Job((b"", {}, "", ""), self.timeout * (1 + len(items) / 4))
        self._on_pool(job, _convert, (items, target, self.timeout))
        try:
            outcome = self._wait(job)
        except _Broken as exc:
            self.restart()
            outcome = Rejected("corrupt", f"conversion broke its worker pool ({exc})")
        if isinstance(outcome, Rejected):
            return [_as_error(outcome)] * len(items)
        return [_as_error(o) for o in outcome]  # type: ignore[union-attr]

    def close(self) -> None:
        """Kept for the next run in this process; stopped at exit."""


def _as_error(result: Any) -> Any:  # noqa: ANN401 - Extraction, bytes or Rejected
    return ExtractError(result.reason, result.message) if isinstance(result, Rejected) else result


def _shutdown(pool: ProcessPool, wait: float = 5) -> None:
    pool.stop()
    with contextlib.suppress(TimeoutError):  # workers killed, still exiting: nothing waits on them
        pool.join(timeout=wait)
