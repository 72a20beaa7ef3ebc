"""Re-extraction over the archive: old extractions stay, the newest counts, reclassification audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from archive.digests import bare, digest_both
from archive.models import AuditEvent, Extraction, Submission
from archive.queries_data import indicator_rows
from archive.store import Archive
from fulian.samples.bad import _docx_bytes
from fulian.samples.spec import DocSpec
from schemas.settings import Settings
from tests.test_archive import ingest, received

pytestmark = pytest.mark.xdist_group("prefect")


def run_reextract(prefect_api: str, force: bool = False) -> dict:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.reextract import reextract

    with temporary_settings(updates={PREFECT_API_URL: prefect_api}):
        return reextract(force=force)


def test_reextract_resolves_an_old_extraction_and_keeps_it(prefect_api: str, home: Path) -> None:
    spec = DocSpec(title="龙洞街道妇联2013年工作总结", body=["2013年，共培训妇女412人。"],
                   signature=["龙洞街道妇女联合会", "2013年12月25日"])
    data = _docx_bytes(spec)
    item = received(data, "总结.docx", unit=None)  # an old extractor that could not tell the unit
    item.extraction.extractor_version = "0.9.0"
    item.sha256, item.sm3 = bare(digest_both([data])[0]), bare(digest_both([data])[1])
    item.extraction.sha256 = item.sha256
    archive = Archive(Settings())
    ingest(archive, [item])

    result = run_reextract(prefect_api)
    assert result["count"] == 1 and result["files"][0]["status"] == "accepted"
    with archive.db.reader() as s:
        sub = s.execute(select(Submission)).scalar_one()
        versions = s.execute(select(Extraction.extractor_version).order_by(Extraction.id)).scalars().all()
        events = s.execute(select(func.count()).where(AuditEvent.action == "submission.reclassified")).scalar()
    assert (sub.status, sub.unit_code, sub.period) == ("accepted", "longdong", "2013")
    assert versions[0] == "0.9.0" and len(versions) == 2 and events == 1
    rows = indicator_rows(archive, year=2013)
    assert [(r["code"], r["value"]) for r in rows] == [("dev.women_trained", 412)]

    again = run_reextract(prefect_api)  # same version: nothing to do
    assert again["count"] == 0
    forced = run_reextract(prefect_api, force=True)
    assert forced["count"] == 1 and forced["files"][0]["status"] == "unchanged"
    assert [(r["code"], r["value"]) for r in indicator_rows(archive, year=2013)] == [("dev.women_trained", 412)]
