"""The stages after archiving: run whichever exist, for the years the run touched."""

from __future__ import annotations

from flows.runtime import Runtime
from schemas.vocabulary import load_vocabulary

QUIET = ("already", "vanished")
STATUS_ZH = load_vocabulary().short("completeness_status")


def touched_years(rt: Runtime, rows: list[dict]) -> list[int]:
    from archive.analysis import years_with_data
    from archive.queries import submissions_by_id

    ids = [r["submission"] for r in rows if r.get("submission")]
    if not ids:
        return years_with_data(rt.archive) if rows else []
    periods = {s["period"] for s in submissions_by_id(rt.archive, ids)}
    return sorted({int(p[:4]) for p in periods if p and p[:4].isdigit()})


def after_ingest(rt: Runtime, rows: list[dict]) -> dict:
    """Quality and completeness for the years whose documents changed; messages for people."""
    from flows.analysis import completeness_for_year, quality_for_year

    changed = [r for r in rows if r.get("status") not in QUIET]
    if not changed:
        return {}
    out: dict = {"years": touched_years(rt, changed), "messages": [], "quality": {}, "completeness": {}}
    for year in out["years"]:
        q = quality_for_year(rt.archive, year)
        out["quality"][year] = {"findings": len(q.findings), "html": q.html}
        out["messages"].append(f"{year}年数据质量检查：发现 {len(q.findings)} 个问题，报告 {q.html}")
        c = completeness_for_year(rt.archive, year)
        counts = c.rows["status"].value_counts().to_dict() if len(c.rows) else {}
        out["completeness"][year] = counts
        summary = "，".join(f"{STATUS_ZH.get(k, k)} {v}" for k, v in sorted(counts.items()))
        out["messages"].append(f"{year}年报送完整性：{summary}")
        if c.changes_text:
            out["messages"].append(c.changes_text)
    return out

