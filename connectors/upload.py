"""Files handed over in memory: a web upload, a mail attachment, a test.

The submitted name is kept as metadata only: it is never used as a path on disk,
so a 200-character Chinese name or one holding "../" is harmless.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from connectors.base import Incoming, receipt_key


@dataclass
class Upload:
    name: str
    data: bytes
    unit: str | None = None  # unit code the uploader is logged in for
    received_at: datetime | None = None
    channel_id: str | None = None  # the channel's own id (upload id, mail Message-ID)


class UploadConnector:
    name = "upload"

    def __init__(self, uploads: list[Upload], source: str = "upload"):
        self.uploads, self.name = uploads, source

    def scan(self) -> list[Incoming]:
        items = []
        for up in self.uploads:
            at = (up.received_at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
            digest = hashlib.sha256(up.data).hexdigest()
            channel_id = up.channel_id or f"{digest}:{at}"
            items.append(Incoming(
                source=self.name, source_uri=f"{self.name}:{channel_id}", source_path=up.name,
                original_name=up.name, received_at=at, size=len(up.data),
                receipt=receipt_key(self.name, channel_id), claimed_unit=up.unit, data=up.data))
        return items

    def acknowledge(self, item: Incoming, outcome: str) -> None:
        return None
