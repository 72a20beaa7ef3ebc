"""Doubtful values wait for people, and people's corrections win, audited, across re-extraction."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from archive.analysis import indicator_value_rows, two_plans_rows
from archive.audit import verify_chain
from archive.corrections import CorrectionError, correct_value, pending_values
from archive.models import AuditEvent, IndicatorValue, Submission, ValueCorrection
from archive.queries_data import counting, indicator_rows
from archive.reextract import apply as apply_reextraction
from archive.store import Archive
from schemas.extraction import Evidence, TwoPlansRow
from schemas.extraction import IndicatorValue as Value
from schemas.settings import Settings
from tests.conftest import run_cli
from tests.test_archive import archive, ingest, received  # noqa: F401  (fixture)


def _value(item, code: str, value: float | bool, confidence: float, location: str,  # noqa: ANN001
           measure: str = "人") -> None:
    ev = Evidence(sha256=item.sha256, location=location, snippet=f"原文{location}",
                  extractor_version="test", confidence=confidence)
    item.extraction.indicators.append(Value(code=code, name=code, value=value, measure=measure,
                                            evidence=ev))


def _summary(unit: str = "yaojia", body: bytes = b"summary"):  # noqa: ANN202
    item = received(body, f"{unit}.docx", unit=unit)
    _value(item, "dev.women_trained", 412, 0.95, "第2段")
    _value(item, "rights.cases_received", 47, 0.41, "第5段", measure="件")  # a blurred scan digit
    _value(item, "org.fund_separate", True, 0.9, "第7段", measure="yes/no")
    return item


def _rows(archive: Archive) -> dict[str, dict]:  # noqa: F811
    return {r["code"]: r for r in indicator_rows(archive, year=2013)}


def _decide(archive: Archive, value_id: str, **kw) -> dict:  # noqa: ANN003, F811
    with archive.db.writer() as s:
        log = archive.audit(s)
        out = correct_value(s, log, value_id, actor="李档案", **kw)
        log.flush()
    return out


def test_low_confidence_values_wait_and_are_not_counted(archive) -> None:  # noqa: ANN001, F811
    ingest(archive, [_summary("yaojia"), _summary("longdong", b"other summary")])
    rows = _rows(archive)
    assert rows["dev.women_trained"]["review"] == "ok"
    assert rows["rights.cases_received"]["review"] == "pending"
    assert rows["rights.cases_received"]["value"] == 47  # shown, with its sentence, but not counted
    assert rows["rights.cases_received"]["value_id"].startswith("v")
    assert {r["code"] for r in counting(indicator_rows(archive))} == {"dev.women_trained",
                                                                      "org.fund_separate"}
    assert "rights.cases_received" not in {r["code"] for r in indicator_value_rows(archive)}
    assert [r["unit_code"] for r in pending_values(archive)] == ["longdong", "yaojia"]
    assert [r["unit_code"] for r in pending_values(archive, ["yaojia"])] == ["yaojia"]
    assert pending_values(archive, []) == []

    lenient = Archive(Settings(review_threshold=0.4))  # the threshold is a setting
    assert pending_values(lenient) == []
    lenient.close()


def test_correction_wins_keeps_the_original_and_is_audited(archive) -> None:  # noqa: ANN001, F811
    ingest(archive, [_summary()])
    vid = _rows(archive)["rights.cases_received"]["value_id"]
    out = _decide(archive, vid, value="74", reason="据原件第2页核对，扫描件把74看成47")
    assert out["review"] == "corrected" and out["value"] == 74 and out["original_value"] == 47

    row = _rows(archive)["rights.cases_received"]
    assert (row["value"], row["original_value"], row["review"]) == (74, 47, "corrected")
    assert (row["corrected_by"], row["correction_reason"]) == ("李档案", "据原件第2页核对，扫描件把74看成47")
    assert {r["code"]: r["value"] for r in indicator_value_rows(archive)}["rights.cases_received"] == 74
    assert pending_values(archive) == []
    with archive.db.reader() as s:
        stored = s.execute(select(IndicatorValue.value_num)
                           .where(IndicatorValue.code == "rights.cases_received")).scalar_one()
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "value.corrected")).scalar_one()
        assert verify_chain(s)[1] == []
    assert stored == 47.0  # the extraction is never overwritten
    details = json.loads(event.details)
    assert (details["original"], details["value"], details["by"]) == (47, 74, "李档案")

    # a later decision is a new row; the newest wins
    _decide(archive, vid, reject=True, reason="原件此处为上年数字")
    row = _rows(archive)["rights.cases_received"]
    assert (row["review"], row["value"], row["original_value"]) == ("rejected", None, 47)
    assert "rights.cases_received" not in {r["code"] for r in indicator_value_rows(archive)}
    with archive.db.reader() as s:
        assert s.execute(select(func.count()).select_from(ValueCorrection)).scalar() == 2


def test_yes_no_and_two_plans_values_can_be_corrected(archive) -> None:  # noqa: ANN001, F811
    item = _summary()
    ev = Evidence(sha256=item.sha256, location="Sheet1!C7", snippet="95.2", extractor_version="test")
    item.extraction.two_plans = [TwoPlansRow(code="cp.vaccination_rate", name="接种率", measure="%",
                                             year=2013, value=95.2, raw="95.2", location="Sheet1!C7",
                                             evidence=ev)]
    ingest(archive, [item])
    rows = _rows(archive)
    _decide(archive, rows["org.fund_separate"]["value_id"], value="否", reason="经费与工会合并使用")
    assert _rows(archive)["org.fund_separate"]["value"] is False
    tid = rows["cp.vaccination_rate"]["value_id"]
    assert tid.startswith("t") and rows["cp.vaccination_rate"]["review"] == "ok"
    _decide(archive, tid, value="95.8%", reason="统计局复核数")
    assert _rows(archive)["cp.vaccination_rate"]["value"] == 95.8
    assert [r["value"] for r in two_plans_rows(archive, 2013)] == [95.8]
    _decide(archive, tid, reject=True, reason="此表口径不符")
    assert two_plans_rows(archive, 2013) == []


@pytest.mark.parametrize(("value_id", "kw", "code"), [
    ("v1", {"value": "3", "reason": "  "}, "reason_required"),
    ("v1", {"reason": "据原件"}, "value_or_reject"),
    ("v1", {"value": "3", "reject": True, "reason": "据原件"}, "value_or_reject"),
    ("v999", {"value": "3", "reason": "据原件"}, "no_such_value"),
    ("x1", {"value": "3", "reason": "据原件"}, "no_such_value"),
    ("v1", {"value": "七十四", "reason": "据原件"}, "bad_value"),
])
def test_bad_decisions_are_refused_and_change_nothing(archive, value_id, kw, code) -> None:  # noqa: ANN001, F811
    ingest(archive, [_summary()])
    with archive.db.reader() as s:
        events = s.execute(select(func.count()).select_from(AuditEvent)).scalar()
    with pytest.raises(CorrectionError) as err:
        _decide(archive, value_id, **kw)
    assert err.value.code == code
    with archive.db.reader() as s:
        assert s.execute(select(func.count()).select_from(AuditEvent)).scalar() == events
        assert s.execute(select(func.count()).select_from(ValueCorrection)).scalar() == 0


def test_yes_no_value_must_be_yes_or_no(archive) -> None:  # noqa: ANN001, F811
    ingest(archive, [_summary()])
    with pytest.raises(CorrectionError) as err:
        _decide(archive, _rows(archive)["org.fund_separate"]["value_id"], value="3", reason="x")
    assert err.value.code == "bad_value"


def test_reextraction_keeps_human_decisions(archive) -> None:  # noqa: ANN001, F811
    item = _summary()
    ingest(archive, [item])
    rows = _rows(archive)
    _decide(archive, rows["rights.cases_received"]["value_id"], value="74", reason="据原件核对")
    _decide(archive, rows["dev.women_trained"]["value_id"], reject=True, reason="为全区数字")

    newer = item.extraction.model_copy(deep=True)
    newer.extractor_version = "test-2"
    with archive.db.writer() as s:
        sub_id = s.execute(select(Submission.id)).scalar_one()
        log = archive.audit(s)
        apply_reextraction(s, log, sub_id, newer)
        log.flush()
    after = _rows(archive)
    assert after["rights.cases_received"]["value_id"] != rows["rights.cases_received"]["value_id"]
    assert (after["rights.cases_received"]["review"], after["rights.cases_received"]["value"]) == ("corrected", 74)
    assert (after["dev.women_trained"]["review"], after["dev.women_trained"]["value"]) == ("rejected", None)
    assert after["org.fund_separate"]["review"] == "ok"


def test_cli_pending_and_correct(sqlite_home) -> None:  # noqa: ANN001
    a = Archive(Settings())
    ingest(a, [_summary()])
    a.close()
    pending = json.loads(run_cli("pending", "--format", "json").stdout)
    assert [(r["code"], r["value"]) for r in pending] == [("rights.cases_received", 47)]
    assert "待核实" in run_cli("pending").stdout

    refused = run_cli("correct", pending[0]["value_id"], "--value", "74", check=False)
    assert refused.returncode == 2  # --reason is required
    done = run_cli("correct", pending[0]["value_id"], "--value", "74", "--reason", "据原件核对",
                   env={"FULIAN_ACTOR": "王统计"})
    assert "更正" in done.stdout
    assert json.loads(run_cli("pending", "--format", "json").stdout) == []
    rows = json.loads(run_cli("indicators", "--year", "2013", "--format", "json").stdout)
    got = {r["code"]: r for r in rows}["rights.cases_received"]
    assert (got["value"], got["original_value"], got["corrected_by"]) == (74, 47, "王统计")
    bad = run_cli("correct", "v999", "--reject", "--reason", "x", check=False)
    assert bad.returncode == 2 and "没有这个指标值编号" in bad.stderr
