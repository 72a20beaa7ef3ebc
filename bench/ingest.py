"""Benchmark: the real ingest flow against a bare floor loop over the same files, same run.

    .venv/bin/python bench/ingest.py [--n 2000] [--noop-n 10000] [--db sqlite|postgresql]

Generates N mixed documents (fulian.samples.generate_bulk: docx, xlsx, text PDF, csv) and prints:
- cold ingest, documents per second (the real `ingest` flow on a loopback Prefect server,
  2 extraction workers, blobs fsynced; server start-up not counted);
- the floor: read + sha256 + text with the fastest readers, no database, no Prefect, in one
  process and in a pool of 2 (the pipeline's worker count), and ingest / floor ratios;
- a no-op re-run over the same N files, and over `--noop-n` archived files (the missing
  files are generated and ingested first), in seconds from the flow's first line;
- where cold-ingest time goes (timers wrapped around the flow's own calls).
Figures also go to bench/out/ingest-<date>.json (one entry per database).
Aims (issue): cold ingest >= 0.5 x floor; no-op over 10,000 archived files <= 3 s.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import sys
import tempfile
import time
import zipfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import OUT, Timers, pg_database, prefect_server, quiet_prefect_env  # noqa: E402

W_T = re.compile(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
AIM_RATIO, AIM_NOOP_S = 0.5, 3.0


# ---- the floor: what reading the same files costs with nothing of ours around it ----

def floor_text(path: str) -> int:
    """Read + sha256 + text of one file; returns the number of characters (so nothing is skipped)."""
    data = Path(path).read_bytes()
    hashlib.sha256(data).hexdigest()
    kind = path.rsplit(".", 1)[-1].lower()
    if kind == "docx":  # zipfile + regex over word/document.xml (no python-docx object tree)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return len(b"".join(W_T.findall(z.read("word/document.xml"))).decode("utf-8"))
    if kind == "xlsx":
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return sum(len(str(c)) for n in book.sheet_names
                   for row in book.get_sheet_by_name(n).to_python() for c in row)
    if kind == "pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            return sum(len(page.get_textpage().get_text_range()) for page in pdf)
        finally:
            pdf.close()
    try:  # csv and anything else: decode
        return len(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return len(data.decode("gb18030", errors="replace"))


def _floor_chunk(paths: list[str]) -> int:
    return sum(floor_text(p) for p in paths)


def floor_one(paths: list[str], repeat: int = 3) -> float:
    """Best of `repeat` passes in this process (the first also pays the readers' imports)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        _floor_chunk(paths)
        best = min(best, time.perf_counter() - start)
    return best


def floor_pool(paths: list[str], workers: int = 2) -> float:
    """Best of 2 passes on `workers` spawned processes, warmed first (start-up not counted)."""
    chunks = [paths[i:i + 25] for i in range(0, len(paths), 25)]
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        one_each = list({p.rsplit(".", 1)[-1]: p for p in paths}.values())
        list(pool.map(_floor_chunk, [one_each] * workers * 2))  # readers imported in every worker
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            list(pool.map(_floor_chunk, chunks))
            best = min(best, time.perf_counter() - start)
        return best


def _extract_chunk(job: tuple[str, list[str]]) -> int:
    """Our extraction alone (sniff + read + extract_document), as a worker of the pipeline runs it."""
    from extract.pipeline import extract_document
    from schemas.extraction import ExtractError, Hints

    root, paths = job
    done = 0
    for path in paths:
        data = Path(path).read_bytes()
        hints = Hints(name=Path(path).name, source_path=Path(path).relative_to(root).as_posix())
        try:
            extract_document(data, hints, hashlib.sha256(data).hexdigest())
            done += 1
        except ExtractError:
            pass
    return done


def extraction_only(root: Path, paths: list[str], workers: int = 2) -> float:
    """Our extraction on a warm pool of `workers`, no archive, no Prefect: the pipeline's own work."""
    chunks = [(str(root), paths[i:i + 25]) for i in range(0, len(paths), 25)]
    one_each = list({p.rsplit(".", 1)[-1]: p for p in paths}.values())
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        list(pool.map(_extract_chunk, [(str(root), one_each)] * workers * 2))
        start = time.perf_counter()
        list(pool.map(_extract_chunk, chunks))
        return time.perf_counter() - start


# ---- the pipeline, timed from the flow's first line ----

WRAPPED = (  # (module, attribute path, label), in the order they are printed
    ("flows.ingest", "open_runtime", "open runtime (db, migrations check, units)"),
    ("connectors.folder", "PathsConnector.scan", "scan folder (stat + receipt keys)"),
    ("flows.ingest", "known_receipts", "known receipts query"),
    ("flows.ingest", "_read", "read batches (stage read)"),
    ("flows.prepare", "read_one", "  read + sha256/SM3 + sniff"),
    ("flows.extraction", "queue_local", "queue batches on the pool (stage queued)"),
    ("flows.extraction", "collect_batch", "wait for a batch's extraction (stage extracted)"),
    ("flows.ingest", "ingest_batch", "ingest_batch tasks: record + acknowledge (Prefect incl.)"),
    ("flows.ingest", "store_blobs", "  store blobs (fsync)"),
    ("flows.ingest", "record_batch", "  record rows + audit (in txn)"),
    ("sqlalchemy.orm", "Session.commit", "  commit (any session)"),
    ("flows.ingest", "after_ingest", "after_ingest stages"),
    ("flows.analysis", "quality_for_year", "  quality_for_year"),
    ("flows.analysis", "completeness_for_year", "  completeness_for_year"),
    ("flows.ingest", "close_runtime", "close runtime"),
)


def instrument() -> Timers:
    """Timers around the calls the ingest flow makes (same process: tasks run in threads).

    A call that does not exist (yet) in the tree is skipped, so the bench survives refactors."""
    import importlib

    import flows.ingest

    t = Timers()
    t.mark_on_call(flows.ingest, "open_runtime", "flow_start")
    t.mark_on_call(flows.ingest, "close_runtime", "flow_end", after=True)
    for module, path, label in WRAPPED:
        try:
            owner = importlib.import_module(module)
            *parents, attr = path.split(".")
            for name in parents:
                owner = getattr(owner, name)
            getattr(owner, attr)
        except (ImportError, AttributeError):
            print(f"(not timed: {module}.{path} not found)")
            continue
        t.wrap(owner, attr, label)
    return t


def run_flow(timers: Timers, folder: Path) -> dict:
    """One `ingest` flow run; seconds from the flow's first line to its runtime closed, and wall."""
    from flows.ingest import ingest

    timers.reset()
    start = time.perf_counter()
    result = ingest(paths=[str(folder)])
    wall = time.perf_counter() - start
    body = timers.marks["flow_end"] - timers.marks["flow_start"]
    return {"body_s": body, "wall_s": wall, "counts": result["counts"],
            "breakdown_s": dict(timers.seconds), "calls": dict(timers.calls)}


def generate(folder: Path, n: int, seed: int) -> tuple[list[str], float]:
    from fulian.samples import generate_bulk

    start = time.perf_counter()
    paths = [str(p) for p in generate_bulk(folder, n, seed)]
    return paths, time.perf_counter() - start


# ---- output ----

def print_report(fig: dict) -> None:
    n, cold, f1, f2 = fig["n"], fig["cold"], fig["floor_1p_s"], fig["floor_2p_s"]
    rate = n / cold["body_s"]
    print(f"\n== ingest benchmark: {n} documents {dict(fig['kinds'])}, db={fig['db']}, "
          f"workers={fig['workers']}, batch={fig['batch_size']} ==")
    stages = cold["breakdown_s"].get("after_ingest stages", 0.0)
    archive_rate = n / (cold["body_s"] - stages)
    print(f"cold ingest      {rate:8.1f} docs/s  (flow body {cold['body_s']:.1f} s, "
          f"wall {cold['wall_s']:.1f} s)  {cold['counts']}")
    print(f"  to the archive {archive_rate:8.1f} docs/s  (flow body minus after_ingest stages "
          f"{stages:.1f} s)")
    for procs, sec in ((1, f1), (2, f2)):
        print(f"floor {procs} process{'es' if procs > 1 else '  '} {n / sec:8.1f} docs/s  "
              f"ratio ingest/floor {rate * sec / n:5.3f}, archive only {archive_rate * sec / n:5.3f}"
              f"  (aim >= {AIM_RATIO})")
    ex = fig["extract_only_2p_s"]
    print(f"extraction only  {n / ex:8.1f} docs/s  ratio ingest/extraction {rate * ex / n:5.3f}"
          f"  (our sniff+read+extract on a warm pool of 2, no archive, no Prefect)")
    print("  floor = read + sha256 + text: docx zipfile+regex on word/document.xml, "
          "xlsx python-calamine, pdf pypdfium2 get_text_range, csv decode")
    for key in ("noop", "noop_big"):
        if key in fig:
            r = fig[key]
            verdict = "" if key == "noop" else f"  (aim <= {AIM_NOOP_S:g} s)"
            print(f"no-op re-run     {r['files']:6d} files  {r['body_s']:6.2f} s from the flow's "
                  f"first line, wall {r['wall_s']:.2f} s{verdict}")
            top = sorted(r["breakdown_s"].items(), key=lambda kv: -kv[1])[:3]
            print("  of which " + ", ".join(f"{label.strip()} {sec:.2f} s" for label, sec in top))
    if "extra" in fig:
        e = fig["extra"]
        print(f"(second cold ingest, {e['files']} files, pool warm: {e['files'] / e['body_s']:.1f} docs/s)")
    print("cold ingest, where the flow body's time goes (s, % of body):")
    for _, _, label in WRAPPED:
        if label in cold["breakdown_s"]:
            sec = cold["breakdown_s"][label]
            print(f"  {label:<46} {sec:7.2f}  {sec / cold['body_s'] * 100:5.1f}%")


def save(fig: dict) -> Path:
    from datetime import UTC, datetime

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"ingest-{datetime.now(UTC):%Y-%m-%d}.json"
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    old[fig["db"]] = fig
    path.write_text(json.dumps(old, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


# ---- main ----

def bench(tmp: Path, args: argparse.Namespace) -> dict:
    corpus = tmp / "corpus"
    paths, gen_s = generate(corpus / "main", args.n, seed=1)
    print(f"generated {len(paths)} files in {gen_s:.1f} s", flush=True)
    fig: dict = {"db": args.db, "n": len(paths), "workers": args.workers, "load_before": os.getloadavg(),
                 "batch_size": int(os.environ["FULIAN_BATCH_SIZE"]),
                 "kinds": Counter(p.rsplit(".", 1)[-1] for p in paths)}
    fig["floor_1p_s"] = floor_one(paths)
    fig["floor_2p_s"] = floor_pool(paths, 2)
    print(f"floor: 1 process {fig['floor_1p_s']:.1f} s, 2 processes {fig['floor_2p_s']:.1f} s", flush=True)
    fig["extract_only_2p_s"] = extraction_only(corpus / "main", paths, 2)
    print(f"extraction only, 2 processes: {fig['extract_only_2p_s']:.1f} s", flush=True)
    timers = instrument()
    try:
        fig["cold"] = run_flow(timers, corpus / "main")
        print(f"cold ingest: {fig['cold']['body_s']:.1f} s", flush=True)
        fig["noop"] = {"files": len(paths), **run_flow(timers, corpus / "main")}
        more = args.noop_n - len(paths)
        if more > 0:
            extra, _ = generate(corpus / "extra", more, seed=2)
            fig["extra"] = {"files": len(extra), **run_flow(timers, corpus / "extra")}
            print(f"archived {len(extra)} more files in {fig['extra']['body_s']:.1f} s", flush=True)
            fig["noop_big"] = {"files": len(paths) + len(extra), **run_flow(timers, corpus)}
    finally:
        timers.restore()
    return fig


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="documents for the cold ingest and floor")
    parser.add_argument("--noop-n", type=int, default=10_000, help="archived files for the big no-op re-run")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--workers", type=int, default=2, help="FULIAN_WORKERS")
    parser.add_argument("--batch-size", type=int, default=None, help="FULIAN_BATCH_SIZE (default: the setting's)")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fulian-bench-ingest-") as tmp_name:
        tmp = Path(tmp_name)
        quiet_prefect_env(tmp / "prefect")
        os.environ.update({"FULIAN_HOME": str(tmp / "home"), "FULIAN_WORKERS": str(args.workers)})
        if args.batch_size:
            os.environ["FULIAN_BATCH_SIZE"] = str(args.batch_size)
        from schemas.settings import Settings

        os.environ["FULIAN_BATCH_SIZE"] = str(Settings().batch_size)
        with prefect_server(tmp / "prefect"):
            if args.db == "postgresql":
                with pg_database() as url:
                    os.environ["FULIAN_DATABASE_URL"] = url
                    fig = bench(tmp, args)
            else:
                os.environ.pop("FULIAN_DATABASE_URL", None)
                fig = bench(tmp, args)
    fig["total_s"], fig["load_after"] = time.perf_counter() - started, os.getloadavg()
    print_report(fig)
    print(f"total {fig['total_s']:.0f} s; load average (1, 5, 15 min) before "
          f"{', '.join(f'{x:.1f}' for x in fig['load_before'])}, after "
          f"{', '.join(f'{x:.1f}' for x in fig['load_after'])} on {os.cpu_count()} CPUs "
          f"(other work on the machine skews absolute figures)")
    print(f"figures in {save(fig)}")


if __name__ == "__main__":
    main()
