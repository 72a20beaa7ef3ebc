"""Benchmark: a province's archive on PostgreSQL — queries over 1,000,000 submissions.

A 20,000-unit registry (the shape of bench/completeness.py: streets, communities, 两新
organisations, member units) and 1,000,000 submissions over four years, generated inside
PostgreSQL (generate_series), in a throwaway database. For each question the project asks,
the time of the project's own call (what the web page or CLI runs) against its floor, the
bare SQL that returns the same answer, best of `--repeat`:

- list:   the web's document page (archive.queries_scoped.document_page, as an admin) filtered
          to one unit, one year, one document type, newest first, one page of 50 — and the
          archivists' queue: needs_review, newest 50 of the whole province, with its total;
- unit:   one unit's year: every submission of one unit with a period in that year;
- audit:  the completeness audit of one year over the 20,000-unit registry.

Then the same floors again after `CREATE INDEX` of each candidate index, to show which pay.

Ingest scaling (`--ingest N`, default 400): the real `ingest` flow on a loopback Prefect server
into PostgreSQL, N generated documents, with 1, 2 and 4 extraction processes of the local pool,
then (`dask`) with extraction on a loopback Dask cluster of 1, 2 and 4 workers (FULIAN_DASK_ADDRESS,
prefect-dask's DaskTaskRunner), against the floor of one local process measured in the same run;
each on a fresh database: documents per second, the ratio, and how long each batch holds the
archive's single writer (the advisory lock's transaction, from BEGIN to COMMIT) — its share of
the run.

    .venv/bin/python bench/scale.py [--submissions 1000000] [--units 20000] [--repeat 3]
                                    [--ingest 400] [--only queries|ingest|dask]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

# as a script, bench/ comes first on sys.path and bench/quality.py would hide the package
sys.path[0] = str(Path(__file__).resolve().parents[1])

from sqlalchemy import create_engine, insert, text  # noqa: E402

from bench._common import pg_database, prefect_server, quiet_prefect_env  # noqa: E402
from bench.completeness import make_units  # noqa: E402

YEAR = 2025
PAGE = 50
KINDS = ["info_report"] * 6 + ["work_summary", "parent_school_record", "petition_report",
                                "two_plans_statistics"]

# One row per g: year 2023-2026, a unit and a document type at random (seeded), 90% accepted, 5% needs_review,
# 3% duplicate, 2% rejected; periods shaped by document type as extraction writes them.
GENERATE = """
INSERT INTO submissions (receipt, source, source_uri, source_path, original_name, received_at,
    ingested_at, size, sha256, status, reason, unit_code, period, doc_type, title, correction, pii,
    run_id)
SELECT md5(g::text), 'bench', 'bench:' || g, g || '.docx', g || '.docx',
       to_char(make_timestamp(y, m, 1, 0, 0, 0) + (g % 40) * interval '1 day' + (g % 86400) * interval '1 second',
               'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'),
       '2027-01-01T00:00:00+00:00', 20000 + g % 5000, md5(g::text) || md5((g + 1)::text),
       st, CASE st WHEN 'rejected' THEN 'corrupt' WHEN 'needs_review' THEN 'period_unknown' END,
       u.code,
       CASE kind WHEN 'info_report' THEN y || '-' || lpad(m::text, 2, '0')
                 WHEN 'petition_report' THEN y || '-Q' || ((m - 1) / 3 + 1) ELSE y::text END,
       kind, '第' || g || '号 工作信息', false, false, 'bench'
FROM (SELECT g, 2023 + g % 4 AS y, 1 + (g / 4) % 12 AS m,
             (CAST(:kinds AS text[]))[1 + floor(random() * :nkinds)::int] AS kind,
             CASE WHEN g % 100 < 90 THEN 'accepted' WHEN g % 100 < 95 THEN 'needs_review'
                  WHEN g % 100 < 98 THEN 'duplicate' ELSE 'rejected' END AS st,
             floor(random() * :nunits)::int AS ui
      FROM generate_series(1, :n) AS g) s
