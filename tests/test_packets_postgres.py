"""The annual packet is the same on PostgreSQL as on SQLite: the fixture year archived on each,
one unit's packet built on each, and the JSON payloads (scores, evidence, file index, audit
excerpt) compared byte for byte. A province runs on PostgreSQL; our packet tests mostly on SQLite."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from archive.store import Archive
from flows.packets import Options, build_packets
from schemas.settings import Settings
from tests.packet_year import AS_OF, ingest_year

pytestmark = [pytest.mark.xdist_group("packets"), pytest.mark.postgres]


def _comparable(payload: bytes) -> dict:
    """The packet less what depends on the moment of archiving: audit times and the state digest."""
    data = json.loads(payload)
    data.pop("archive_state")
    text = json.dumps(data, ensure_ascii=False)
    return json.loads(re.sub(r'"at": "[^"]+"', '"at": ""', text))


def _packet_json(url: str, home: Path, docs: Path, out: Path) -> tuple[float, bytes]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FULIAN_HOME", str(home))
        mp.setenv("FULIAN_DATABASE_URL", url)
        mp.setenv("FULIAN_ACTOR", "统计员小李")
        archive = Archive(Settings())
        try:
            ingest_year(archive, docs)
            (built,) = build_packets(archive, 2013, Options(out, store=False), unit="jiefanglu", as_of=AS_OF)
        finally:
            archive.close()
    assert built.error is None
    payload = next((built.files[0] / "data").glob("*.json"))
    return built.total, payload.read_bytes()


def test_packet_is_the_same_on_postgresql_as_on_sqlite(pg_url: str, tmp_path: Path) -> None:
    made = {}
    for name, url in (("sqlite", f"sqlite:///{tmp_path / 'lite.db'}"), ("postgresql", pg_url)):
        (tmp_path / name).mkdir()
        made[name] = _packet_json(url, tmp_path / name, tmp_path / f"{name}-docs", tmp_path / f"{name}-out")
    assert made["postgresql"][0] == made["sqlite"][0] == 41.24
    pg, lite = (_comparable(made[n][1]) for n in ("postgresql", "sqlite"))
    assert pg["sections"]["evidence"] and pg["sections"]["scorecard"]
    assert pg == lite
