"""What a packet's document index reads: every submission of a unit and year, whatever its
status, with both digests, what superseded it, the audit events about it, and a fresh check
of its blob and of the audit chain."""

from __future__ import annotations

from sqlalchemy import select

from archive.audit import verify_chain
from archive.fixity import _check_blob
from archive.models import AuditEvent, Document, Fixity, Submission, Supersession
from archive.store import Archive


def year_documents(archive: Archive, year: int) -> list[dict]:
    """Every submission about `year` (accepted, superseded, duplicate, in review, rejected)."""
    with archive.db.reader() as s:
        subs = s.execute(select(Submission).where(Submission.period.like(f"{year}%"))
                         .order_by(Submission.id)).scalars().all()
        sm3 = dict(s.execute(select(Fixity.sha256, Fixity.digest).where(Fixity.algorithm == "sm3")).all())
        replaced = dict(s.execute(select(Supersession.old_id, Supersession.new_id)).all())
        paths = {sub.id: sub.source_path for sub in subs}
        subjects = [f"submission:{sub.id}" for sub in subs]
        events = s.execute(select(AuditEvent.seq, AuditEvent.at, AuditEvent.actor, AuditEvent.action,
                                  AuditEvent.subject).where(AuditEvent.subject.in_(subjects))
                           .order_by(AuditEvent.seq)).all() if subjects else []
    by_subject: dict[str, list[dict]] = {}
    for seq, at, actor, action, subject in events:
        by_subject.setdefault(subject, []).append({"seq": seq, "at": at, "actor": actor, "action": action})
    return [{"id": sub.id, "unit": sub.unit_code, "source_path": sub.source_path, "status": sub.status,
             "doc_type": sub.doc_type, "period": sub.period, "received_at": sub.received_at,
             "sha256": sub.sha256, "sm3": (sm3.get(sub.sha256) or "").removeprefix("sm3:"),
             "superseded_by": paths.get(replaced.get(sub.id), "") if sub.id in replaced else "",
             "events": by_subject.get(f"submission:{sub.id}", [])} for sub in subs]


def check_documents(archive: Archive, docs: list[dict]) -> tuple[bool, dict[str, str]]:
    """(the audit chain verifies, problem per sha256 of the given documents' blobs; "" if intact)."""
    with archive.db.reader() as s:
        _, chain = verify_chain(s)
        expected = {(sha, alg): dig for sha, alg, dig in s.execute(
            select(Fixity.sha256, Fixity.algorithm, Fixity.digest))}
        areas = dict(s.execute(select(Document.sha256, Document.area)).all())
    out = {}
    for sha in sorted({d["sha256"] for d in docs if d["sha256"]}):
        problems = _check_blob(archive, sha, areas.get(sha, "objects"), expected)
        out[sha] = "；".join(p.problem for p in problems)
    return not chain, out
