"""Fuzz the intake: mutated docx/xlsx/xls/pdf/zip bytes through sniff, ZIP expansion and the real
extraction pool. Reports hangs, crashes of the run, pool restarts, outcomes by reason, and
the peak memory (VmHWM) of every extraction worker.

    .venv/bin/python bench/fuzz.py              # 2000 cases, 2 workers
    .venv/bin/python bench/fuzz.py --n 300      # a smoke run

A "hang" is a file that reached its time limit (`timeout`); a "crash of the run" is any
exception escaping sniff, expand_zip or the pool, which in the nightly run would stop it.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def seeds() -> dict[str, bytes]:
    from fulian.samples import hostile
    from fulian.samples.bad import sample_sheet
    from fulian.samples.office import write_xls, write_xlsx

    with tempfile.TemporaryDirectory() as tmp:
        xlsx = write_xlsx(Path(tmp) / "x.xlsx", sample_sheet()).read_bytes()
        xls = write_xls(Path(tmp) / "x.xls", sample_sheet()).read_bytes()  # BIFF records (issue 14)
    docx = hostile.good_docx("文东", 1)[1]
    pkg, _ = hostile.package(hostile.raw_member("说明.docx", docx))
    return {"docx": docx, "xlsx": xlsx, "xls": xls, "pdf": hostile.text_pdf(), "zip": pkg}


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One of: flipped bytes, a cut, a duplicated or removed span, or a mutation inside a
    ZIP member (re-zipped, so the container is valid and the XML is not)."""
    choice = rng.randrange(5)
    buf = bytearray(data)
    if choice == 0:
        for _ in range(rng.randint(1, 12)):
            buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
    elif choice == 1:
        del buf[rng.randrange(1, len(buf)):]
    elif choice == 2:
        a = rng.randrange(len(buf))
        b = min(len(buf), a + rng.randint(1, 4096))
        buf[a:a] = buf[a:b] * rng.randint(1, 8)
    elif choice == 3:
        a = rng.randrange(len(buf))
        del buf[a:a + rng.randint(1, 4096)]
    elif data[:2] == b"PK":
        return _mutate_member(data, rng)
    else:
        buf[rng.randrange(len(buf)):rng.randrange(len(buf))] = bytes(rng.randrange(256) for _ in range(64))
    return bytes(buf)


def _mutate_member(data: bytes, rng: random.Random) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        infos = src.infolist()
        victim = rng.randrange(len(infos))
        for i, info in enumerate(infos):
            body = src.read(info)
            if i == victim and body:
                body = mutate(body, rng) if rng.random() < 0.5 else body[: rng.randrange(len(body))]
            dst.writestr(info, body)
    return out.getvalue()


class PeakMemory(threading.Thread):
    """Polls the children of this process (the workers) for their peak resident size."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak: dict[int, int] = {}
        self.running = True

    def run(self) -> None:
        me = os.getpid()
        while self.running:
            for pid in os.listdir("/proc"):
                if pid.isdigit():
                    self._sample(int(pid), me)
            time.sleep(0.2)

    def _sample(self, pid: int, parent: int) -> None:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("PPid", "0")) == parent and "VmHWM" in fields:
            self.peak[pid] = max(self.peak.get(pid, 0), int(fields["VmHWM"].split()[0]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--seed", type=int, default=14)
    args = ap.parse_args()

    from connectors.archives import expand_zip, is_plain_zip
    from connectors.base import Incoming
    from extract.sniff import sniff
    from flows.pool import ExtractPool
    from schemas.settings import Settings
    from schemas.units import load_registry

    settings, registry, rng = Settings(), load_registry(), random.Random(args.seed)
    base = seeds()
    pool = ExtractPool(args.workers, args.timeout, settings.worker_memory_mb, settings.ocr_max_pages)
    watch = PeakMemory()
    watch.start()
    outcomes: Counter = Counter()
    crashes: list[str] = []
    slowest_main = 0.0
    started = time.monotonic()
    kinds = list(base)
    for first in range(0, args.n, args.batch):
        jobs = []
        for k in range(first, min(args.n, first + args.batch)):
            kind = kinds[k % len(kinds)]
            data = mutate(base[kind], rng)
            t0 = time.monotonic()
            try:
                found = sniff(data, f"f{k}.{kind}", max_unzipped=settings.max_unzipped_size,
                              max_ratio=settings.max_zip_ratio)
                if found.reason == "unsupported" and is_plain_zip(data):
                    item = Incoming("cli", f"f{k}", f"f{k}.zip", f"f{k}.zip", "", len(data), str(k), data=data)
                    with tempfile.TemporaryDirectory() as scratch:
                        got = expand_zip(item, data, registry, Path(scratch), settings.max_file_size)
                    outcomes["zip:" + ("corrupt" if got.problem or got.unreadable else "opened")] += 1
                    continue
            except Exception as exc:  # noqa: BLE001 - counted: this would stop a run
                crashes.append(f"case {k} ({kind}) in the main process: {type(exc).__name__}: {exc}")
                continue
            finally:
                slowest_main = max(slowest_main, time.monotonic() - t0)
            if found.reason or not found.kind:
                outcomes[f"sniff:{found.reason}"] += 1
                continue
            jobs.append((data, {"name": f"f{k}.{kind}"}, f"{k:064x}", found.kind))
        try:
            results = pool.run(jobs)
        except Exception as exc:  # noqa: BLE001
            crashes.append(f"pool.run at case {first}: {type(exc).__name__}: {exc}")
            continue
        for r in results:
            outcomes["extract:" + (getattr(r, "reason", None) or "ok")] += 1
        print(f"{min(args.n, first + args.batch)}/{args.n} cases, {time.monotonic() - started:.0f} s",
              file=sys.stderr)
    watch.running = False
    elapsed = time.monotonic() - started
    peaks = sorted(watch.peak.values(), reverse=True)
    print(f"cases: {args.n}  seconds: {elapsed:.0f}  ({args.n / elapsed:.1f} cases/s, {args.workers} workers)")
    print(f"hangs (timeout): {outcomes.get('extract:timeout', 0)}  crashes of the run: {len(crashes)}  "
          f"pool restarts: {pool.restarts}  slowest sniff/expand in the main process: {slowest_main:.2f} s")
    print(f"peak memory per worker (VmHWM): max {peaks[0] / 1024 if peaks else 0:.0f} MB over "
          f"{len(peaks)} worker processes; memory limit {settings.worker_memory_mb} MB")
    for key, n in sorted(outcomes.items()):
        print(f"  {key}: {n}")
    for line in crashes[:20]:
        print("  CRASH", line)


if __name__ == "__main__":
    main()
