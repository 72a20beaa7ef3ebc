"""OCR: Tesseract (the floor) and PP-OCRv6 via rapidocr on the same generated pages, one run.

Pages are work summaries (some with a ruled key-figures table) rendered at 200 dpi, read
clean and degraded (0.5–2° tilt, blur, grey paper, noise, JPEG 40; every fourth page a
150 dpi scan). Per engine: character error rate against the rendered text, Arabic numbers
intact, table cells in the right (row, column), pages/s with two one-thread processes.
Then extraction: the same documents typed (docx) and scanned (image PDF) through
`extract_document`, and the share of the typed copy's indicator values the scan gives.

    .venv/bin/python bench/ocr.py            # 12 pages x clean/degraded, 6 documents
    .venv/bin/python bench/ocr.py --quick    # 4 pages, 2 documents
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import random
import re
import resource
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fulian.samples import office  # noqa: E402
from fulian.samples.documents import street_author, work_summary  # noqa: E402
from fulian.samples.pdfs import render_pages  # noqa: E402
from fulian.samples.scans import degrade, page_texts, scanned_pages, write_scan_pdf  # noqa: E402
from fulian.samples.spec import DocSpec, TableSpec  # noqa: E402

ENGINES = ("tesseract", "rapidocr")
_NUM = re.compile(r"\d+(?:[.,]\d+)*%?")


def _drafts(n: int, seed: int = 15) -> list:
    rng = random.Random(seed)
    streets = ["quanchenglu", "wendong", "jianxin", "dianliu", "yaojia", "qianfoshan"]
    out = []
    while len(out) < n:
        draft = work_summary(rng, street_author(streets[len(out) % len(streets)]), 2013,
                             {"title", "signature", "body"})
        has_table = any(isinstance(b, TableSpec) for b in draft.content.body)
        if has_table or len(out) % 2:  # half the documents carry the key-figures table
            out.append(draft)
    return out


def _pages(n: int) -> list[tuple[bytes, bytes, str, list[list[str]], str]]:
    """(clean PNG, degraded PNG, page text, table body rows on that page, page text outside
    tables) for n pages."""
    out = []
    for i, draft in enumerate(_drafts(n)):
        spec: DocSpec = draft.content
        clean = render_pages(spec, dpi=200, scanned=False)
        rng = np.random.default_rng(i)
        texts, bodies = page_texts(spec), page_texts(spec, cells=False)
        tables = [[[str(c) for c in row] for row in b.rows] for b in spec.body
                  if isinstance(b, TableSpec)]
        for k, page in enumerate(clean[:2]):
            bad = degrade(page, rng, lowres=len(out) % 4 == 3)
            rows = [r for t in tables for r in t if all("".join(c.split()) in texts[k] for c in r)]
            out.append((_png(page), _png(bad), texts[k], rows, bodies[k]))
            if len(out) == n:
                return out
    return out


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the tesseract binary)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _read(args: tuple[str, bytes]) -> tuple[str, list[list[list[str]]], float, float, str]:
    """In a worker: OCR one page; its text, its tables' rows, the worker's peak memory (MB),
    the CPU seconds the page took (the machine is shared: wall time alone misleads) and its
    text outside tables."""
    from extract.readers.ocr import ocr_page
    from extract.readers.ocr_engine import OcrOptions

    engine, png = args
    before = _cpu()
    page = ocr_page(Image.open(io.BytesIO(png)), "第1页", OcrOptions(engine=engine))
    text = "".join(b.text for b in page.blocks)
    tables = [[[str(v) for v in row] for row in t.frame.itertuples(index=False)]
              for t in page.tables]
    body = "".join(b.text for b in page.blocks if b.kind != "table_cell")
    return (text, tables, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            _cpu() - before, body)


def _warm(engine: str) -> int:
    from extract.readers.ocr_engine import OcrOptions, active_engine

    return len(active_engine(OcrOptions(engine=engine)))


def _plain(text: str) -> str:
    """Without spaces, full-width forms folded (NFKC) and quotes unified: a full-width
    bracket read as ASCII is not a misread character."""
    text = unicodedata.normalize("NFKC", "".join(text.split()))
    return re.sub("[\u201c\u201d\u2018\u2019\"']", '"', text)


def cer(truth: str, seen: str) -> float:
    """Levenshtein distance over the truth's length (compared as `_plain` text)."""
    a, b = _plain(truth), _plain(seen)
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        prev = cur
    return prev[-1] / max(len(a), 1)


def numbers_intact(truth: str, seen: str) -> tuple[int, int]:
    want = _NUM.findall(truth)
    have = _NUM.findall("".join(seen.split()))
    pool = {n: have.count(n) for n in set(have)}
    hit = 0
    for n in want:
        if pool.get(n, 0) > 0:
            pool[n] -= 1
            hit += 1
    return hit, len(want)


def cells_found(rows: list[list[str]], tables: list[list[list[str]]]) -> tuple[int, int]:
    """Table body cells read into the same row and column as written."""
    want = sum(len(r) for r in rows)
    got = [row for t in tables for row in t]
    hit = 0
    for row in rows:
        match = max(got, key=lambda g: sum(a == b for a, b in zip(row, g, strict=False)),
                    default=[])
        hit += sum(_plain(a) == _plain(b) for a, b in zip(row, match, strict=False))
    return hit, want


