"""Personal data in a packet: ID and phone numbers masked (370102********1234, 138****5678),
names reduced to a surname and 某 (李某), in every text cell of every section.

Extraction already masks what it stores; this pass is the packet's own guarantee, whatever
extractor version wrote a value. Digests are left alone (an 11-digit run in a hex digest is
not a phone number).
"""

from __future__ import annotations

import re

from extract.pii import mask
from packets.model import Packet

_KEEP = {"sha256", "sm3", "source_sha256", "code", "key", "scope", "unit"}
_MASKED_NAME = re.compile(r"([\u4e00-\u9fa5])\*{1,3}(?![*\d])")


def mask_text(text: str) -> str:
    return _MASKED_NAME.sub(r"\1某", mask(text))


def mask_packet(packet: Packet) -> Packet:
    for section in packet.sections:
        section.rows = [{k: mask_text(v) if isinstance(v, str) and k not in _KEEP else v
                         for k, v in row.items()} for row in section.rows]
    return packet
