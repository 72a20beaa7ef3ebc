"""Turning received files into archive-ready records: read, digest, sniff, extract."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from archive.digests import bare, digest_both
from archive.intake import Received
from connectors.archives import expand_zip, is_plain_zip
from connectors.base import Incoming, NotRegular, StillWriting
from extract.readers import CONVERTED
from extract.sniff import sniff
from flows.batch import Batch, Vanished, apply_results
from flows.pool import ExtractPool
from flows.scratch import Scratch
from schemas.extraction import Hints
from schemas.settings import Settings
from schemas.units import UnitRegistry

CHUNK = 1 << 20


def _file_chunks(item: Incoming):  # noqa: ANN202
    with item.open() as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def _kept_whole(item: Incoming, scratch: Scratch | None) -> tuple[str, str, Path]:
    """Digests of a file not read into memory, and the file the blob store copies: a copy in
    `scratch` made while digesting (the bytes digested, reached by descriptors from the inbox
    once), or the file itself when the run owns it or no scratch is given."""
    assert item.path is not None
    held = item.path if item.owned or scratch is None else scratch.new_file()
    sha, sm3 = digest_both(_file_chunks(item) if held == item.path else _copied(item, held))
    return sha, sm3, held


def _copied(item: Incoming, target: Path):  # noqa: ANN202
    """The file's chunks, written to `target` as they are read."""
    with open(target, "xb") as out:
        for chunk in _file_chunks(item):
            out.write(chunk)
            yield chunk


def _base(item: Incoming, sha: str, sm3: str, **kw) -> Received:  # noqa: ANN003
    return Received(receipt=item.receipt, source=item.source, source_uri=item.source_uri,
                    source_path=item.source_path, original_name=item.original_name,
                    received_at=item.received_at, size=item.size, sha256=bare(sha), sm3=bare(sm3),
                    claimed_unit=item.claimed_unit, meta=dict(item.meta), **kw)


def read_one(item: Incoming, settings: Settings, scratch: Scratch | None = None) -> Received | Vanished:
    """Digest and sniff one file; reading is bounded by the size limit. A scratch copy the run
    owns (a ZIP member) is read only for that: the record keeps its path, not its bytes.
    A file over the limit is copied into `scratch` as it is digested, so the quarantine gets
    the bytes that were digested, read once through descriptors (never its path again)."""
    if item.reject:  # named or made so that it is recorded, never parsed
        if item.owned:
            sha, sm3 = digest_both(_file_chunks(item))
            return _base(item, sha, sm3, path=item.path, reason=item.reject[0], detail=item.reject[1])
        data = item.data or b""
        sha, sm3 = digest_both([data])
        return _base(item, sha, sm3, data=data, reason=item.reject[0], detail=item.reject[1])
    try:
        if item.size > settings.max_file_size and item.path is not None:
            sha, sm3, held = _kept_whole(item, scratch)
            return _base(item, sha, sm3, path=held, reason="too_large",
                         detail=f"{item.size} bytes > {settings.max_file_size}")
        data = item.read()
    except (FileNotFoundError, StillWriting):
        return Vanished(item)
    except NotRegular as exc:  # swapped for a link or a FIFO since the scan
        sha, sm3 = digest_both([b""])
        return _base(item, sha, sm3, data=b"", reason="unsupported", detail=str(exc))
    sha, sm3 = digest_both([data])
    if len(data) > settings.max_file_size:
        return _base(item, sha, sm3, data=data, reason="too_large", detail=f"{len(data)} bytes")
    found = sniff(data, item.original_name, max_unzipped=settings.max_unzipped_size,
                  max_ratio=settings.max_zip_ratio)
    kept = {"path": item.path} if item.owned else {"data": data}
    return _base(item, sha, sm3, kind=found.kind, reason=found.reason, detail=found.detail or None,
                 **kept)


def hints_for(item: Received) -> dict:
    return Hints(name=item.original_name, source_path=item.source_path,
                 claimed_unit=item.claimed_unit, received_at=item.received_at).model_dump()


@dataclass
class Submitted:
    """A batch queued on this machine's pool: the value, and the pool's jobs for its files."""

    batch: Batch
    futures: list


def unpack(items: list[Incoming], read: list, registry: UnitRegistry | None,
           settings: Settings, scratch: Scratch) -> list[Incoming]:
    """Members of plain ZIP packages (not Office files) as receipts of their own, inflated into
    the batch's scratch folder."""
    members: list[Incoming] = []
    if registry is None:
        return members
    for item, rec in zip(items, read, strict=True):
        if isinstance(rec, Received) and rec.reason == "unsupported" and is_plain_zip(rec.data):
            got = expand_zip(item, rec.data, registry, scratch.new_folder(),  # type: ignore[arg-type]
                             settings.max_file_size)
            rec.reason, rec.detail, rec.kind, rec.members = None, None, "zip", len(got.members)
            if got.problem or got.unreadable:  # the package is damaged; what is readable goes on
                rec.reason = "corrupt"
                rec.detail = got.problem or f"{got.unreadable} of {len(got.members)} members unreadable"
            members += got.members
    return members


