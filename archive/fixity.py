"""Fixity: recompute the audit chain and every blob's digests, report every problem at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from archive.audit import ChainProblem, verify_chain
from archive.digests import digest_both
from archive.models import Document, Fixity
from archive.store import Archive


@dataclass
class BlobProblem:
    sha256: str
    area: str
    problem: str  # missing | sha256_mismatch | sm3_mismatch | unreadable
    observed: str | None = None

    def __str__(self) -> str:
        return f"blob sha256:{self.sha256} ({self.area}): {self.problem}"


@dataclass
class FixityReport:
    events: int = 0
    blobs: int = 0
    chain: list[ChainProblem] = field(default_factory=list)
    blob_problems: list[BlobProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.chain and not self.blob_problems

    def summary(self) -> dict:
        return {"events": self.events, "blobs": self.blobs, "ok": self.ok,
                "chain_problems": [str(p) for p in self.chain],
                "blob_problems": [str(p) for p in self.blob_problems]}


def verify_archive(archive: Archive, progress: Callable[[int, int], None] | None = None,
                   record: bool = True) -> FixityReport:
    report = FixityReport()
    with archive.db.reader() as s:
        report.events, report.chain = verify_chain(s)
        docs = s.execute(select(Document.sha256, Document.area)).all()
        expected = {(sha, alg): dig for sha, alg, dig in s.execute(
            select(Fixity.sha256, Fixity.algorithm, Fixity.digest))}
    for i, (sha, area) in enumerate(docs, 1):
        report.blob_problems.extend(_check_blob(archive, sha, area, expected))
        report.blobs += 1
        if progress:
            progress(i, len(docs))
    if record:
        with archive.db.writer() as s:
            log = archive.audit(s)
            log.add("fixity.checked", "archive", **report.summary())
            log.flush()
    return report


def _check_blob(archive: Archive, sha: str, area: str, expected: dict) -> list[BlobProblem]:
    if not archive.blobs.exists(sha, area):
        return [BlobProblem(sha, area, "missing")]
    try:
        got_sha, got_sm3 = digest_both(archive.blobs.chunks(sha, area))
    except OSError as exc:
        return [BlobProblem(sha, area, "unreadable", str(exc))]
    problems = []
    if got_sha != expected.get((sha, "sha256"), f"sha256:{sha}"):
        problems.append(BlobProblem(sha, area, "sha256_mismatch", got_sha))
    if got_sm3 != expected.get((sha, "sm3")):
        problems.append(BlobProblem(sha, area, "sm3_mismatch", got_sm3))
    return problems