JOIN bench_units u ON u.i = s.ui
"""

FLOORS = {
    "list: one unit, year, type, page of 50": """
        SELECT id, source_path, sha256, status, reason, unit_code, period, doc_type, received_at,
               pii, title, original_name, source_uri, detail
        FROM submissions
        WHERE status = 'accepted' AND unit_code = :unit AND period LIKE :year || '%'
          AND doc_type = 'info_report'
        ORDER BY id DESC LIMIT 50;
        SELECT count(*) FROM submissions
        WHERE status = 'accepted' AND unit_code = :unit AND period LIKE :year || '%'
          AND doc_type = 'info_report'""",
    "list: needs_review, newest 50 of the province": """
        SELECT id, source_path, sha256, status, reason, unit_code, period, doc_type, received_at,
               pii, title, original_name, source_uri, detail
        FROM submissions WHERE status = 'needs_review' ORDER BY id DESC LIMIT 50;
        SELECT count(*) FROM submissions WHERE status = 'needs_review'""",
    "unit: one unit's year": """
        SELECT id, source_path, sha256, status, reason, unit_code, period, doc_type, received_at,
               pii, title, original_name, source_uri, detail
        FROM submissions WHERE unit_code = :unit AND period LIKE :year || '%'
        ORDER BY id DESC LIMIT 500""",
    "audit: completeness aggregate of a year": """
        SELECT unit_code, doc_type, period, count(DISTINCT sha256),
               count(DISTINCT sha256) FILTER (WHERE received_at < :deadline)
        FROM submissions WHERE status = 'accepted' AND period LIKE :year || '%'
        GROUP BY unit_code, doc_type, period""",
}

CANDIDATES = {
    "ix_submissions_status_id": "CREATE INDEX ix_submissions_status_id ON submissions (status, id)",
    "ix_submissions_period_accepted": (
        "CREATE INDEX ix_submissions_period_accepted ON submissions (period) "
        "INCLUDE (unit_code, doc_type, sha256, received_at) WHERE status = 'accepted'"),
}


def best(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def populate(url: str, n: int, n_units: int) -> dict:
    from archive.models import Unit
    from archive.store import Archive
    from schemas.settings import Settings

    archive = Archive(Settings(database_url=url))
    units = make_units(n_units)
    engine = create_engine(url)
    t = time.perf_counter()
    with engine.begin() as c:
        c.execute(text("DELETE FROM units"))
        c.execute(insert(Unit), units)
        c.execute(text("CREATE TABLE bench_units AS SELECT row_number() OVER (ORDER BY code) - 1 AS i,"
                       " code FROM units WHERE level <> 'district'"))
        c.execute(text("CREATE UNIQUE INDEX ON bench_units (i)"))
        c.execute(text("SELECT setseed(0.13)"))
        c.execute(text(GENERATE), {"kinds": KINDS, "nkinds": len(KINDS), "nunits": n_units - 1,
                                   "n": n})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM ANALYZE submissions"))
        size = c.execute(text("SELECT pg_size_pretty(pg_total_relation_size('submissions'))")).scalar()
    archive.refresh_registry()
    busiest = _busiest_unit(engine)
    print(f"generated {n:,} submissions over {n_units:,} units in {time.perf_counter() - t:.1f} s;"
          f" table + indexes {size}")
    return {"archive": archive, "engine": engine, "unit": busiest}


def _busiest_unit(engine) -> str:  # noqa: ANN001
    with engine.connect() as c:
        return c.execute(text("SELECT unit_code FROM submissions WHERE period LIKE :y || '%' "
                              "GROUP BY unit_code ORDER BY count(*) DESC LIMIT 1"),
                         {"y": str(YEAR)}).scalar()


def project_calls(ctx: dict) -> dict[str, Callable[[], object]]:
    """What the faces run for each question: the web's document page (archive.queries_scoped,
    as an admin sees it) and the completeness audit (flows.analysis)."""
    from archive.queries_scoped import DocumentFilter, document_page
    from archive.scope import Viewer
    from flows.analysis import completeness_for_year

    archive, unit, year = ctx["archive"], ctx["unit"], str(YEAR)
    admin = Viewer("bench", "admin", None)

    def page(f: DocumentFilter, size: int = PAGE) -> Callable[[], list[dict]]:
        return lambda: document_page(archive, admin, f, 1, size)[0]

    as_of = datetime(YEAR + 1, 3, 1, tzinfo=UTC)
    return {
        "list: one unit, year, type, page of 50":
            page(DocumentFilter(status="accepted", unit=unit, period=year, doc_type="info_report")),
        "list: needs_review, newest 50 of the province": page(DocumentFilter(status="needs_review")),
        "unit: one unit's year": page(DocumentFilter(unit=unit, period=year), size=500),
        "audit: completeness aggregate of a year":
            lambda: completeness_for_year(archive, YEAR, as_of=as_of, force=True).rows,
    }


def floors(ctx: dict, repeat: int) -> dict[str, tuple[float, int]]:
    """Each floor's statements (a page and its count are two), best of `repeat`; rows of the first."""
    params = {"unit": ctx["unit"], "year": str(YEAR), "deadline": f"{YEAR + 1}-02-01"}
    out = {}
    with ctx["engine"].connect() as c:
        for name, sql in FLOORS.items():
            def run(sql: str = sql) -> list:
                return [c.execute(text(part), params).all() for part in sql.split(";")][0]
            secs, rows = best(run, repeat)
            out[name] = (secs, len(rows))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--submissions", type=int, default=1_000_000)
    ap.add_argument("--units", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ingest", type=int, default=400, help="documents for the ingest scaling")
    ap.add_argument("--only", choices=("queries", "ingest", "dask"))
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="fulian-bench-scale-"))
    quiet_prefect_env(tmp / "prefect")
    os.environ["FULIAN_HOME"] = str(tmp / "home")
    if args.only in (None, "queries"):
        queries(args)
    if args.only in (None, "ingest", "dask"):
        with prefect_server(tmp / "prefect"):
            if args.only != "dask":
                ingest_scaling(tmp, args.ingest)
            if args.only != "ingest":
                dask_scaling(tmp, args.ingest)


