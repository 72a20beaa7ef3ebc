"""Shared by the hostile-input tests: a batch of good files around hostile ones, and the
accounting every such run must satisfy."""

from __future__ import annotations

from pathlib import Path

from fulian.samples.hostile import good_docx
from schemas.extraction import REJECT_REASONS

STREETS = ["解放路", "千佛山", "趵突泉", "泉城路", "大明湖", "东关"]


def write_batch(folder: Path, hostile: dict[str, bytes], goods: int = 4) -> list[str]:
    """Good docx files interleaved (by name order) with the hostile ones; the good names."""
    folder.mkdir(parents=True, exist_ok=True)
    good_names = []
    for i in range(goods):
        name, data = good_docx(STREETS[i % len(STREETS)], i + 1)
        name = f"{i:02d}-{name}"
        (folder / name).write_bytes(data)
        good_names.append(name)
    for k, (name, data) in enumerate(hostile.items()):
        (folder / f"{k:02d}~{name}").write_bytes(data)
    return good_names


def assert_accounted(rows: list[dict], good: list[str], bad: dict[str, set[str]],
                     extra: int = 0) -> dict[str, dict]:
    """Every good file accepted, each bad one with a status and a reason code among those
    allowed, every input recorded exactly once (`extra`: members of packages)."""
    paths = [r["source_path"] for r in rows]
    assert len(paths) == len(set(paths)), f"recorded twice: {paths}"
    by = dict(zip(paths, rows, strict=True))
    for name in good:
        assert by[name]["status"] == "accepted", (name, by[name])
    for name, allowed in bad.items():
        row = next(r for p, r in by.items() if p.endswith(name))
        assert row["status"] in ("rejected", "needs_review"), (name, row)
        assert row["reason"] in allowed, (name, row["reason"], row.get("detail"))
        if row["status"] == "rejected":
            assert row["reason"] in REJECT_REASONS
    assert len(rows) == len(good) + len(bad) + extra
    return by
