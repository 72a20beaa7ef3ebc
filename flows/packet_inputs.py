"""What a year's packets are built from, read from the archive in one pass.

Everything is read as of one moment (`as_of`), so the same archive state gives the same
packets: by default the close of the year's reporting (the latest deadline of the
completeness rules), or the start of today (Asia/Shanghai) while that is still ahead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pandas as pd

from archive import analysis as store
from archive.packets_store import bonus_awards
from archive.queries_data import indicator_rows
from archive.queries_packets import check_documents, year_documents
from archive.store import Archive
from packets.scoring import UnitInputs

SCORED_LEVELS = ("street", "community", "two_new")


@dataclass
class YearInputs:
    year: int
    as_of: datetime
    archive_state: str
    units: list[dict]  # code, name, level, parent; registry order
    by_unit: dict[str, UnitInputs]
    plans: dict[str, list[dict]] = field(default_factory=dict)  # two-plans values per unit
    rates: dict[str, list[dict]] = field(default_factory=dict)  # yearly reporting rates per unit
    bonus: dict[str, dict] = field(default_factory=dict)  # the 创新加分 award that counts, per unit
    index: dict[str, list[dict]] = field(default_factory=dict)  # every document of the year, per unit
    checks: dict = field(default_factory=dict)  # chain_ok, blobs: sha256 -> problem ("" intact)


def default_as_of(year: int, now: datetime | None = None) -> datetime:
    """The close of `year`'s reporting, or the start of today if that is still ahead."""
    from quality.completeness_periods import period_table
    from schemas.completeness import load_completeness_rules

    rules = load_completeness_rules()
    close = period_table(rules, year, {})["deadline_end"].max().to_pydatetime()
    tz = ZoneInfo(rules.timezone)
    today = datetime.combine((now or datetime.now(UTC)).astimezone(tz).date(), time(), tz)
    return min(close, today).astimezone(UTC)


def year_inputs(archive: Archive, year: int, as_of: datetime | None = None) -> YearInputs:
    from flows.analysis import audit_year, json_rows, quality_for_year

    as_of = as_of or default_as_of(year)
    units = store.unit_rows(archive)
    code_of = {u["name"]: u["code"] for u in units}
    by_unit = {u["code"]: UnitInputs(unit=u) for u in units}
    plans: dict[str, list[dict]] = {}
    for row in indicator_rows(archive, year=year):
        code = row.get("unit_code") or code_of.get(row["unit"], row["unit"])
        if code not in by_unit:
            continue
        if "raw" in row:  # a two-plans value: shown with its findings, not scored line by line
            plans.setdefault(code, []).append(row)
        by_unit[code].values.append(row)
    audit = audit_year(archive, year, as_of)
    for cell in json_rows(audit.rows):
        by_unit[cell["unit"]].cells.append(cell)
    for f in quality_for_year(archive, year).findings:
        if f["unit"] in by_unit:
            by_unit[f["unit"]].findings.append(f)
    for doc in store.counting_submissions(archive, year):
        if doc["unit"] in by_unit:
            by_unit[doc["unit"]].documents.append(doc)
            if doc["doc_type"] == "self_evaluation" and doc["period"] == str(year):
                by_unit[doc["unit"]].claims += read_claims(archive, doc)
    bonus = bonus_awards(archive, year)
    docs = year_documents(archive, year)
    chain_ok, blobs = check_documents(archive, docs)
    index: dict[str, list[dict]] = {}
    for doc in docs:
        index.setdefault(doc["unit"] or "", []).append(doc)
    return YearInputs(year, as_of, packet_state(archive, bonus), units, by_unit, plans,
                      _rates(audit.rows, units, year), bonus, index,
                      {"chain_ok": chain_ok, "blobs": blobs})


def packet_state(archive: Archive, bonus: dict[str, dict]) -> str:
    """The archive state a year's packets are built from: awards change packets too."""
    newest = max((b["id"] for b in bonus.values()), default=0)
    return store.archive_state(archive) + (f"-b{newest}" if newest else "")


def read_claims(archive: Archive, doc: dict) -> list[dict]:
    """The scores a unit claims in its 自评表, read from the archived file itself."""
    from extract.readers import read
    from extract.self_evaluation import claims
    from extract.sniff import sniff
    from schemas.extraction import ExtractError

    data = archive.blobs.read(doc["sha256"])
    kind = sniff(data, doc["source_path"], max_unzipped=archive.settings.max_unzipped_size,
                 max_ratio=archive.settings.max_zip_ratio).kind
    try:
        result = read(data, kind or "")
    except ExtractError:
        return []
    return [{"content": c.content, "score": c.score, "location": c.location, "item": c.item,
             "document": doc["source_path"], "sha256": doc["sha256"]} for c in claims(result)]


def _rates(rows: pd.DataFrame, units: list[dict], year: int) -> dict[str, list[dict]]:
    from flows.analysis import json_rows
    from quality.completeness import reporting_rates

    if rows.empty:
        return {}
    table = reporting_rates(rows, pd.DataFrame(units))
    table = table[(table["period"] == str(year)) & (table["expected"] > 0)]
    out: dict[str, list[dict]] = {}
    for r in json_rows(table):
        out.setdefault(r["unit"], []).append(r)
    return out
