"""Annual review packets: read the year from the archive, score every unit, write the files.

Thin: the archive supplies the inputs (flows.packet_inputs), `packets/` scores and renders.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from archive.store import Archive
from flows.packet_inputs import SCORED_LEVELS, YearInputs, year_inputs
from packets.district_packet import district_packet
from packets.model import Packet
from packets.scoring import ScoreSheet, score_unit
from packets.unit_packet import unit_packet
from packets.xlsx import write_xlsx
from schemas.scorecard import Scorecard, load_scorecard

LOCAL = ZoneInfo("Asia/Shanghai")


@dataclass
class Built:
    scope: str
    name: str
    files: list[Path] = field(default_factory=list)
    total: float | None = None
    grade: str | None = None
    error: str | None = None
    seconds: float = 0.0


def stamp(inputs: YearInputs) -> datetime:
    """The time written into every container: the packet's as-of moment, local, to the second."""
    return inputs.as_of.astimezone(LOCAL).replace(tzinfo=None, microsecond=0)


def unit_packets(card: Scorecard, inputs: YearInputs, codes: list[str]) -> dict[str, tuple[ScoreSheet, Packet]]:
    out = {}
    for code in codes:
        data = inputs.by_unit[code]
        sheet = score_unit(card, data, inputs.year)
        out[code] = (sheet, unit_packet(
            card, sheet, plans=inputs.plans.get(code, []), rates=inputs.rates.get(code, []),
            as_of=inputs.as_of.date().isoformat(), archive_state=inputs.archive_state,
            cells=data.cells, findings=data.findings, values=data.values))
    return out


def write_packet(packet: Packet, out: Path, when: datetime) -> list[Path]:
    folder = out / f"{packet.year}-{packet.scope}"
    folder.mkdir(parents=True, exist_ok=True)
    base = f"{packet.year}年度考评资料-{packet.unit_name}"
    files = [(folder / f"{base}.xlsx", write_xlsx(packet, when)),
             (folder / f"{base}.json", (json.dumps(packet.as_json(), ensure_ascii=False, indent=1,
                                                   sort_keys=True, default=str) + "\n").encode())]
    for path, data in files:
        path.write_bytes(data)
    return [p for p, _ in files]


def build_packets(archive: Archive, year: int, out: Path, unit: str | None = None,
                  as_of: datetime | None = None, progress: Callable[[str, int, int], None] | None = None,
                  card: Scorecard | None = None) -> list[Built]:
    """Packets of one unit, or of every scored unit and the district; one failing does not stop the rest."""
    card = card or load_scorecard()
    inputs = year_inputs(archive, year, as_of)
    when = stamp(inputs)
    scored = [u["code"] for u in inputs.units if u["level"] in SCORED_LEVELS]
    codes = [unit] if unit else scored
    results, sheets = [], []
    for done, code in enumerate(codes, 1):
        started = time.perf_counter()
        name = inputs.by_unit[code].unit["name"]
        try:
            sheet, packet = unit_packets(card, inputs, [code])[code]
            files = write_packet(packet, out, when)
            sheets.append(sheet)
            results.append(Built(code, name, files, sheet.total, card.grade(sheet.total),
                                 seconds=time.perf_counter() - started))
        except Exception as e:  # noqa: BLE001 - one unit's failure is reported, the others go on
            results.append(Built(code, name, error=f"{type(e).__name__}: {e}"))
        if progress:
            progress("packet", done, len(codes))
    if not unit:
        results.append(_district(card, inputs, sheets, out, when))
    return results


def _district(card: Scorecard, inputs: YearInputs, sheets: list[ScoreSheet], out: Path,
              when: datetime) -> Built:
    started = time.perf_counter()
    district = next((u for u in inputs.units if u["level"] == "district"), {"name": "全区"})
    packet = district_packet(card, sheets, values_by_unit={s.unit["code"]: inputs.by_unit[s.unit["code"]].values
                                                           for s in sheets},
                             year=inputs.year, as_of=inputs.as_of.date().isoformat(),
                             archive_state=inputs.archive_state, district_name=district["name"])
    files = write_packet(packet, out, when)
    return Built("district", district["name"], files, seconds=time.perf_counter() - started)
