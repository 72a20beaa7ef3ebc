"""The append-only, hash-chained audit log.

hash = sha256(canonical JSON of {seq, at, actor, action, subject, details} + prev_hash).
Appends happen only inside `Database.writer()`, which serialises writers, so the
chain stays linear. Nothing here updates or deletes an event (the database refuses too).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from archive.models import AuditEvent

GENESIS = "0" * 64
NAME_KEYS = ("name", "source_uri", "source_path", "path", "detail")  # may hold a file's name
CHANNEL_TEXTS = ("subject", "sender_name", "note")  # free text a channel adds (mail, upload)


def masked_details(details: dict[str, Any]) -> dict[str, Any]:
    """An event's details as written from now on and as shown: ID and phone numbers in file
    names, URIs and channel texts masked (extract.pii.mask_name). The chain is write-once, so
    events written before keep what they hold; readers get them through this too. The raw bytes
    of a name that needed masking (`*_hex`) are left out: the record keeps the name itself."""
    from extract.pii import mask_name

    out = {k: mask_name(v) if k in NAME_KEYS and isinstance(v, str) else v for k, v in details.items()}
    name = details.get("name")
    hides = isinstance(name, str) and mask_name(name) != name  # (a URI changes anyway: it is decoded)
    channel = out.get("channel")
    if isinstance(channel, dict):
        out["channel"] = {k: mask_name(v) if k in CHANNEL_TEXTS and isinstance(v, str) else v
                          for k, v in channel.items() if not (hides and k.endswith("_hex"))}
    return out


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def event_hash(seq: int, at: str, actor: str, action: str, subject: str, details: str,
               prev_hash: str) -> str:
    body = canonical({"seq": seq, "at": at, "actor": actor, "action": action,
                      "subject": subject, "details": json.loads(details)})
    return hashlib.sha256((body + prev_hash).encode("utf-8")).hexdigest()


@dataclass
class Event:
    action: str
    subject: str
    details: dict[str, Any]


class AuditLog:
    """Appends events to the chain within one writer transaction."""

    def __init__(self, session: Session, actor: str):
        self.session = session
        self.actor = actor
        last = session.execute(
            select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
        ).first()
        self.seq, self.prev = (last[0], last[1]) if last else (0, GENESIS)
        self.pending: list[dict[str, Any]] = []

    def add(self, action: str, subject: str, **details: Any) -> None:
        self.seq += 1
        at = now_iso()
        body = canonical(details)
        digest = event_hash(self.seq, at, self.actor, action, subject, body, self.prev)
        self.pending.append({"seq": self.seq, "at": at, "actor": self.actor, "action": action,
                             "subject": subject, "details": body, "prev_hash": self.prev,
                             "hash": digest})
        self.prev = digest

    def flush(self) -> None:
        if self.pending:
            self.session.execute(insert(AuditEvent), self.pending)
            self.pending = []


@dataclass
class ChainProblem:
    seq: int
    problem: str  # hash_mismatch | broken_link | gap

    def __str__(self) -> str:
        return f"event {self.seq}: {self.problem}"


def verify_chain(session: Session, batch: int = 5000) -> tuple[int, list[ChainProblem]]:
    """Recompute every hash; return (events checked, problems), all problems at once."""
    problems: list[ChainProblem] = []
    prev_hash, expected_seq, count, last = GENESIS, 1, 0, 0
    while True:
        rows = session.execute(
            select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(batch)
        ).scalars().all()
        if not rows:
            return count, problems
        for ev in rows:
            count += 1
            if ev.seq != expected_seq:
                problems.append(ChainProblem(ev.seq, "gap"))
            if ev.prev_hash != prev_hash:
                problems.append(ChainProblem(ev.seq, "broken_link"))
            try:
                recomputed = event_hash(ev.seq, ev.at, ev.actor, ev.action, ev.subject,
                                        ev.details, ev.prev_hash)
            except (ValueError, TypeError):
                recomputed = ""
            if recomputed != ev.hash:
                problems.append(ChainProblem(ev.seq, "hash_mismatch"))
            prev_hash, expected_seq, last = ev.hash, ev.seq + 1, ev.seq
        session.expunge_all()