def queries(args: argparse.Namespace) -> None:
    with pg_database("fulian_bench_scale") as url:
        ctx = populate(url, args.submissions, args.units)
        base = floors(ctx, args.repeat)
        print(f"\nbusiest unit of {YEAR}: {ctx['unit']}")
        print(f"{'question':48} {'floor s':>8} {'rows':>7} {'project s':>10} {'ratio':>7}")
        for name, call in project_calls(ctx).items():
            secs, rows = best(call, args.repeat)
            floor, n = base[name]
            print(f"{name:48} {floor:8.3f} {n:7d} {secs:10.3f} {secs / floor:6.1f}x   ({len(rows)} rows)")
        index_effects(ctx, base, args.repeat)
        ctx["archive"].close()
        ctx["engine"].dispose()


def index_effects(ctx: dict, base: dict, repeat: int) -> None:
    """Each candidate index alone: the floors without it against with it (one the schema
    already has is dropped for the measurement and built again)."""
    print("\nfloors without -> with each candidate index (s; the other indexes stay):")
    engine = ctx["engine"]
    for name, ddl in CANDIDATES.items():
        with engine.connect() as c:
            present = c.execute(text("SELECT 1 FROM pg_indexes WHERE indexname = :n"),
                                {"n": name}).first() is not None
        if present:
            _ddl(engine, f"DROP INDEX {name}")
            without = floors(ctx, repeat)
        t = time.perf_counter()
        _ddl(engine, ddl)
        built = time.perf_counter() - t
        with_it = base if present else floors(ctx, repeat)
        if not present:
            without = base
            _ddl(engine, f"DROP INDEX {name}")
        print(f"  {name} ({'in the schema' if present else 'candidate'}; built in {built:.1f} s):")
        for q in base:
            print(f"    {q:48} {without[q][0]:8.3f} -> {with_it[q][0]:8.3f}")


def _ddl(engine, sql: str) -> None:  # noqa: ANN001
    with engine.begin() as c:
        c.execute(text(sql))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("ANALYZE submissions"))


HEADER = (f"{'extraction':>16} {'docs/s':>8} {'ratio':>6} {'batches':>8} {'writer s':>9} "
          f"{'share':>6} {'hold mean/max s':>16}")


def ingest_scaling(tmp: Path, n: int) -> None:
    """The ingest flow with 1, 2, 4 extraction processes; the writer's hold per batch."""
    folder, paths, holds = _corpus(tmp, n)
    print(f"\ningest of {len(paths)} generated documents into PostgreSQL, batches of "
          f"{os.environ.setdefault('FULIAN_BATCH_SIZE', '50')}; ratio against 1 local process:")
    print(HEADER)
    base = None
    for workers in (1, 2, 4):
        os.environ["FULIAN_WORKERS"] = str(workers)
        _warm_pool(workers, paths[0])
        base = _measured(f"local x{workers}", folder, len(paths), holds, base)


