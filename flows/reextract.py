"""Re-run the current extractor over the archive; old extractions stay, the newest counts."""

from __future__ import annotations

from prefect import flow, task
from prefect.cache_policies import NONE

from archive import reextract as rx
from extract.version import EXTRACTOR_VERSION
from flows.ingest import _run_id
from flows.runtime import close_runtime, current, open_runtime, report
from flows.stages import after_ingest
from schemas.extraction import ExtractError, Hints


@task(name="reextract-batch", cache_policy=NONE)
def reextract_batch(todo: list[rx.Todo]) -> list[dict]:
    rt = current()
    jobs = [(rt.archive.blobs.read(t.sha256), Hints(
        name=t.name, source_path=t.source_path, claimed_unit=t.claimed_unit,
        received_at=t.received_at).model_dump(), t.sha256, t.kind) for t in todo]
    results = rt.pool.run(jobs)
    rows = []
    with rt.archive.db.writer() as session:
        log = rt.archive.audit(session)
        for item, result in zip(todo, results, strict=True):
            if isinstance(result, ExtractError):  # the file was readable once: keep it, report
                rows.append({"submission": item.submission_id, "status": "error", "reason": result.reason})
                continue
            changed = rx.apply(session, log, item.submission_id, result)
            rows.append({"submission": item.submission_id, "status": changed or "unchanged",
                         "reason": None, "path": item.source_path})
        log.flush()
    return rows


@flow(name="reextract")
def reextract(force: bool = False) -> dict:
    rt = open_runtime()
    rt.run_id = _run_id() or rt.run_id
    try:
        todo = rx.pending(rt.archive, EXTRACTOR_VERSION, force)
        rows: list[dict] = []
        size = max(1, rt.settings.batch_size)
        for start in range(0, len(todo), size):
            rows += reextract_batch(todo[start:start + size])
            report("reextract", min(start + size, len(todo)), len(todo))
        stages = after_ingest(rt, [{"status": "reextracted"}] if rows else [])
    finally:
        close_runtime(rt)
    return {"version": EXTRACTOR_VERSION, "count": len(rows), "files": rows, "stages": stages}
