"""Ingest: connectors → archive, one Prefect task per batch of files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.context import get_run_context

from archive.intake import record_batch, store_blobs
from archive.queries import archived_contents, known_receipts
from connectors.base import Connector, Incoming
from connectors.folder import PathsConnector
from flows.claiming import RunClaims
from flows.prepare import Submitted, collect_batch, submit_batch
from flows.runtime import Runtime, close_runtime, current, open_runtime, report
from flows.stages import after_ingest


@task(name="ingest-batch", cache_policy=NONE)
def ingest_batch(next_items: list[Incoming] | None, connector: Connector) -> list[dict]:
    """Archive the batch whose extraction is under way, then let the connector let go of its files.

    The next batch is queued on the workers first, so they extract it while this one is
    stored and recorded (one batch in flight; each batch still commits in one transaction).
    """
    rt = current()
    batch = rt.pending
    rt.pending = _submit(rt, next_items) if next_items else None
    received, vanished = collect_batch(batch, rt.pool, on_file=lambda rec: _extracted(rt, rec))
    store_blobs(rt.archive.blobs, received)
    with rt.archive.db.writer() as session:
        recorded = record_batch(session, rt.archive.audit(session), received, rt.run_id)
    outcomes = {o.receipt: o for o in recorded}
    by_receipt = {i.receipt: i for i in batch.items}
    rows = []
    for rec in received:
        out = outcomes[rec.receipt]
        if out.receipt in by_receipt:  # members of a ZIP go with their package
            connector.acknowledge(by_receipt[out.receipt], out.status)
        rows.append({"path": rec.source_path, "status": out.status, "reason": out.reason,
                     "superseded": out.superseded, "submission": out.submission_id,
                     "unit": rec.extraction.unit if rec.extraction else rec.claimed_unit})
    rows += [{"path": v.item.source_path, "status": "vanished", "reason": None} for v in vanished]
    if any(r["status"] != "already" for r in rows):
        rt.archive.refresh_registry()
    return rows


def _extracted(rt: Runtime, rec) -> None:  # noqa: ANN001
    rt.extracted += 1
    report("extract", rt.extracted, rt.to_extract, item=rec.source_path)


def _submit(rt: Runtime, items: list[Incoming]) -> Submitted:
    return submit_batch(items, rt.settings, rt.pool, lambda shas: archived_contents(rt.archive, shas),
                        rt.archive.registry)


def run_connectors(rt: Runtime, connectors: list[Connector]) -> dict:
    """Scan, skip what is already recorded, ingest the rest in batches, run later stages.

    Files are claimed in the database batch by batch (flows/claiming.py), so runs on several
    machines share one inbox and what a live run holds is left to it.
    """
    rows: list[dict] = []
    with RunClaims(rt.archive.db, rt.settings.claim_lease) as claims:
        for connector in connectors:
            rows += _ingest_connector(rt, connector, claims)
    counts = Counter(r["status"] for r in rows)
    stages = after_ingest(rt, rows)
    return {"run_id": rt.run_id, "counts": dict(counts), "files": rows, "stages": stages}


def _ingest_connector(rt: Runtime, connector: Connector, claims: RunClaims) -> list[dict]:
    items = connector.scan()
    known = known_receipts(rt.archive, [i.receipt for i in items])
    for item in claims.take([i for i in items if i.receipt in known]):
        connector.acknowledge(item, "already")  # recorded by an earlier (maybe crashed) run
    todo = [i for i in items if i.receipt not in known]
    rt.to_extract += len(todo)
    batches = claims.batches(todo, max(1, rt.settings.batch_size))
    batch, rows, done = next(batches, None), [], 0
    if batch:
        rt.pending = _submit(rt, batch)
        report("ingest", 0, len(todo))  # from here an interrupted run can say what it kept
    while batch is not None:
        following = next(batches, None)  # claimed now: its extraction starts during this one
        rows += ingest_batch(following, connector)
        claims.release(i.receipt for i in batch)
        done += len(batch)
        report("ingest", done, len(todo))
        batch = following
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
