"""A batch in flight, as a value: read → queued → extracted → recorded → acknowledged.

Each step takes the batch and hands it on one stage further; nothing about it lives in a
process's globals. So extraction can run on a Dask worker of another machine (and, should that
worker die, again on another one: the value it was sent is all it needs), and the flow run
that records the batch needs nothing but the value it gets back.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

from archive.intake import Received
from connectors.base import Incoming
from schemas.extraction import ExtractError, Extraction

STAGES = ("read", "queued", "extracted", "recorded", "acknowledged")


@dataclass
class Vanished:
    """A file another run took first (moved away between scan and read)."""

    item: Incoming


@dataclass
class Batch:
    """Files of one Prefect task, with everything needed to take them to their next stage."""

    items: list[Incoming]  # as the connector gave them: acknowledged at the end
    ready: list[Received]  # read and digested (members of ZIP packages included)
    vanished: list[Vanished] = field(default_factory=list)
    todo: list[int] = field(default_factory=list)  # positions in `ready` of the copies to extract
    stage: str = "read"
    rows: list[dict] = field(default_factory=list)  # one per file, once recorded
    scratch: str | None = None  # this machine's folder of the batch's inflated ZIP members

    def discard(self) -> None:
        """Once recorded: the scratch copies are in the blob store (flows/prepare.unpack)."""
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def advance(self, stage: str) -> Batch:
        """The next stage, and only the next: a batch never skips or repeats a step."""
        if STAGES.index(stage) != STAGES.index(self.stage) + 1:
            raise ValueError(f"batch at {self.stage!r} cannot move to {stage!r}")
        self.stage = stage
        return self

    @property
    def to_extract(self) -> list[Received]:
        return [self.ready[i] for i in self.todo]

    def for_extraction(self) -> Batch:
        """What an extraction worker needs: the files to read, not the connector's items, the
        copies or the files already rejected (less to send over the network). A ZIP member kept
        in a scratch file here travels as bytes: the worker may be another machine."""
        return Batch(items=[], ready=[_with_bytes(r) for r in self.to_extract],
                     todo=list(range(len(self.todo))), stage=self.stage)

    def without_data(self) -> Batch:
        """The extracted value as it travels back: the bytes stay where they came from."""
        return replace(self, ready=[replace(r, data=None) for r in self.ready])

    def take_results(self, extracted: Batch) -> Batch:
        """Merge what a worker extracted (a `for_extraction` copy, now `extracted`)."""
        if extracted.stage != "extracted" or len(extracted.ready) != len(self.todo):
            raise ValueError("not the extraction of this batch")
        for mine, theirs in zip(self.to_extract, extracted.ready, strict=True):
            mine.reason, mine.detail, mine.extraction = theirs.reason, theirs.detail, theirs.extraction
            mine.kind = theirs.kind
        _copies_share_rejection(self)
        return self.advance("extracted")


def _with_bytes(rec: Received) -> Received:
    if rec.data is None and rec.path is not None:
        return replace(rec, data=Path(rec.path).read_bytes(), path=None)
    return replace(rec)


def apply_results(batch: Batch, results: list[Extraction | ExtractError]) -> Batch:
    """Extraction results, in the order of `batch.todo`: unreadable files get their reason."""
    for rec, result in zip(batch.to_extract, results, strict=True):
        if isinstance(result, ExtractError):
            rec.reason, rec.detail = result.reason, result.message
        else:
            result.detected_type = rec.kind or result.detected_type
            rec.extraction = result
    _copies_share_rejection(batch)
    return batch.advance("extracted")


def _copies_share_rejection(batch: Batch) -> None:
    """A copy of content that could not be read is rejected the same way."""
    failed = {r.sha256: r for r in batch.to_extract if r.reason}
    for rec in batch.ready:
        if rec.reason is None and rec.extraction is None and rec.sha256 in failed:
            rec.reason, rec.detail = failed[rec.sha256].reason, failed[rec.sha256].detail
