"""Ingest: connectors → archive, one Prefect task per batch of files."""

from __future__ import annotations

import logging
from collections import Counter, deque
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.context import get_run_context
from prefect.utilities.annotations import quote

from archive.intake import record_batch, store_blobs
from archive.queries import archived_contents, known_receipts
from connectors.base import Connector, Incoming
from connectors.folder import PathsConnector
from extract.pii import mask_name
from flows.batch import Batch
from flows.claiming import RunClaims
from flows.extraction import extraction_for
from flows.prepare import quarantine_unread, read_batch
from flows.runtime import Runtime, close_runtime, current, open_runtime, report
from flows.scratch import Scratch
from flows.stages import after_ingest

log = logging.getLogger(__name__)


MAX_LOST = 2  # holders that died with a file before it is quarantined instead of read again


@task(name="ingest-batch", cache_policy=NONE)
def ingest_batch(batch: Batch, connector: Connector) -> list[dict]:
    """Record an extracted batch (one writer transaction), then let the connector let go of
    its files: extracted → recorded → acknowledged."""
    rt = current()
    store_blobs(rt.archive.blobs, batch.ready)
    with rt.archive.db.writer() as session:
        recorded = record_batch(session, rt.archive.audit(session), batch.ready, rt.run_id)
    batch.advance("recorded")
    batch.discard()
    outcomes = {o.receipt: o for o in recorded}
    by_receipt = {i.receipt: i for i in batch.items}
    for rec in batch.ready:
        out = outcomes[rec.receipt]
        if out.receipt in by_receipt:  # members of a ZIP go with their package
            connector.acknowledge(by_receipt[out.receipt], out.status)
        batch.rows.append({"path": rec.source_path, "status": out.status, "reason": out.reason,
                           "superseded": out.superseded, "submission": out.submission_id,
                           "unit": rec.extraction.unit if rec.extraction else rec.claimed_unit})
    batch.rows += [{"path": v.item.source_path, "status": "vanished", "reason": None}
                   for v in batch.vanished]
    batch.advance("acknowledged")
    if any(r["status"] != "already" for r in batch.rows):
        rt.archive.refresh_registry()
    return batch.rows


def _extracted(rt: Runtime, rec) -> None:  # noqa: ANN001
    rt.extracted += 1
    report("extract", rt.extracted, rt.to_extract, item=mask_name(rec.source_path))


def _extracted_batch(rt: Runtime, batch: Batch) -> None:
    rt.extracted += len(batch.todo)
    report("extract", rt.extracted, rt.to_extract)


def _read(rt: Runtime, items: list[Incoming]) -> Batch:
    return read_batch(items, rt.settings, lambda shas: archived_contents(rt.archive, shas),
                      rt.archive.registry)


def run_connectors(rt: Runtime, connectors: list[Connector]) -> dict:
    """Scan, skip what is already recorded, ingest the rest in batches, run later stages.

    Files are claimed in the database batch by batch (flows/claiming.py), so runs on several
    machines share one inbox and what a live run holds is left to it. Batches are extracted
    by this machine's pool or, with FULIAN_DASK_ADDRESS, on a Dask cluster (flows/extraction.py).
    """
    rows: list[dict] = []
    extraction = extraction_for(rt.settings, lambda: rt.pool, on_file=lambda rec: _extracted(rt, rec),
                                on_batch=lambda b: _extracted_batch(rt, b))
    with RunClaims(rt.archive.db, rt.settings.claim_lease) as claims, extraction:
        for connector in connectors:
            rows += _ingest_connector(rt, connector, claims, extraction)
    counts = Counter(r["status"] for r in rows)
    stages = after_ingest(rt, rows)
    return {"run_id": rt.run_id, "counts": dict(counts), "files": rows, "stages": stages}


def _ingest_connector(rt: Runtime, connector: Connector, claims: RunClaims, extraction: Any) -> list[dict]:  # noqa: ANN401
    items = connector.scan()
    known = known_receipts(rt.archive, [i.receipt for i in items])
    for item in claims.take([i for i in items if i.receipt in known]):
        connector.acknowledge(item, "already")  # recorded by an earlier (maybe crashed) run
    todo = [i for i in items if i.receipt not in known]
    rt.to_extract += len(todo)
    if todo:
        report("ingest", 0, len(todo))  # from here an interrupted run can say what it kept
    progress = {"done": 0, "of": len(todo)}
    suspects, fresh = claims.left_over(todo)
    rows = _ingest_suspects(rt, connector, claims, extraction, suspects, progress)
    inflight: deque = deque()
    for batch in claims.batches(fresh, max(1, rt.settings.batch_size)):
        inflight.append(extraction.send(_read(rt, batch)))  # its extraction starts at once
        if len(inflight) > extraction.depth:
            rows += _finish(rt, connector, claims, extraction.receive(inflight.popleft()), progress)
    while inflight:
        rows += _finish(rt, connector, claims, extraction.receive(inflight.popleft()), progress)
    return rows


def _ingest_suspects(rt: Runtime, connector: Connector, claims: RunClaims, extraction: Any,  # noqa: ANN401
                     suspects: list[Incoming], progress: dict) -> list[dict]:
    """Files a run died holding, one at a time with nothing else in flight: should this run
    die too, only the file it was reading is blamed. One that has outlived MAX_LOST holders
    is quarantined without being read again (`corrupt`), never retried forever."""
    rows: list[dict] = []
    for item in suspects:
        if not claims.take([item]):
            continue  # a live run is at work on it
        lost = claims.attempts[item.receipt] - 1
        if lost >= MAX_LOST:
            log.warning("%s: %d workers died holding it; quarantined unread", mask_name(item.source_path), lost)
            batch = quarantine_unread(item, "corrupt", f"{lost} workers died while reading this file",
                                      Scratch(rt.settings.home_dir))
            batch.stage = "extracted"  # nothing to extract: it goes straight to the record
        else:
            batch = extraction.receive(extraction.send(_read(rt, [item])))
        rows += _finish(rt, connector, claims, batch, progress)
    return rows


def _finish(rt: Runtime, connector: Connector, claims: RunClaims, batch: Batch, progress: dict) -> list[dict]:
    rows = ingest_batch(quote(batch), connector)
    claims.release(i.receipt for i in batch.items)
    progress["done"] += len(batch.items)
    report("ingest", progress["done"], progress["of"])
    return rows


def _run_id() -> str | None:
    try:
        return str(get_run_context().flow_run.id)[:12]
    except Exception:  # outside a Prefect run (flow.fn in tests)
        return None


@flow(name="ingest", log_prints=True)
def ingest(paths: list[str], received_at: str | None = None) -> dict:
    """Archive the given files/folders, then every later stage: the nightly pipeline on them.

    `received_at` (ISO 8601): the receipt time of a backlog, instead of each file's mtime."""
    rt = open_runtime()
    rt.run_id = _run_id() or rt.run_id
    try:
        connector = PathsConnector([Path(p) for p in paths], rt.archive.registry, received_at)
        result = run_connectors(rt, [connector])
    finally:
        close_runtime(rt)
    get_run_logger().info("ingest %s: %s", rt.run_id, result["counts"])
    return result
