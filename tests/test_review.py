"""Archivists' decisions on real databases: review a submission, confirm a found community."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from archive.models import AuditEvent, Submission
from archive.models import Unit as UnitRow
from archive.queries_data import indicator_rows
from archive.review import ReviewError, assign, confirm_unit
from schemas.extraction import Evidence, IndicatorValue
from tests.test_archive import archive, ingest, received  # noqa: F401  (fixture)


def _with_value(item, value: float):  # noqa: ANN001, ANN202
    ev = Evidence(sha256=item.sha256, location="第2段", snippet=f"共培训妇女{value:g}人。",
                  extractor_version="test")
    item.extraction.indicators.append(IndicatorValue(code="dev.women_trained", name="培训妇女",
                                                     value=value, measure="人", evidence=ev))
    return item


def test_review_assigns_unit_and_values_follow(archive) -> None:  # noqa: ANN001, F811
    ingest(archive, [_with_value(received(b"no unit", "总结.docx", unit=None), 326)])
    with archive.db.reader() as s:
        sub = s.execute(select(Submission)).scalar_one()
    assert sub.status == "needs_review"
    assert indicator_rows(archive, year=2013) == []  # not counting while in review

    with archive.db.writer() as s:
        log = archive.audit(s)
        result = assign(s, log, sub.id, unit="yaojia", note="据落款印章判断")
        log.flush()
    assert result["after"] == {"status": "accepted", "unit": "yaojia", "period": "2013",
                               "doc_type": "work_summary"}
    rows = indicator_rows(archive, year=2013)
    assert [(r["unit"], r["code"], r["value"]) for r in rows] == [("姚家街道妇联", "dev.women_trained", 326)]
    with archive.db.reader() as s:
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "submission.reviewed")).scalar_one()
    assert "据落款印章判断" in event.details


def test_review_applies_supersession(archive) -> None:  # noqa: ANN001, F811
    ingest(archive, [received(b"old", "a.docx", unit="yaojia", at="2014-01-02T00:00:00+00:00"),
                     received(b"new", "b.docx", unit=None, at="2014-01-09T00:00:00+00:00")])
    with archive.db.writer() as s:
        new = s.execute(select(Submission).where(Submission.source_path == "b.docx")).scalar_one()
        log = archive.audit(s)
        assert assign(s, log, new.id, unit="yaojia")["superseded"]
        log.flush()
    with archive.db.reader() as s:
        old = s.execute(select(Submission).where(Submission.source_path == "a.docx")).scalar_one()
    assert old.status == "superseded"


def test_review_refuses_unknown_unit_and_rejected_files(archive) -> None:  # noqa: ANN001, F811
    ingest(archive, [received(b"x", "x.docx", reason="corrupt")])
    with archive.db.reader() as s:
        sub_id = s.execute(select(Submission.id)).scalar_one()
    for kwargs, code in (({"unit": "nowhere"}, "not_reviewable"), ({}, "not_reviewable")):
        with pytest.raises(ReviewError) as err, archive.db.writer() as s:
            assign(s, archive.audit(s), sub_id, **kwargs)
        assert err.value.code == code
    with pytest.raises(ReviewError) as err, archive.db.writer() as s:
        assign(s, archive.audit(s), 9999)
    assert err.value.code == "no_such_submission"


def test_found_community_is_registered_unconfirmed_then_confirmed(archive) -> None:  # noqa: ANN001, F811
    item = received(b"community", "芙蓉街社区妇联2013年工作总结.docx", unit=None)
    item.extraction.new_community = {"name": "芙蓉街社区妇联", "parent": "quanchenglu",
                                     "full_name": "泉城路街道芙蓉街社区妇联"}
    item.extraction.problems = []
    ingest(archive, [item])
    with archive.db.reader() as s:
        unit = s.execute(select(UnitRow).where(UnitRow.name == "芙蓉街社区妇联")).scalar_one()
        sub = s.execute(select(Submission)).scalar_one()
    assert (unit.confirmed, unit.parent_code, unit.level) == (False, "quanchenglu", "community")
    assert sub.unit_code == unit.code and sub.status == "accepted"
    with archive.db.writer() as s:
        log = archive.audit(s)
        confirm_unit(s, log, unit.code, name="芙蓉街社区妇女联合会")
        log.flush()
    with archive.db.reader() as s:
        unit = s.execute(select(UnitRow).where(UnitRow.code == unit.code)).scalar_one()
    assert unit.confirmed and unit.name == "芙蓉街社区妇女联合会" and "芙蓉街社区妇联" in unit.aliases