def bench_engines(pages: list, pool: ProcessPoolExecutor) -> dict[str, float]:
    speed: dict[str, float] = {}
    for engine in ENGINES:
        list(pool.map(_warm, [engine] * 4))  # load the engine in both workers first
        for label, column in (("clean", 0), ("degraded", 1)):
            started = time.perf_counter()
            results = list(pool.map(_read, [(engine, p[column]) for p in pages]))
            seconds = time.perf_counter() - started
            errors = [cer(p[2], r[0]) for p, r in zip(pages, results, strict=True)]
            # numbers in running text (table cells are counted as cells, in place)
            nums = [numbers_intact(p[4], r[4]) for p, r in zip(pages, results, strict=True)]
            cells = [cells_found(p[3], r[1]) for p, r in zip(pages, results, strict=True)]
            n_hit, n_all = sum(h for h, _ in nums), sum(a for _, a in nums)
            c_hit, c_all = sum(h for h, _ in cells), sum(a for _, a in cells)
            cpu = sum(r[3] for r in results)
            speed[f"{engine} {label}"] = 2 * len(pages) / cpu
            print(f"{engine:<10} {label:<9} CER {100 * float(np.mean(errors)):6.2f}%   "
                  f"numbers {n_hit}/{n_all} = {n_hit / max(n_all, 1):.3f}   "
                  f"cells {c_hit}/{c_all} = {c_hit / max(c_all, 1):.3f}   "
                  f"{2 * len(pages) / cpu:5.2f} pages/s on 2 cores by CPU time "
                  f"({len(pages) / seconds:5.2f} wall)   peak {max(r[2] for r in results):5.0f} MB")
    return speed


def _extract(args: tuple[str, bytes, str]) -> tuple[dict[str, object], float]:
    import os

    from extract.pipeline import extract_document
    from extract.readers import ocr_engine
    from schemas.extraction import Hints

    engine, data, name = args
    if os.environ.get("FULIAN_OCR_ENGINE") != engine:
        os.environ["FULIAN_OCR_ENGINE"] = engine
        ocr_engine.reset()
    before = _cpu()
    ext = extract_document(data, Hints(name=name), "0" * 64)
    return {v.code: (v.value, v.evidence.confidence) for v in ext.indicators}, _cpu() - before


def bench_extraction(n: int, pool: ProcessPoolExecutor, tmp: Path) -> None:
    drafts = _drafts(n, seed=42)
    typed = [office.write_docx(tmp / f"t{i}.docx", d.content).read_bytes()
             for i, d in enumerate(drafts)]
    scans = [write_scan_pdf(tmp / f"s{i}.pdf", scanned_pages(d.content, seed=i,
                                                             lowres=i % 4 == 3)).read_bytes()
             for i, d in enumerate(drafts)]
    want = [{k: v for k, (v, _) in w.items()}
            for w, _ in pool.map(_extract, [("rapidocr", t, f"t{i}.docx")
                                            for i, t in enumerate(typed)])]
    pages = sum(len(render_pages(d.content, dpi=20, scanned=False)) for d in drafts)
    for engine in ENGINES:
        done = list(pool.map(_extract, [(engine, s, f"s{i}.pdf") for i, s in enumerate(scans)]))
        scored, cpu = [g for g, _ in done], sum(c for _, c in done)
        got = [{k: v for k, (v, _) in g.items()} for g in scored]
        same = sum(1 for w, g in zip(want, got, strict=True) for k, v in w.items() if g.get(k) == v)
        right = [c for w, g in zip(want, scored, strict=True) for k, (v, c) in g.items()
                 if w.get(k) == v]
        wrong = [c for w, g in zip(want, scored, strict=True) for k, (v, c) in g.items()
                 if k in w and w[k] != v]
        total, found = sum(len(w) for w in want), sum(len(g) for g in got)
        precision, recall = same / max(found, 1), same / max(total, 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        print(f"{engine:<10} extraction: {same}/{total} typed values from scans = {recall:.3f}, "
              f"precision {precision:.3f}, F1 {f1:.3f}   ({pages} pages, "
              f"{2 * pages / cpu:.2f} pages/s on 2 cores end to end, by CPU time)")
        if right:
            print(f"{'':<10} confidence of right values: min {min(right):.3f}, "
                  f"median {float(np.median(right)):.3f}; of wrong ones: "
                  f"{sorted(round(c, 3) for c in wrong)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="4 pages, 2 documents")
    args = parser.parse_args()
    started = time.perf_counter()
    pages = _pages(4 if args.quick else 12)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=context) as pool, \
            tempfile.TemporaryDirectory(prefix="fulian-bench-ocr-") as tmp:
        speed = bench_engines(pages, pool)
        for label in ("clean", "degraded"):
            print(f"pages/s ratio rapidocr / tesseract ({label}): "
                  f"{speed[f'rapidocr {label}'] / speed[f'tesseract {label}']:.2f}")
        bench_extraction(2 if args.quick else 6, pool, Path(tmp))
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
