"""What the pages show, shaped from the archive's read queries.

`fixity_digests` and `newest_values` read two tables no query module covers yet;
they belong in archive/queries.py and move there when its owner adds them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from archive.queries import events, fixity_digests, newest_values, submissions
from archive.store import Archive

SEVERITY = {"missing": 4, "short": 3, "late": 2, "pending": 1, "ok": 0}


def default_year(archive: Archive) -> int:
    from archive.analysis import years_with_data

    years = years_with_data(archive)
    return years[-1] if years else datetime.now(UTC).year


def latest_runs(archive: Archive, limit: int = 10) -> list[dict]:
    """Recent runs, from their `submission.recorded` events: when, how many, which statuses."""
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


def submission_detail(archive: Archive, submission_id: int) -> dict | None:
    found = submissions(archive, ids=[submission_id])
    if not found:
        return None
    sub = found[0]
    return {"sub": sub, "fixity": fixity_digests(archive, sub["sha256"]),
            "history": events(archive, limit=500, subject=f"submission:{submission_id}"),
            "values": newest_values(archive, submission_id)}


def _period_order(period: str) -> tuple[int, str]:
    tail = period[5:]
    rank = 0 if tail.isdigit() else {"Q": 1, "H": 2}.get(tail[:1], 3)
    return rank, tail


def completeness_grid(rows: list[dict]) -> dict:
    """Unit × period grid: the worst status of each cell, with what it is made of."""
    periods = sorted({r["period"] for r in rows}, key=_period_order)
    labels = {r["period"]: r.get("period_label") or r["period"] for r in rows}
    cells: dict[tuple[str, str], list[dict]] = defaultdict(list)
    units: dict[str, str] = {}
    for r in rows:
        units.setdefault(r["unit"], r.get("unit_name") or r["unit"])
        cells[(r["unit"], r["period"])].append(r)
    grid = []
    for code, name in sorted(units.items(), key=lambda kv: kv[0]):
        line = []
        for p in periods:
            items = cells.get((code, p), [])
            worst = max((i["status"] for i in items), key=lambda s: SEVERITY.get(s, 0), default="")
            tip = "；".join(f"{i.get('label') or i['doc_type']}：{i['count']}/{i['required']}"
                           f"（{i['status']}）" for i in items)
            line.append({"status": worst, "tip": tip})
        grid.append({"unit": name, "cells": line})
    return {"periods": [(p, labels[p]) for p in periods], "grid": grid}
