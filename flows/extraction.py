"""Where a batch is extracted: this machine's process pool, or a Dask cluster.

Embedded (the default): the run's own pool (flows/pool.py), one batch queued ahead, so the
workers extract it while the run records the one before.

At scale (`FULIAN_DASK_ADDRESS=tcp://scheduler:8786`): each batch goes to the cluster as one
Prefect task through prefect-dask's `DaskTaskRunner(address=…)`, several batches in flight (one
per worker thread, plus one). The task is sent the batch as a value (`Batch.for_extraction`):
the files' bytes and hints, nothing of the sending process. On its Dask worker the batch runs
in that machine's own process pool, with the same per-file time and memory limits, so a hostile
file takes down a pool process, never the Dask worker. A Dask worker dies only from outside
(kill -9, a lost machine): the scheduler then runs the batch again on another worker. Should it
give up (`KilledWorker`: every worker the batch went to died), the batch's files go again one
per task, and a file whose task kills its worker once more is rejected as `corrupt`.

Dask workers start the pool's processes, so they must not be daemonic:
`DASK_DISTRIBUTED__WORKER__DAEMON=False dask worker tcp://scheduler:8786 --nthreads 1`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from prefect import task
from prefect.cache_policies import NONE

from flows.batch import Batch
from flows.pool import ExtractPool
from flows.prepare import Submitted, collect_batch, extract_now, queue_local
from schemas.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """The run's per-file limits, sent with each batch (a Dask worker's own cores size its pool)."""

    timeout: float
    memory_mb: int
    ocr_pages: int

    @classmethod
    def of(cls, s: Settings) -> Limits:
        return cls(s.parse_timeout, s.worker_memory_mb, s.ocr_max_pages)


@task(name="extract-batch", cache_policy=NONE)
def extract_batch(batch: Batch, limits: Limits) -> Batch:
    """Extract a queued batch on this machine (a Dask worker); the value comes back extracted,
    without the bytes it was sent."""
    pool = ExtractPool(Settings().workers, limits.timeout, limits.memory_mb, limits.ocr_pages)
    return extract_now(batch, pool).without_data()


class LocalExtraction:
    """This machine's pool; one batch queued ahead of the one being recorded."""

    depth = 1

    def __init__(self, pool: Any, on_file: Any = None):  # noqa: ANN401 - callables
        self._pool, self.on_file = pool, on_file  # the pool starts with the first batch

    @property
    def pool(self) -> ExtractPool:
        return self._pool()

    def __enter__(self) -> LocalExtraction:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send(self, batch: Batch) -> Submitted:
        return queue_local(batch, self.pool)

    def receive(self, sent: Submitted) -> Batch:
        return collect_batch(sent, self.pool, on_file=self.on_file)


class ClusterExtraction:
    """A Dask cluster through Prefect's DaskTaskRunner; batches recorded in the order sent."""

    def __init__(self, address: str, settings: Settings, on_batch: Any = None):  # noqa: ANN401
        from prefect_dask import DaskTaskRunner

        self.runner = DaskTaskRunner(address=address)
        self.limits, self.on_batch = Limits.of(settings), on_batch
        self.depth = 2

    def __enter__(self) -> ClusterExtraction:
        self.runner.__enter__()
        workers = self.runner.client.scheduler_info().get("workers", {})
        self.depth = max(2, sum(w.get("nthreads", 1) for w in workers.values()) + 1)
        return self

    def __exit__(self, *exc: object) -> None:
        self.runner.__exit__(*exc)

    def _submit(self, part: Batch) -> Any:  # noqa: ANN401 - a PrefectDaskFuture
        return self.runner.submit(extract_batch, {"batch": part, "limits": self.limits})

    def send(self, batch: Batch) -> tuple[Batch, Any]:
        return batch, self._submit(batch.advance("queued").for_extraction())

    def receive(self, sent: tuple[Batch, Any]) -> Batch:
        from distributed import KilledWorker

        batch, future = sent
        try:
            done = batch.take_results(future.result())
        except KilledWorker as exc:
            log.warning("batch of %d files killed its Dask workers (%s): one file per task now",
                        len(batch.todo), exc)
            done = batch.take_results(self._one_by_one(batch))
        if self.on_batch is not None:
            self.on_batch(done)
        return done

    def _one_by_one(self, batch: Batch) -> Batch:
        """Each file of a batch that killed its workers in a task of its own. A file whose task
        dies too is sent once more with nothing else of this batch in flight (a task that only
        shared a dying worker with the culprit is then cleared); one that kills a worker again
        is the culprit: rejected as corrupt, never sent again."""
        part = batch.for_extraction()
        futures = [self._submit(_single(rec)) for rec in part.ready]
        out = [self._single_result(f) for f in futures]
        for i, rec in enumerate(part.ready):
            if out[i] is None:
                out[i] = self._single_result(self._submit(_single(rec))) or replace(
                    rec, data=None, reason="corrupt",
                    detail="reading this file killed the Dask workers it was sent to")
        return Batch([], out, todo=list(range(len(out))), stage="extracted")

    @staticmethod
    def _single_result(future: Any) -> Any:  # noqa: ANN401 - a Received, or None
        from distributed import KilledWorker

        try:
            return future.result().ready[0]
        except KilledWorker:
            return None


def _single(rec: Any) -> Batch:  # noqa: ANN401 - a Received
    return Batch([], [rec], todo=[0], stage="queued")


def extraction_for(settings: Settings, pool: Any, on_file: Any = None,  # noqa: ANN401
                   on_batch: Any = None) -> LocalExtraction | ClusterExtraction:
    """The cluster when FULIAN_DASK_ADDRESS is set, else this machine's pool (`pool` is
    a callable so that a run on the cluster starts no local workers)."""
    if settings.dask_address:
        return ClusterExtraction(settings.dask_address, settings, on_batch)
    return LocalExtraction(pool, on_file)
