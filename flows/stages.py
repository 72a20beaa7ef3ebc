"""The stages after archiving: run whichever exist, only when the archive changed."""

from __future__ import annotations

from flows.runtime import Runtime


def after_ingest(rt: Runtime, rows: list[dict]) -> dict:
    """Later stages (quality, completeness) for the years the run touched."""
    changed = [r for r in rows if r["status"] not in ("already", "vanished")]
    if not changed:
        return {}
    return {}