def dask_scaling(tmp: Path, n: int) -> None:
    """The same ingest with extraction on a loopback Dask cluster of 1, 2 and 4 workers (one
    process each, through prefect-dask's DaskTaskRunner); the floor, measured first in the same
    run, is this machine's pool with one process and no Dask."""
    from bench._common import dask_cluster

    folder, paths, holds = _corpus(tmp, n)
    print(f"\ningest of {len(paths)} generated documents into PostgreSQL, batches of "
          f"{os.environ.setdefault('FULIAN_BATCH_SIZE', '50')}, extraction on a Dask cluster; "
          "ratio against the floor (1 local process, no Dask):")
    print(HEADER)
    os.environ["FULIAN_WORKERS"] = "1"
    _warm_pool(1, paths[0])
    floor = _measured("floor: local x1", folder, len(paths), holds, None)
    for workers in (1, 2, 4):
        names = [f"w{i}" for i in range(workers)]
        with dask_cluster(names, tmp / "dask-logs" / str(workers)) as (address, _):
            _warm_cluster(address, paths[0])
            os.environ["FULIAN_DASK_ADDRESS"] = address
            try:
                _measured(f"dask x{workers}", folder, len(paths), holds, floor)
            finally:
                del os.environ["FULIAN_DASK_ADDRESS"]


def _corpus(tmp: Path, n: int) -> tuple[Path, list[Path], list[float]]:
    from fulian.samples import generate_bulk

    folder = tmp / "corpus"
    paths = sorted(folder.rglob("*.*")) if folder.exists() else generate_bulk(folder, n, 7)
    return folder, paths, _time_writer()


def _measured(label: str, folder: Path, n: int, holds: list[float], base: float | None) -> float:
    """One ingest on a fresh database; prints its row, returns its rate (docs/s)."""
    holds.clear()
    with pg_database("fulian_bench_scale_ingest") as url:
        os.environ["FULIAN_DATABASE_URL"] = url
        secs = _one_ingest(folder)
    rate = n / secs
    per_batch = holds[1:]  # the first writer transaction registers the unit registry
    total = sum(per_batch)
    print(f"{label:>16} {rate:8.1f} {rate / (base or rate):6.2f} {len(per_batch):8d} {total:9.2f} "
          f"{total / secs:6.1%} {total / max(1, len(per_batch)):7.3f}/{max(per_batch, default=0):.3f}",
          flush=True)
    return rate


def _warm_cluster(address: str, sample: Path) -> None:
    """Every Dask worker starts its pool (the one extract-batch will use) and pays its imports."""
    from distributed import Client

    data = sample.read_bytes()

    def warm() -> int:
        from flows.extraction import Limits
        from flows.pool import ExtractPool
        from schemas.settings import Settings

        s = Settings()
        limits = Limits.of(s)
        pool = ExtractPool(s.workers, limits.timeout, limits.memory_mb, limits.ocr_pages)
        return len(pool.run([(data, {"name": sample.name}, "0" * 64, sample.suffix[1:])] * 2))

    with Client(address, timeout=30) as client:
        client.run(warm)


def _warm_pool(workers: int, sample: Path) -> None:
    """Start the pool's processes and pay their imports before the clock runs."""
    from flows.pool import ExtractPool

    pool = ExtractPool(workers, 120.0)
    pool.run([(sample.read_bytes(), {"name": sample.name}, "0" * 64, sample.suffix[1:])
              for _ in range(workers * 2)])


def _one_ingest(folder: Path) -> float:
    """Seconds of one ingest run up to the archive (the later stages are left out)."""
    import flows.ingest
    from flows.ingest import ingest

    flows.ingest.after_ingest = lambda rt, rows: {}  # quality and completeness: not ingest

    start = time.perf_counter()
    result = ingest(paths=[str(folder)])
    secs = time.perf_counter() - start
    bad = {k: v for k, v in result["counts"].items() if k not in ("accepted", "needs_review")}
    if bad:
        print(f"  (statuses besides accepted/needs_review: {bad})")
    return secs


_HOLDS: list[list[float]] = []


def _time_writer() -> list[float]:
    """Seconds from BEGIN to COMMIT of every `Database.writer` transaction (the audit chain's lock)."""
    from contextlib import contextmanager

    from archive.db import Database

    if _HOLDS:  # wrapped already (ingest then dask in one run)
        return _HOLDS[0]
    holds: list[float] = []
    _HOLDS.append(holds)
    original = Database.writer

    @contextmanager
    def timed(self):  # noqa: ANN001, ANN202
        start = time.perf_counter()
        with original(self) as session:
            yield session
        holds.append(time.perf_counter() - start)

    Database.writer = timed  # type: ignore[method-assign]
    return holds


if __name__ == "__main__":
    main()
