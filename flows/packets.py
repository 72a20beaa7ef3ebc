"""Annual review packets: read the year from the archive, score every unit, write and store them.

Thin: the archive supplies the inputs (flows.packet_inputs) and keeps what was given out
(archive.packets_store); `packets/` scores and renders.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from archive.packets_store import store_packet
from archive.store import Archive
from flows.packet_inputs import SCORED_LEVELS, YearInputs, year_inputs
from flows.packet_mask import mask_packet
from packets.bag import bag_files, write_bag, zip_bag
from packets.district_packet import district_packet
from packets.files import payload
from packets.model import Packet
from packets.scoring import ScoreSheet, score_unit
from packets.self_eval import apply_claims
from packets.unit_packet import unit_packet
from schemas.scorecard import Scorecard, load_scorecard

LOCAL = ZoneInfo("Asia/Shanghai")


@dataclass
class Built:
    scope: str
    name: str
    files: list[Path] = field(default_factory=list)  # the bag folder and its ZIP
    total: float | None = None
    grade: str | None = None
    error: str | None = None
    seconds: float = 0.0
    sha256: str | None = None  # of the ZIP, as stored in the archive


@dataclass
class Options:
    out: Path
    doc_number: str | None = None  # 发文字号 of the report, e.g. 历下妇发〔2014〕3号
    signature: str = "历下区妇女联合会"
    store: bool = True  # keep the packet in the archive (what was given out is part of the record)
    unmasked: bool = False  # personal data left as stored (an explicit choice, recorded in the audit event)


def stamp(inputs: YearInputs) -> datetime:
    """The time written into every container: the packet's as-of moment, local, to the second."""
    return inputs.as_of.astimezone(LOCAL).replace(tzinfo=None, microsecond=0)


def score(card: Scorecard, inputs: YearInputs, code: str) -> tuple[ScoreSheet, Packet]:
    data = inputs.by_unit[code]
    sheet = score_unit(card, data, inputs.year, inputs.bonus.get(code))
    apply_claims(sheet, data.claims, card.margin)
    return sheet, unit_packet(
        card, sheet, plans=inputs.plans.get(code, []), rates=inputs.rates.get(code, []),
        as_of=inputs.as_of.astimezone(LOCAL).date().isoformat(), archive_state=inputs.archive_state,
        cells=data.cells, findings=data.findings, values=data.values,
        docs=inputs.index.get(code, []), checks=inputs.checks)


def bag_info(packet: Packet, signature: str) -> list[tuple[str, str]]:
    from importlib.metadata import version

    from extract.version import EXTRACTOR_VERSION

    return [("Source-Organization", signature), ("Bagging-Date", packet.as_of),
            ("External-Identifier", f"fulian:packet:{packet.year}:{packet.scope}"),
            ("External-Description", packet.title), ("Fulian-Year", str(packet.year)),
            ("Fulian-Unit", packet.scope), ("Fulian-Unit-Name", packet.unit_name),
            ("Fulian-As-Of", packet.as_of), ("Fulian-Archive-State", packet.archive_state),
            ("Bag-Software-Agent", f"fulian {version('fulian')} (extractor {EXTRACTOR_VERSION})")]


def write_packet(archive: Archive, packet: Packet, opts: Options, when: datetime) -> Built:
    if not opts.unmasked:
        mask_packet(packet)
    name = f"{packet.year}-{packet.scope}"
    content = payload(packet, when, signature=opts.signature, doc_number=opts.doc_number)
    files = bag_files(content, bag_info(packet, opts.signature))
    folder = write_bag(opts.out / name, files)
    zipped = zip_bag(name, files, when)
    zip_path = opts.out / f"{name}.zip"
    zip_path.write_bytes(zipped)
    built = Built(packet.scope, packet.unit_name, [folder, zip_path])
    if opts.store:
        manifest = {p: hashlib.sha256(d).hexdigest() for p, d in files.items() if p.startswith("data/")}
        built.sha256 = store_packet(archive, year=packet.year, scope=packet.scope, zipped=zipped,
                                    manifest=manifest, archive_state=packet.archive_state,
                                    as_of=packet.as_of, unmasked=opts.unmasked).sha256
    return built


def build_packets(archive: Archive, year: int, opts: Options, unit: str | None = None,
                  as_of: datetime | None = None, progress: Callable[[str, int, int], None] | None = None,
                  card: Scorecard | None = None) -> list[Built]:
    """Packets of one unit, or of every scored unit and the district; one failing does not stop the rest."""
    card = card or load_scorecard()
    inputs = year_inputs(archive, year, as_of)
    when = stamp(inputs)
    codes = [unit] if unit else [u["code"] for u in inputs.units if u["level"] in SCORED_LEVELS]
    results, sheets = [], []
    for done, code in enumerate(codes, 1):
        started = time.perf_counter()
        try:
            sheet, packet = score(card, inputs, code)
            built = write_packet(archive, packet, opts, when)
            built.total, built.grade = sheet.total, card.grade(sheet.total)
            sheets.append(sheet)
        except Exception as e:  # noqa: BLE001 - one unit's failure is reported, the others go on
            built = Built(code, inputs.by_unit[code].unit["name"], error=f"{type(e).__name__}: {e}")
        built.seconds = time.perf_counter() - started
        results.append(built)
        if progress:
            progress("packet", done, len(codes))
    if not unit:
        results.append(_district(archive, card, inputs, sheets, opts, when))
    return results


def _district(archive: Archive, card: Scorecard, inputs: YearInputs, sheets: list[ScoreSheet],
              opts: Options, when: datetime) -> Built:
    started = time.perf_counter()
    district = next((u for u in inputs.units if u["level"] == "district"), {"name": "全区"})
    values = {s.unit["code"]: inputs.by_unit[s.unit["code"]].values for s in sheets}
    try:
        packet = district_packet(card, sheets, values_by_unit=values, year=inputs.year,
                                 as_of=inputs.as_of.astimezone(LOCAL).date().isoformat(),
                                 archive_state=inputs.archive_state, district_name=district["name"])
        built = write_packet(archive, packet, opts, when)
    except Exception as e:  # noqa: BLE001 - reported like a unit's failure
        built = Built("district", district["name"], error=f"{type(e).__name__}: {e}")
    built.seconds = time.perf_counter() - started
    return built
