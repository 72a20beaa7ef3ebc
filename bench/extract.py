"""Benchmark: sniff + readers per format, each against the bare library floor in the same run.

    .venv/bin/python bench/extract.py [--quick]

Prints ms per document by format (ours / floor = overhead ratio), pages per second for
text PDFs, and OCR pages per second on a process pool of 2 (OMP_THREAD_LIMIT=1).
Runs in well under three minutes on the 2-core machine.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["OMP_THREAD_LIMIT"] = "1"

from extract.legacy import profile_url  # noqa: E402
from extract.readers import read, read_many  # noqa: E402
from extract.sniff import sniff  # noqa: E402
from fulian.samples import legacy, office, pdfs  # noqa: E402
from fulian.samples.documents import Author, work_summary  # noqa: E402
from fulian.samples.spec import DocSpec, SheetSpec, TableSpec  # noqa: E402

LIMITS = {"max_unzipped": 500 << 20, "max_ratio": 200.0}


def documents(n: int, table: bool = True) -> list[DocSpec]:
    rng = random.Random(7)
    author = Author(name="泉城路街道妇联", unit="quanchenglu")
    specs = []
    for _ in range(n):
        spec = work_summary(rng, author, 2013, {"title", "header", "signature", "body"}).content
        spec.body = [item for item in spec.body if isinstance(item, str)]  # tables added below
        table_spec = TableSpec(header=[["指标", "2013年", None], [None, "本期", "同期"]],
                          rows=[[f"指标{i}", rng.randint(0, 900), rng.randint(0, 900)]
                                for i in range(10)], merges=[(0, 0, 1, 0), (0, 1, 0, 2)])
        if table:
            spec.body.insert(3, table_spec)
        specs.append(spec)
    return specs


def sheet(rows: int) -> SheetSpec:
    rng = random.Random(3)
    table = TableSpec(header=[["社区", "2013年", None, "2012年", None], [None, "本期", "同期", "本期", "同期"]],
                      rows=[[f"社区{i}", *(rng.randint(0, 999) for _ in range(4))] for i in range(rows)],
                      merges=[(0, 0, 1, 0), (0, 1, 0, 2), (0, 3, 0, 4)])
    return SheetSpec(name="表一", table=table, title="泉城路街道2013年统计监测表",
                     notes_before=["填报单位：泉城路街道妇联"])


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best-of-`repeat` wall time in seconds (the floor and ours measured alike)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def ours(files: list[bytes]) -> Callable[[], None]:
    def run() -> None:
        for data in files:
            read(data, sniff(data, "x", **LIMITS).kind or "")
    return run


def floor_docx(files: list[bytes]) -> Callable[[], None]:
    import docx

    def run() -> None:
        for data in files:
            d = docx.Document(io.BytesIO(data))
            _ = [p.text for p in d.paragraphs]
            _ = [[c.text for c in row.cells] for t in d.tables for row in t.rows]
    return run


def floor_sheet(files: list[bytes]) -> Callable[[], None]:
    from python_calamine import CalamineWorkbook

    def run() -> None:
        for data in files:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            _ = [book.get_sheet_by_name(n).to_python() for n in book.sheet_names]
    return run


def floor_csv(files: list[bytes]) -> Callable[[], None]:
    import csv

    def run() -> None:
        for data in files:
            _ = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    return run


def floor_pdf(files: list[bytes]) -> Callable[[], None]:
    import pypdfium2 as pdfium

    def run() -> None:
        for data in files:
            pdf = pdfium.PdfDocument(data)
            _ = [page.get_textpage().get_text_range() for page in pdf]
            pdf.close()
    return run


def report(name: str, n: int, mine: float, floor: float, unit: str = "doc") -> None:
    print(f"{name:<22} ours {mine / n * 1000:8.2f} ms/{unit}   floor {floor / n * 1000:8.2f} "
          f"ms/{unit}   ratio {mine / floor:5.2f}")


def bench_office(tmp: Path, n: int) -> None:
    specs = documents(n)
    docx_files = [office.write_docx(tmp / f"d{i}.docx", s).read_bytes() for i, s in enumerate(specs)]
    report("docx", n, timed(ours(docx_files)), timed(floor_docx(docx_files)))
    for rows in (50, 2000):
        xlsx = [office.write_xlsx(tmp / f"s{rows}.xlsx", sheet(rows)).read_bytes()] * 3
        xls = [office.write_xls(tmp / f"s{rows}.xls", sheet(rows)).read_bytes()] * 3
        report(f"xlsx {rows} rows", 3, timed(ours(xlsx)), timed(floor_sheet(xlsx)))
        report(f"xls {rows} rows", 3, timed(ours(xls)), timed(floor_sheet(xls)))
        csvs = [office.write_csv(tmp / f"s{rows}.csv", sheet(rows).table).read_bytes()] * 3
        report(f"csv {rows} rows", 3, timed(ours(csvs)), timed(floor_csv(csvs)))


def bench_sniff(files: list[bytes]) -> None:
    def run() -> None:
        for data in files:
            sniff(data, "x.docx", **LIMITS)
    best = timed(run, repeat=5)
    print(f"{'sniff (mixed kinds)':<22} {best / len(files) * 1e6:8.1f} µs/file over {len(files)} files")


def bench_pdf(tmp: Path, n: int) -> list[bytes]:
    import pypdfium2 as pdfium

    every = []
    for label, table in (("text pdf", False), ("text pdf + table", True)):
        files = [pdfs.write_text_pdf(tmp / f"p{table:d}{i}.pdf", s).read_bytes()
                 for i, s in enumerate(documents(n, table))]
        pages = sum(len(pdfium.PdfDocument(f)) for f in files)
        mine, floor = timed(ours(files)), timed(floor_pdf(files))
        report(label, pages, mine, floor, unit="page")
        print(f"{label + ' pages/s':<22} ours {pages / mine:8.0f}        floor {pages / floor:8.0f}")
        every += files
    return every


def bench_doc(tmp: Path, n: int) -> None:
    paths = legacy.write_docs([(tmp / f"l{i}.doc", s) for i, s in enumerate(documents(n))])
    files = [p.read_bytes() for p in paths]
    read_many([(files[0], "doc")])  # warm the LibreOffice profile both measurements share
    mine = timed(lambda: read_many([(f, "doc") for f in files]), repeat=1)
    out = tmp / "lo-out"

    def floor() -> None:  # bare soffice batch conversion, nothing parsed afterwards
        subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile_url()}",
                        "--convert-to", "docx", "--outdir", str(out), *map(str, paths)],
                       check=True, capture_output=True)
    report(f"doc ({n} in one call)", n, mine, timed(floor, repeat=1))


def _ocr_ours(data: bytes) -> int:
    return len(read(data, "pdf").blocks)


def _ocr_floor(png: bytes) -> int:
    import pytesseract
    from PIL import Image

    return len(pytesseract.image_to_string(Image.open(io.BytesIO(png)), lang="chi_sim",
                                           config="--psm 6"))


def bench_ocr(tmp: Path, pages: int) -> None:
    specs = documents(pages)
    scans = [pdfs.write_scanned_pdf(tmp / f"o{i}.pdf", DocSpec(title=s.title, body=s.body[:4]))
             .read_bytes() for i, s in enumerate(specs)]
    import pypdfium2 as pdfium

    pngs = []
    for data in scans:  # the floor OCRs the very images our reader renders
        img = pdfium.PdfDocument(data)[0].render(scale=300 / 72, grayscale=True).to_pil()
        buf = io.BytesIO()
        img.save(buf, "PNG")
        pngs.append(buf.getvalue())
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_ocr_floor, pngs[:2]))  # warm both workers (imports, tessdata cache)
        mine = timed(lambda: list(pool.map(_ocr_ours, scans)), repeat=1)
        floor = timed(lambda: list(pool.map(_ocr_floor, pngs)), repeat=1)
    print(f"{'OCR pages/s (2 procs)':<22} ours {pages / mine:8.2f}        floor {pages / floor:8.2f}"
          f"   ratio {mine / floor:5.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer documents, for a smoke run")
    args = parser.parse_args()
    n = 4 if args.quick else 20
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fulian-bench-") as tmp_name:
        tmp = Path(tmp_name)
        bench_office(tmp, n)
        pdf_files = bench_pdf(tmp, n)
        docx_files = [p.read_bytes() for p in tmp.glob("d*.docx")]
        xlsx_files = [p.read_bytes() for p in tmp.glob("*.xlsx")]
        bench_sniff(pdf_files + docx_files + xlsx_files + [b"a,b\n1,2\n3,4\n"] * 10)
        bench_doc(tmp, n)
        bench_ocr(tmp, 2 if args.quick else 6)
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
