"""What every connector yields: one received file, with what the channel knows about it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol


def iso_utc(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def receipt_key(*parts: object) -> str:
    """A stable id for one receipt of one file, so a re-run never records it twice."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()


@dataclass
class Incoming:
    source: str  # folder, cli, imap, s3, upload
    source_uri: str
    source_path: str  # relative to the scanned root (folders included)
    original_name: str
    received_at: str  # ISO 8601, UTC
    size: int
    receipt: str
    claimed_unit: str | None = None  # unit code
    path: Path | None = None  # local file holding the bytes
    data: bytes | None = None  # or the bytes themselves (upload, mail)
    meta: dict = field(default_factory=dict)

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()


class Connector(Protocol):
    name: str

    def scan(self) -> list[Incoming]: ...

    def acknowledge(self, item: Incoming, outcome: str) -> None:
        """Called once the archive holds the item (outcome: a status, or "already")."""