def read_batch(items: list[Incoming], settings: Settings,
               archived: Callable[[set[str]], set[str]] = lambda shas: set(),
               registry: UnitRegistry | None = None) -> Batch:
    """Read, digest and sniff a batch (stage `read`).

    `archived(shas)` names the contents already in the archive: their copies are
    duplicates, so only the first copy of new content is extracted.
    """
    scratch = Scratch(settings.home_dir)
    read = [read_one(i, settings, scratch) for i in items]
    read += [read_one(m, settings) for m in unpack(items, read, registry, settings, scratch)]
    ready = [r for r in read if isinstance(r, Received)]
    vanished = [r for r in read if isinstance(r, Vanished)]
    todo = first_copies([r for r in ready if r.reason is None and r.members is None], archived)
    chosen = {id(r) for r in todo}
    return Batch(items, ready, vanished, [i for i, r in enumerate(ready) if id(r) in chosen],
                 scratch=str(scratch.path) if scratch.path else None)


def queue_local(batch: Batch, pool: ExtractPool) -> Submitted:
    """Queue a read batch's extraction on this machine's pool; the workers start at once."""
    return Submitted(batch.advance("queued"), pool.submit(_jobs(batch.to_extract, pool)))


def _jobs(todo: list[Received], pool: ExtractPool) -> list[tuple[bytes | str, dict, str, str]]:
    inputs = convert_legacy(todo, pool)
    return [(data, hints_for(r), r.sha256, kind) for r, (data, kind) in zip(todo, inputs, strict=True)]


def submit_batch(items: list[Incoming], settings: Settings, pool: ExtractPool,
                 archived: Callable[[set[str]], set[str]] = lambda shas: set(),
                 registry: UnitRegistry | None = None) -> Submitted:
    """Read a batch and queue its extraction on the local pool."""
    return queue_local(read_batch(items, settings, archived, registry), pool)


def extract_now(batch: Batch, pool: ExtractPool) -> Batch:
    """A queued batch extracted here, start to end (what a Dask worker runs)."""
    return apply_results(batch, pool.run(_jobs(batch.to_extract, pool)))


def collect_batch(sub: Submitted, pool: ExtractPool,
                  on_file: Callable[[Received], None] | None = None) -> Batch:
    """Wait for a submitted batch's extraction; unreadable files get their reject reason.

    `on_file` hears of each file as its extraction finishes (the CLI's progress bar); the
    results are still collected for the whole batch, so a broken pool is replaced once.
    """
    todo = sub.batch.to_extract
    if on_file is not None:
        for rec, job in zip(todo, sub.futures, strict=True):
            _settle(job)
            on_file(rec)
    return apply_results(sub.batch, pool.collect(sub.futures))


def quarantine_unread(item: Incoming, reason: str, detail: str, scratch: Scratch | None = None) -> Batch:
    """A batch of one file recorded as rejected without being sniffed or parsed: reading it
    killed the workers that held it. Its bytes are only digested and kept in quarantine."""
    try:
        if item.data is None and item.path is not None:
            sha, sm3, held = _kept_whole(item, scratch)
            rec = _base(item, sha, sm3, path=held, reason=reason, detail=detail)
        else:
            data = item.data or b""
            sha, sm3 = digest_both([data])
            rec = _base(item, sha, sm3, data=data, reason=reason, detail=detail)
    except (FileNotFoundError, NotRegular):
        return Batch([item], [], [Vanished(item)])
    return Batch([item], [rec], scratch=str(scratch.path) if scratch and scratch.path else None)


def _settle(job, poll: float = 0.1) -> None:  # noqa: ANN001 - a flows.pool.Job
    """Until the job's extraction is done, its pool gave up, or its time limit passed."""
    deadline = time.monotonic() + job.limit
    while not job.future.done() and job.pool.active and time.monotonic() < deadline:
        time.sleep(poll)


def first_copies(items: list[Received], archived: Callable[[set[str]], set[str]]) -> list[Received]:
    """Of each new content, the copy the archive will record first (earliest received)."""
    known = archived({r.sha256 for r in items})
    first: dict[str, Received] = {}
    for r in sorted(items, key=lambda r: (r.received_at, r.source_path)):
        if r.sha256 not in known:
            first.setdefault(r.sha256, r)
    return [r for r in items if first.get(r.sha256) is r]


def convert_legacy(items: list[Received], pool: ExtractPool) -> list[tuple[bytes | str, str]]:
    """(bytes, kind) to extract for each item, or (path, kind) for a scratch copy, which the
    worker reads itself. Legacy formats of the batch held in memory are converted together,
    since one LibreOffice start costs about as much as twenty conversions (a scratch copy
    converts inside its own extraction job)."""
    inputs = [(r.data if r.data is not None else str(r.path), r.kind) for r in items]
    for target in ("docx", "xlsx"):
        idx = [i for i, r in enumerate(items)
               if r.data is not None and r.kind in CONVERTED and CONVERTED[r.kind][1] == target]
        if len(idx) < 2:  # a single file converts inside its own extraction job
            continue
        converted = pool.convert([(items[i].data, CONVERTED[items[i].kind][0]) for i in idx], target)
        for i, out in zip(idx, converted, strict=True):
            if isinstance(out, bytes):
                inputs[i] = (out, target)
    return inputs  # type: ignore[return-value]
