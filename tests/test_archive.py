"""The archive on real SQLite and PostgreSQL: statuses, supersession, audit chain, fixity, tamper."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import select, text

from archive.digests import bare, digest_both
from archive.fixity import verify_archive
from archive.intake import Received, record_batch, store_blobs
from archive.models import Document, Submission, Supersession
from archive.store import Archive
from connectors.base import receipt_key
from schemas.extraction import Extraction
from schemas.settings import Settings


def received(data: bytes, name: str, *, unit: str | None = "quanchenglu", period: str | None = "2013",
             doc_type: str | None = "work_summary", title: str | None = None, correction: bool = False,
             at: str = "2014-01-05T08:00:00+00:00", reason: str | None = None) -> Received:
    sha, sm3 = digest_both([data])
    ext = None if reason else Extraction(
        sha256=bare(sha), extractor_version="test", detected_type="docx", unit=unit, period=period,
        doc_type=doc_type, title=title or name, correction=correction,
        problems=[p for p, v in (("unit_unknown", unit), ("period_unknown", period)) if v is None])
    return Received(receipt=receipt_key(name, at, len(data)), source="cli", source_uri=f"file:///{name}",
                    source_path=name, original_name=name, received_at=at, size=len(data),
                    sha256=bare(sha), sm3=bare(sm3), data=data, kind=None if reason else "docx",
                    reason=reason, extraction=ext)


@pytest.fixture
def archive(home) -> Archive:  # noqa: ANN001
    a = Archive(Settings())
    yield a
    a.close()


def ingest(archive: Archive, items: list[Received]) -> dict[str, str]:
    store_blobs(archive.blobs, items, sync=False)
    with archive.db.writer() as s:
        outcomes = record_batch(s, archive.audit(s), items, "test")
    by_receipt = {o.receipt: o.status for o in outcomes}
    return {i.source_path: by_receipt[i.receipt] for i in items}


def statuses(archive: Archive) -> dict[str, str]:
    with archive.db.reader() as s:
        return dict(s.execute(select(Submission.source_path, Submission.status)).all())


def test_statuses_duplicate_rejected_review(archive: Archive) -> None:
    out = ingest(archive, [
        received(b"summary one", "a.docx"),
        received(b"summary one", "copy/a-copy.docx", at="2014-01-06T08:00:00+00:00"),
        received(b"\x00broken", "bad.docx", reason="corrupt"),
        received(b"no unit here", "x.docx", unit=None),
    ])
    assert out == {"a.docx": "accepted", "copy/a-copy.docx": "duplicate", "bad.docx": "rejected",
                   "x.docx": "needs_review"}
    with archive.db.reader() as s:
        docs = dict(s.execute(select(Document.sha256, Document.area)).all())
        review = s.execute(select(Submission).where(Submission.source_path == "x.docx")).scalar_one()
    assert sorted(docs.values()) == ["objects", "objects", "quarantine"]  # the duplicate stored once
    assert review.reason == "unit_unknown"
    bad_sha = bare(digest_both([b"\x00broken"])[0])
    assert archive.blobs.read(bad_sha, "quarantine") == b"\x00broken"


def test_rerun_records_each_receipt_once(archive: Archive) -> None:
    items = [received(b"one", "one.docx"), received(b"two", "two.docx", doc_type="info_report")]
    ingest(archive, items)
    again = ingest(archive, items)
    assert set(again.values()) == {"already"}
    with archive.db.reader() as s:
        assert s.execute(select(Submission.id)).all().__len__() == 2


def test_once_per_period_supersedes_and_info_reports_do_not(archive: Archive) -> None:
    ingest(archive, [
        received(b"v1", "总结.docx"),
        received(b"info a", "信息1.docx", doc_type="info_report", period="2013-11"),
        received(b"info b", "信息2.docx", doc_type="info_report", period="2013-11",
                 at="2014-01-06T08:00:00+00:00"),
    ])
    ingest(archive, [received(b"v2", "总结-再报.docx", at="2014-01-07T08:00:00+00:00")])
    assert statuses(archive) == {"总结.docx": "superseded", "信息1.docx": "accepted",
                                 "信息2.docx": "accepted", "总结-再报.docx": "accepted"}
    with archive.db.reader() as s:
        link = s.execute(select(Supersession)).scalar_one()
    assert link.rule == "once_per_period"


def test_correction_marker_supersedes_same_title_info_report(archive: Archive) -> None:
    ingest(archive, [
        received(b"i1", "关于三八维权周活动的信息.docx", doc_type="info_report", period="2013-03"),
        received(b"i2", "关于家庭教育讲座的信息.docx", doc_type="info_report", period="2013-03"),
    ])
    ingest(archive, [received(b"i1 fixed", "关于三八维权周活动的信息（更正）.docx",
                              doc_type="info_report", period="2013-03", correction=True,
                              at="2014-02-01T08:00:00+00:00")])
    assert statuses(archive) == {"关于三八维权周活动的信息.docx": "superseded",
                                 "关于家庭教育讲座的信息.docx": "accepted",
                                 "关于三八维权周活动的信息（更正）.docx": "accepted"}


def test_older_arrival_of_a_once_per_period_type_does_not_win(archive: Archive) -> None:
    ingest(archive, [received(b"new", "new.docx", at="2014-01-09T00:00:00+00:00")])
    ingest(archive, [received(b"old", "old.docx", at="2014-01-02T00:00:00+00:00")])
    assert statuses(archive) == {"new.docx": "accepted", "old.docx": "superseded"}


def test_verify_clean_archive(archive: Archive) -> None:
    ingest(archive, [received(b"alpha", "a.docx"), received(b"beta", "b.docx", reason="empty")])
    report = verify_archive(archive)
    assert report.ok, report.summary()
    assert report.blobs == 2 and report.events >= 5


def test_audit_log_refuses_update_and_delete(archive: Archive) -> None:
    ingest(archive, [received(b"alpha", "a.docx")])
    for sql in ("UPDATE audit_events SET actor = 'mallory'", "DELETE FROM audit_events"):
        with pytest.raises(Exception, match="append-only"), archive.db.writer() as s:
            s.execute(text(sql))


def test_tampered_audit_row_is_named(archive: Archive) -> None:
    ingest(archive, [received(b"alpha", "a.docx"), received(b"beta", "b.docx")])
    with archive.db.reader() as s:
        target = s.execute(text("SELECT seq FROM audit_events WHERE action = 'submission.recorded' "
                                "ORDER BY seq LIMIT 1")).scalar_one()
    _tamper_event(archive, target)
    report = verify_archive(archive, record=False)
    assert [(p.seq, p.problem) for p in report.chain] == [(target, "hash_mismatch")]
    assert not report.blob_problems


def _tamper_event(archive: Archive, seq: int) -> None:
    """What an intruder with database rights does: lift the guard, edit a row."""
    with archive.db.engine.begin() as c:
        if archive.db.dialect == "sqlite":
            c.exec_driver_sql("DROP TRIGGER audit_events_no_update")
        else:
            c.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        c.execute(text("UPDATE audit_events SET details = replace(details, 'accepted', 'rejected') "
                       "WHERE seq = :s"), {"s": seq})


def test_flipped_blob_byte_is_named(archive: Archive) -> None:
    ingest(archive, [received(b"alpha content", "a.docx"), received(b"beta content", "b.docx")])
    sha = bare(digest_both([b"beta content"])[0])
    path = archive.blobs.path(sha)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    with open(path, "r+b") as fh:
        first = fh.read(1)
        fh.seek(0)
        fh.write(bytes([first[0] ^ 0x01]))
    report = verify_archive(archive, record=False)
    assert {(p.sha256, p.problem) for p in report.blob_problems} == {
        (sha, "sha256_mismatch"), (sha, "sm3_mismatch")}
    assert not report.chain


def test_blobs_are_write_once(archive: Archive) -> None:
    sha = bare(digest_both([b"x"])[0])
    assert archive.blobs.put(sha, b"x") is True
    assert archive.blobs.put(sha, b"something else") is False
    assert archive.blobs.read(sha) == b"x"
    assert not os.stat(archive.blobs.path(sha)).st_mode & stat.S_IWUSR


def test_digests_are_named_by_algorithm(archive: Archive) -> None:
    ingest(archive, [received(b"alpha", "a.docx")])
    with archive.db.reader() as s:
        rows = s.execute(text("SELECT algorithm, digest FROM fixity")).all()
    assert {a for a, _ in rows} == {"sha256", "sm3"}
    assert all(d.startswith(f"{a}:") for a, d in rows)


def test_inbox_guard(tmp_path) -> None:  # noqa: ANN001
    from connectors.folder import InboxError, check_inbox

    home = tmp_path / "home"
    check_inbox(tmp_path / "inbox", home)  # a folder of its own: fine
    for inbox in (tmp_path, home):  # would sweep up the archive itself
        with pytest.raises(InboxError):
            check_inbox(inbox, home)
    repo = tmp_path / "checkout"
    (repo / ".git").mkdir(parents=True)
    with pytest.raises(InboxError):
        check_inbox(repo, home)


def test_many_processes_open_a_new_archive_at_once(tmp_path) -> None:  # noqa: ANN001
    """Two nightly runs on a fresh home both migrate: neither may fail with 'database is locked'."""
    import subprocess
    import sys

    code = "from archive.store import Archive; from schemas.settings import Settings; Archive(Settings())"
    env = {**os.environ, "FULIAN_HOME": str(tmp_path / "h")}
    env.pop("FULIAN_DATABASE_URL", None)
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE, text=True)
             for _ in range(6)]
    errors = [p.communicate()[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, errors


def _plans_item(data: bytes, name: str, codes: list[str], at: str) -> Received:
    from schemas.extraction import Evidence, TwoPlansRow

    item = received(data, name, doc_type="two_plans_statistics", at=at)
    ev = Evidence(sha256=item.sha256, location="Sheet1!C3", snippet="1", extractor_version="test")
    item.extraction.two_plans = [TwoPlansRow(code=c, name=c, measure="%", year=2013, value=1.0,
                                             location="Sheet1!C3", evidence=ev) for c in codes]
    return item


def test_womens_and_childrens_plan_tables_do_not_replace_each_other(archive: Archive) -> None:
    ingest(archive, [_plans_item(b"women", "妇女规划监测表.xlsx", ["wp.maternal_mortality"],
                                 "2014-01-05T00:00:00+00:00")])
    ingest(archive, [_plans_item(b"children", "儿童规划监测表.xlsx", ["cp.infant_mortality"],
                                 "2014-01-06T00:00:00+00:00")])
    ingest(archive, [_plans_item(b"women v2", "妇女规划监测表（更正）.xlsx", ["wp.maternal_mortality"],
                                 "2014-01-07T00:00:00+00:00")])
    assert statuses(archive) == {"妇女规划监测表.xlsx": "superseded", "儿童规划监测表.xlsx": "accepted",
                                 "妇女规划监测表（更正）.xlsx": "accepted"}
