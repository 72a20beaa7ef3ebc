"""Extraction in worker processes, each file under a time limit.

A parser that hangs or crashes takes down only its worker: the file is
rejected (timeout / corrupt) and the batch goes on.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
from concurrent.futures import TimeoutError as FutureTimeout

from pebble import ProcessExpired, ProcessPool

from extract.readers.ocr_engine import available_memory, ocr_workers
from schemas.extraction import ExtractError, Extraction, Hints


def _extract(data: bytes, hints: dict, sha256: str, kind: str) -> Extraction | ExtractError:
    from extract.pipeline import extract_document

    try:
        return extract_document(data, Hints(**hints), sha256, kind=kind)
    except ExtractError as exc:
        return exc


def _convert(items: list[tuple[bytes, str]], target: str, timeout: float) -> list:
    from extract.legacy import convert_many

    return convert_many(items, target, timeout)


PER_PAGE = 20.0  # seconds allowed per PDF page (PP-OCRv6 takes 4–8 s of one core a page)


def _pages(data: bytes) -> int:
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(data)
    except Exception:  # noqa: BLE001 - unreadable: the reader will say why
        return 0
    try:
        return len(doc)
    finally:
        doc.close()


def _warm() -> None:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    import extract.pipeline  # noqa: F401  (import cost paid once per worker)


class ExtractPool:
    """A pool of `workers` processes; `run` maps files to Extraction or ExtractError.

    Workers are spawned (not forked: the parent runs Prefect's threads) and kept
    for the life of the process, since each pays the parsers' import cost once.
    """

    _shared: dict[int, ProcessPool] = {}

    def __init__(self, workers: int, timeout: float):
        self.timeout = timeout
        workers = ocr_workers(available_memory(), cpus=workers)  # ≈1.1 GB per OCR engine
        pool = self._shared.get(workers)
        if pool is None or not pool.active:
            pool = ProcessPool(max_workers=workers, initializer=_warm,
                               context=multiprocessing.get_context("spawn"))
            self._shared[workers] = pool
            atexit.register(_shutdown, pool)
        self.pool = pool

    def run(self, jobs: list[tuple[bytes, dict, str, str]]) -> list[Extraction | ExtractError]:
        return self.collect(self.submit(jobs))

    def submit(self, jobs: list[tuple[bytes, dict, str, str]]) -> list:
        """Queue extraction jobs; the workers start at once, results come from `collect`."""
        return [self.pool.schedule(_extract, args=job, timeout=self.time_limit(job[0], job[3]))
                for job in jobs]

    def collect(self, futures: list) -> list[Extraction | ExtractError]:
        return [self._result(f) for f in futures]

    def time_limit(self, data: bytes, kind: str) -> float:
        """The configured limit, stretched for long PDFs: a scan is OCR'd at 2–3 s a page."""
        if kind != "pdf":
            return self.timeout
        return max(self.timeout, PER_PAGE * _pages(data))

    def convert(self, items: list[tuple[bytes, str]], target: str) -> list[bytes | ExtractError]:
        """Legacy files of a batch to docx/xlsx in one LibreOffice call, in a worker."""
        future = self.pool.schedule(_convert, args=(items, target, self.timeout),
                                    timeout=self.timeout * (1 + len(items) / 4))
        outcome = self._result(future)
        return [outcome] * len(items) if isinstance(outcome, ExtractError) else outcome

    def _result(self, future) -> Extraction | ExtractError:  # noqa: ANN001
        try:
            return future.result()
        except FutureTimeout:
            return ExtractError("timeout", f"parsing took longer than {self.timeout:g} s")
        except ProcessExpired as exc:
            return ExtractError("corrupt", f"parser crashed (exit code {exc.exitcode})")
        except Exception as exc:  # a parser bug must not stop the batch
            return ExtractError("corrupt", f"{type(exc).__name__}: {exc}")

    def close(self) -> None:
        """Kept for the next run in this process; stopped at exit."""


def _shutdown(pool: ProcessPool) -> None:
    pool.stop()
    pool.join(timeout=5)
