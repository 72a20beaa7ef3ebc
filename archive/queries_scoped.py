"""Read queries of the web face. Every one takes the viewer and limits rows to its units.

The web face imports its reads from here only (a test checks), so a route that forgets
a permission check still cannot show another unit's documents: the query never returns them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, false, func, select

from archive.models import Extraction, Submission, Supersession
from archive.queries import events, fixity_digests, newest_values, unit_names
from archive.scope import Viewer
from archive.store import Archive
from extract.pii import mask_name

SUBMISSION_KEYS = ("id", "receipt", "source_path", "original_name", "status", "reason", "unit_code",
                   "period", "doc_type", "received_at", "pii", "title", "sha256", "source_uri")
NAME_KEYS = ("source_path", "original_name", "source_uri")  # shown masked (docs/cli.md, 文件名中的个人信息)
SHORT_QUERY = 3  # the trigram index needs three characters; shorter words are scanned


@dataclass
class DocumentFilter:
    status: str = ""
    unit: str = ""
    period: str = ""
    doc_type: str = ""
    receipt: str = ""
    text: str = ""
    path: str = ""  # the file's path as received
    sha256: str = ""  # the file's content (quality findings link to their source this way)


def _row(sub: Submission, names: dict[str, str]) -> dict:
    row = {k: getattr(sub, k) for k in SUBMISSION_KEYS}
    row.update({k: mask_name(row[k]) for k in NAME_KEYS})
    row["pii"] = bool(row["pii"])
    row["unit"] = names.get(sub.unit_code or "", sub.unit_code)
    return row


def text_match(archive: Archive, text: str) -> Select:
    """Ids of submissions whose extracted text contains `text` (index-backed where it can be)."""
    if archive.db.dialect == "sqlite" and len(text) >= SHORT_QUERY:
        from sqlalchemy import column, table
        from sqlalchemy import text as sql

        fts = table("extraction_fts", column("rowid"))
        phrase = '"' + text.replace('"', '""') + '"'
        hits = select(fts.c.rowid).where(sql("extraction_fts MATCH :phrase").bindparams(phrase=phrase))
        return select(Extraction.submission_id).where(Extraction.id.in_(hits))
    # PostgreSQL: LIKE is served by the pg_trgm GIN index; SQLite short words: a scan
    return select(Extraction.submission_id).where(Extraction.text.contains(text, autoescape=True))


def _filtered(archive: Archive, viewer: Viewer, f: DocumentFilter) -> Select:
    q = viewer.restrict(select(Submission), Submission.unit_code)
    if f.status:
        q = q.where(Submission.status == f.status)
    if f.unit:
        q = q.where(Submission.unit_code == f.unit)
    if f.period:
        q = q.where(Submission.period.startswith(f.period, autoescape=True))
    if f.doc_type:
        q = q.where(Submission.doc_type == f.doc_type)
    if f.receipt:
        q = q.where(Submission.source_uri == f"upload:{f.receipt}")
    if f.path and mask_name(f.path) != f.path and not viewer.may_see_personal_data():
        q = q.where(false())  # no probing for an ID number by guessing whole names: nothing matches
    elif f.path:
        q = q.where(Submission.source_path == f.path)
    if f.sha256:
        q = q.where(Submission.sha256 == f.sha256)
    if f.text:
        q = q.where(Submission.id.in_(text_match(archive, f.text)))
    return q


def document_page(archive: Archive, viewer: Viewer, f: DocumentFilter, page: int,
                  size: int) -> tuple[list[dict], int]:
    """One page of the viewer's documents, newest first, and how many match in all."""
    q = _filtered(archive, viewer, f)
    with archive.db.reader() as s:
        total = s.execute(select(func.count()).select_from(q.subquery())).scalar() or 0
        subs = s.execute(q.order_by(Submission.id.desc()).offset((page - 1) * size).limit(size)
                         ).scalars().all()
    names = unit_names(archive)
    return [_row(sub, names) for sub in subs], total


def document(archive: Archive, viewer: Viewer, submission_id: int) -> dict | None:
    """One submission the viewer may see, or None (also when it exists in another unit)."""
    q = viewer.restrict(select(Submission).where(Submission.id == submission_id), Submission.unit_code)
    with archive.db.reader() as s:
        sub = s.execute(q).scalar()
    return _row(sub, unit_names(archive)) if sub is not None else None


def document_detail(archive: Archive, viewer: Viewer, submission_id: int) -> dict | None:
    sub = document(archive, viewer, submission_id)
    if sub is None:
        return None
    return {"sub": sub, "original": original_names(archive, viewer, submission_id),
            "fixity": fixity_digests(archive, sub["sha256"]),
            "history": events(archive, limit=500, subject=f"submission:{submission_id}"),
            "values": newest_values(archive, submission_id),
            "text": newest_text(archive, submission_id),
            "chain": supersession_chain(archive, viewer, submission_id)}


