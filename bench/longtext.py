"""Benchmark: extraction time against text length, for one long run-on "sentence".

    .venv/bin/python bench/longtext.py

A CSV whose unclosed quote makes one field of N characters (fulian.samples.hostile
.csv_big_field) is read as text lines (over csv's 128 KB field limit), and the narrative extractor sees one
sentence of thousands of clauses. The floor, measured in the same run, is reading the same bytes (sniff and the
text reader, no semantic steps). Linear work keeps `ours / floor` flat as N doubles; a step
that is quadratic in clauses makes it double with N (issue 14: ≈20 s at 200,000 characters under load).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract.pipeline import extract_document  # noqa: E402
from extract.readers import read  # noqa: E402
from fulian.samples.hostile import csv_big_field  # noqa: E402
from schemas.extraction import Hints  # noqa: E402

SIZES = (150_000, 300_000, 600_000)


def best(fn, repeat: int = 3) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    extract_document(csv_big_field(2_000), Hints(name="warm.csv"), "0" * 64, kind="csv")  # imports, catalogs
    print(f"{'characters':>10} {'ours s':>8} {'floor s':>8} {'ratio':>7}")
    for n in SIZES:
        data = csv_big_field(n)
        ours = best(lambda data=data: extract_document(data, Hints(name="a.csv"), "0" * 64, kind="csv"),
                    repeat=1 if n >= 200_000 else 2)
        floor = best(lambda data=data: read(data, "csv"))
        print(f"{n:>10} {ours:>8.2f} {floor:>8.3f} {ours / floor:>7.0f}")


if __name__ == "__main__":
    main()
