"""Shaping what the scoped queries return into what the pages show (no reads here)."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from fastapi import Path

SEVERITY = {"missing": 4, "short": 3, "late": 2, "pending": 1, "ok": 0}
BEIJING = timedelta(hours=8)
MAX_ID = 2**31 - 1  # an INTEGER key; a larger number would overflow the database driver (a 500)


def record_id():  # noqa: ANN201 - a FastAPI Path; one per route (a shared one keeps the first route's name)
    """A submission's or packet's number in a URL: 400 with a Chinese message outside 1…MAX_ID."""
    return Path(..., ge=1, le=MAX_ID)


def beijing(iso: str | None) -> str:
    """An ISO time (UTC) as Beijing time, to the second; the text unchanged if it is not a time."""
    if not iso:
        return ""
    try:
        at = datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return (at.astimezone(UTC) + BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def default_year(years: list[int]) -> int:
    return years[-1] if years else datetime.now(UTC).year


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
            line.append({"status": worst, "tip": tip, "unit": code, "period": p})
        grid.append({"unit": name, "code": code, "cells": line})
    return {"periods": [(p, labels[p]) for p in periods], "grid": grid}


def highlight(text: str, evidence: list[str]) -> list[tuple[str, bool]]:
    """The text cut into (piece, is_evidence) so a template can mark evidence without raw HTML."""
    spans: list[tuple[int, int]] = []
    parts = {p.strip() for e in evidence if e for p in re.split(r"…|\.\.\.|\n", e)}
    for snippet in {p for p in parts if len(p) >= 4}:
        start = text.find(snippet)
        while start >= 0:
            spans.append((start, start + len(snippet)))
            start = text.find(snippet, start + len(snippet))
    pieces, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:
            start = pos
        if start >= end:
            continue
        pieces += [(text[pos:start], False), (text[start:end], True)]
        pos = end
    pieces.append((text[pos:], False))
    return [p for p in pieces if p[0]]