def original_names(archive: Archive, viewer: Viewer, submission_id: int) -> dict | None:
    """The name, path and URI as received, unmasked: only for a viewer who may see personal data."""
    if not viewer.may_see_personal_data():
        return None
    q = viewer.restrict(select(*(getattr(Submission, k) for k in NAME_KEYS))
                        .where(Submission.id == submission_id), Submission.unit_code)
    with archive.db.reader() as s:
        found = s.execute(q).first()
    return dict(zip(NAME_KEYS, found, strict=True)) if found else None


def newest_text(archive: Archive, submission_id: int) -> str:
    """The newest extraction's text, masked again here in case an older extractor did not."""
    from extract.pii import mask

    with archive.db.reader() as s:
        text = s.execute(select(Extraction.text).where(Extraction.submission_id == submission_id)
                         .order_by(Extraction.id.desc()).limit(1)).scalar()
    return mask(text or "")


def supersession_chain(archive: Archive, viewer: Viewer, submission_id: int) -> list[dict]:
    """Earlier and later versions of this submission, as far as the viewer may see them."""
    with archive.db.reader() as s:
        links = s.execute(select(Supersession.old_id, Supersession.new_id, Supersession.rule)).all()
    older = {new: (old, rule) for old, new, rule in links}
    newer = {old: (new, rule) for old, new, rule in links}
    chain, seen = [], {submission_id}
    for table, role in ((older, "older"), (newer, "newer")):
        cur = submission_id
        while cur in table and table[cur][0] not in seen:
            nxt, rule = table[cur]
            seen.add(nxt)
            if document(archive, viewer, nxt) is not None:
                chain.append({"id": nxt, "relation": role, "rule": rule})
            cur = nxt
    return chain


def downloadable(archive: Archive, viewer: Viewer, submission_id: int) -> dict | None:
    """The submission if the viewer may download its original file, else None."""
    from archive.models import Document

    sub = document(archive, viewer, submission_id)
    if sub is None or not sub["sha256"] or not viewer.may_download(sub["pii"]):
        return None
    with archive.db.reader() as s:
        area = s.execute(select(Document.area).where(Document.sha256 == sub["sha256"])).scalar()
    if not area:
        return None
    original = original_names(archive, viewer, submission_id)
    return {**sub, "area": area, "original_name": original["original_name"] if original else sub["original_name"]}


def status_counts(archive: Archive, viewer: Viewer) -> dict[str, int]:
    q = viewer.restrict(select(Submission.status, func.count()), Submission.unit_code)
    with archive.db.reader() as s:
        return dict(s.execute(q.group_by(Submission.status)).all())


def receipt_submissions(archive: Archive, viewer: Viewer, upload_id: str) -> list[dict]:
    """What became of an upload (a ZIP's members too), as far as the viewer may see."""
    q = viewer.restrict(select(Submission), Submission.unit_code).where(
        (Submission.source_uri == f"upload:{upload_id}")
        | Submission.source_uri.startswith(f"upload:{upload_id}!", autoescape=True))
    with archive.db.reader() as s:
        subs = s.execute(q.order_by(Submission.id)).scalars().all()
    names = unit_names(archive)
    return [_row(sub, names) for sub in subs]


def indicators(archive: Archive, viewer: Viewer, year: int) -> list[dict]:
    from archive.queries_data import indicator_rows

    if viewer.units is None:
        return indicator_rows(archive, year=year)
    return [r for u in sorted(viewer.units) for r in indicator_rows(archive, year=year, unit=u)]


def _in_scope(viewer: Viewer, rows: list[dict], key: str = "unit") -> list[dict]:
    return rows if viewer.units is None else [r for r in rows if r.get(key) in viewer.units]


@dataclass
class Stored:
    """A stored analysis result: when it was computed and whether the archive moved since."""

    rows: list[dict]
    created_at: str | None
    stale: bool
    html: str | None = None
    xlsx: str | None = None


def _masked_paths(rows: list[dict]) -> list[dict]:
    """Stored rows with their file paths masked (rows stored before names were masked, too)."""
    return [{**r, "source_path": mask_name(r["source_path"])} if r.get("source_path") else r for r in rows]


def quality(archive: Archive, viewer: Viewer, year: int) -> Stored:
    from archive.analysis import archive_state, latest_quality_run

    run = latest_quality_run(archive, year)
    if run is None:
        return Stored([], None, True)
    return Stored(_in_scope(viewer, _masked_paths(run.findings)), run.created_at,
                  run.archive_state != archive_state(archive), run.report_html, run.report_xlsx)


