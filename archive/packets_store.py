"""Packets given out and bonus points awarded: part of the record, each an audit event.

A packet's ZIP is stored as a write-once blob (area `packets`, by its sha256) with a row
naming its year, unit, digests, payload manifest and the archive state it was built from;
a rebuild from the same state gives the same bytes, so the blob is stored once and every
build is still an event (who gave out which packet, when).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from archive.audit import now_iso
from archive.digests import bare, digest_both
from archive.models import BonusAward, PacketRecord
from archive.store import Archive

AREA = "packets"


@dataclass(frozen=True)
class StoredPacket:
    id: int
    sha256: str
    sm3: str
    new_blob: bool


def store_packet(archive: Archive, *, year: int, scope: str, zipped: bytes, manifest: dict[str, str],
                 archive_state: str, as_of: str, unmasked: bool = False) -> StoredPacket:
    sha, sm3 = (bare(d) for d in digest_both([zipped]))
    new_blob = archive.blobs.put(sha, zipped, area=AREA)
    with archive.db.writer() as s:
        row = PacketRecord(year=year, scope=scope, sha256=sha, sm3=sm3, size=len(zipped),
                           manifest=manifest, archive_state=archive_state, as_of=as_of,
                           unmasked=unmasked, created_at=now_iso(), created_by=archive.settings.actor)
        s.add(row)
        s.flush()
        log = archive.audit(s)
        log.add("packet.built", f"packet:{row.id}", year=year, scope=scope, sha256=sha, sm3=sm3,
                size=len(zipped), archive_state=archive_state, as_of=as_of, unmasked=unmasked)
        log.flush()
        return StoredPacket(row.id, sha, sm3, new_blob)


def packets_with_digest(archive: Archive, sha256: str) -> list[PacketRecord]:
    with archive.db.reader() as s:
        return list(s.execute(select(PacketRecord).where(PacketRecord.sha256 == sha256)
                              .order_by(PacketRecord.id)).scalars())


def packets_of(archive: Archive, year: int, scope: str) -> list[PacketRecord]:
    with archive.db.reader() as s:
        return list(s.execute(select(PacketRecord).where(PacketRecord.year == year,
                                                         PacketRecord.scope == scope)
                              .order_by(PacketRecord.id)).scalars())


def blob_intact(archive: Archive, record: PacketRecord) -> bool:
    """The stored ZIP still has the digests recorded when it was given out."""
    if not archive.blobs.exists(record.sha256, area=AREA):
        return False
    sha, sm3 = (bare(d) for d in digest_both(archive.blobs.chunks(record.sha256, area=AREA)))
    return (sha, sm3) == (record.sha256, record.sm3)


def award_bonus(archive: Archive, *, year: int, unit: str, points: float, reason: str) -> int:
    """创新加分 for a unit and year; replaces (never changes) an earlier award of the same."""
    with archive.db.writer() as s:
        row = BonusAward(year=year, unit_code=unit, points=points, reason=reason,
                         awarded_by=archive.settings.actor, created_at=now_iso())
        s.add(row)
        s.flush()
        log = archive.audit(s)
        log.add("bonus.awarded", f"unit:{unit}", year=year, points=points, reason=reason,
                award=row.id)
        log.flush()
        return row.id


def bonus_awards(archive: Archive, year: int) -> dict[str, dict]:
    """The award that counts per unit (the newest): points, reason, who, when."""
    with archive.db.reader() as s:
        rows = s.execute(select(BonusAward).where(BonusAward.year == year)
                         .order_by(BonusAward.id)).scalars().all()
    return {r.unit_code: {"id": r.id, "points": r.points, "reason": r.reason, "by": r.awarded_by,
                          "at": r.created_at} for r in rows}