def completeness(archive: Archive, viewer: Viewer, year: int) -> Stored:
    from archive.analysis import archive_state, latest_completeness

    snap = latest_completeness(archive, year)
    if snap is None:
        return Stored([], None, True)
    return Stored(_in_scope(viewer, _masked_paths(snap.rows)), snap.created_at,
                  snap.archive_state != archive_state(archive))


def audit_events(archive: Archive, viewer: Viewer, limit: int = 200, action: str | None = None) -> list[dict]:
    if not viewer.may_audit():
        raise PermissionError(viewer.name)
    return events(archive, limit=limit, action=action)


def review_queue(archive: Archive, viewer: Viewer) -> list[dict]:
    """Submissions waiting for a unit, period or type decision."""
    q = select(Submission).where(Submission.status == "needs_review")
    if not viewer.may_review():
        return []
    with archive.db.reader() as s:
        subs = s.execute(q.order_by(Submission.id)).scalars().all()
    names = unit_names(archive)
    return [_row(sub, names) for sub in subs]


def latest_runs(archive: Archive, viewer: Viewer, limit: int = 10) -> list[dict]:
    """Recent runs from their `submission.recorded` events (the whole archive: staff roles only)."""
    from collections import defaultdict

    if viewer.units is not None:
        return []
    runs: dict[str, dict] = {}
    for e in events(archive, limit=5000, action="submission.recorded"):
        run = runs.setdefault(e["details"].get("run") or "—", {
            "run": e["details"].get("run") or "—", "first": e["at"], "last": e["at"],
            "counts": defaultdict(int)})
        run["last"] = e["at"]
        run["counts"][e["details"].get("status") or ""] += 1
    ordered = sorted(runs.values(), key=lambda r: r["last"], reverse=True)[:limit]
    for r in ordered:
        r["total"] = sum(r["counts"].values())
        r["counts"] = dict(r["counts"])
    return ordered


def years(archive: Archive, viewer: Viewer) -> list[int]:
    q = viewer.restrict(select(Submission.period).where(Submission.status == "accepted").distinct(),
                        Submission.unit_code)
    with archive.db.reader() as s:
        periods = s.execute(q).scalars().all()
    return sorted({int(p[:4]) for p in periods if p and p[:4].isdigit()})


def visible_units(archive: Archive, viewer: Viewer) -> list[dict]:
    """Units the viewer may filter by or upload for: code, name, level, parent, confirmed."""
    from archive.models import Unit as UnitRow

    q = viewer.restrict(select(UnitRow), UnitRow.code).order_by(UnitRow.code)
    with archive.db.reader() as s:
        rows = s.execute(q).scalars().all()
    return [{"code": u.code, "name": u.name, "level": u.level, "parent": u.parent_code,
             "confirmed": u.confirmed} for u in rows]


def pending_values(archive: Archive, viewer: Viewer) -> list[dict]:
    """Values marked 待核实 in the viewer's units (reviewers only)."""
    from archive.corrections import pending_values as pending

    if not viewer.may_review():
        return []
    return pending(archive, None if viewer.units is None else set(viewer.units))


def value_in_scope(archive: Archive, viewer: Viewer, value_id: str) -> bool:
    """Whether a value (v12 / t7) belongs to a document the viewer may see."""
    import re

    from archive.models import IndicatorValue, TwoPlansValue

    m = re.fullmatch(r"([vt])(\d{1,9})", value_id.strip())  # a longer number is no row (and no overflow)
    if not m:
        return False
    model = IndicatorValue if m.group(1) == "v" else TwoPlansValue
    q = (select(Submission.id).join(Extraction, Extraction.submission_id == Submission.id)
         .join(model, model.extraction_id == Extraction.id).where(model.id == int(m.group(2))))
    with archive.db.reader() as s:
        return s.execute(viewer.restrict(q, Submission.unit_code)).first() is not None


def packets(archive: Archive, viewer: Viewer) -> list[dict]:
    """Packets given out that the viewer may have: a unit's own; the district's and unmasked ones for staff."""
    from archive.models import PacketRecord

    q = viewer.restrict(select(PacketRecord), PacketRecord.scope)
    if not viewer.may_review():
        q = q.where(PacketRecord.unmasked.is_(False))
    with archive.db.reader() as s:
        rows = s.execute(q.order_by(PacketRecord.id.desc()).limit(500)).scalars().all()
    names = unit_names(archive)
    return [{"id": p.id, "year": p.year, "scope": p.scope,
             "name": "全区汇总" if p.scope == "district" else names.get(p.scope, p.scope),
             "sha256": p.sha256, "size": p.size, "as_of": p.as_of, "unmasked": p.unmasked,
             "created_at": p.created_at, "created_by": p.created_by} for p in rows]


def packet(archive: Archive, viewer: Viewer, packet_id: int) -> dict | None:
    return next((p for p in packets(archive, viewer) if p["id"] == packet_id), None)
