"""Benchmark: the completeness audit of one year on PostgreSQL.

2,000 units (100 streets, 1,800 communities, 50 两新 organisations, 49 member units) and
50,000 counting submissions in a throwaway database; prints seconds for the whole audit
(query, audit, snapshot with audit event) against a single SQL aggregate floor measured
in the same run.

    .venv/bin/python bench/completeness.py [--units 2000] [--submissions 50000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

# as a script, bench/ comes first on sys.path and bench/quality.py would hide the package
sys.path[0] = str(Path(__file__).resolve().parents[1])

import numpy as np  # noqa: E402
from sqlalchemy import create_engine, insert, text  # noqa: E402

ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def make_units(n: int) -> list[dict]:
    streets, members, two_new = n // 20, n // 40, n // 40
    communities = n - 1 - streets - members - two_new
    units = [{"code": "d", "name": "区妇联", "level": "district", "parent_code": None}]
    units += [{"code": f"s{i}", "name": f"第{i}街道妇联", "level": "street", "parent_code": "d"}
              for i in range(streets)]
    units += [{"code": f"c{i}", "name": f"第{i}社区妇联", "level": "community",
               "parent_code": f"s{i % streets}"} for i in range(communities)]
    units += [{"code": f"t{i}", "name": f"第{i}公司妇委会", "level": "two_new", "parent_code": "d"}
              for i in range(two_new)]
    units += [{"code": f"m{i}", "name": f"第{i}局", "level": "member_unit", "parent_code": "d"}
              for i in range(members)]
    now = datetime.now(UTC).isoformat()
    return [{**u, "aliases": [], "confirmed": True, "created_at": now} for u in units]


def make_submissions(units: list[dict], n: int, rng: np.random.Generator) -> list[dict]:
    codes = np.array([u["code"] for u in units[1:]])[rng.integers(0, len(units) - 1, n)]
    kinds = np.array(["info_report"] * 6 + ["work_summary", "parent_school_record",
                                             "petition_report", "two_plans_statistics"])
    types = kinds[rng.integers(0, len(kinds), n)]
    month = rng.integers(1, 13, n)
    start = datetime(2013, 1, 1, tzinfo=UTC).timestamp()
    received = start + rng.integers(0, 400 * 86400, n)
    rows = []
    for i in range(n):
        t = types[i]
        period = (f"2013-{month[i]:02d}" if t == "info_report" else
                  f"2013-Q{(month[i] - 1) // 3 + 1}" if t == "petition_report" else "2013")
        rows.append({"receipt": uuid.uuid4().hex, "source": "bench", "source_uri": f"bench:{i}",
                     "source_path": f"{i}.docx", "original_name": f"{i}.docx",
                     "received_at": datetime.fromtimestamp(received[i], UTC).isoformat(timespec="seconds"),
                     "ingested_at": "2014-01-01T00:00:00+00:00", "size": 1, "sha256": f"{i:064x}",
                     "status": "accepted", "unit_code": codes[i], "period": period, "doc_type": t,
                     "correction": False, "pii": False})
    return rows


FLOOR_SQL = """
SELECT unit_code, doc_type, period, count(DISTINCT sha256),
       count(DISTINCT sha256) FILTER (WHERE received_at < '2014-02-01')
FROM submissions WHERE status = 'accepted' AND period LIKE '2013%'
GROUP BY unit_code, doc_type, period
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=2000)
    ap.add_argument("--submissions", type=int, default=50_000)
    args = ap.parse_args()
    name = f"fulian_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        run(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", args)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def run(url: str, args: argparse.Namespace) -> None:
    os.environ["FULIAN_DATABASE_URL"] = url
    os.environ["FULIAN_HOME"] = tempfile.mkdtemp(prefix="fulian-bench-")
    from archive.models import Submission, Unit
    from archive.store import Archive
    from flows.analysis import completeness_for_year
    from schemas.settings import Settings

    archive = Archive(Settings())
    units = make_units(args.units)
    subs = make_submissions(units, args.submissions, np.random.default_rng(0))
    with archive.db.writer() as s:
        s.execute(text("DELETE FROM units"))
        s.execute(insert(Unit), units)
        s.execute(insert(Submission), subs)
    archive.refresh_registry()
    engine = create_engine(url)
    with engine.connect() as c:
        c.execute(text("ANALYZE"))
        t = time.perf_counter()
        floor_rows = len(c.execute(text(FLOOR_SQL)).all())
        floor = time.perf_counter() - t
    as_of = datetime(2014, 3, 1, tzinfo=UTC)
    timings = []
    for _ in range(3):
        t = time.perf_counter()
        outcome = completeness_for_year(archive, 2013, as_of=as_of, force=True)
        timings.append(time.perf_counter() - t)
    best = min(timings)
    print(f"units {len(units)}, submissions {len(subs)}, audit rows {len(outcome.rows)}")
    print(f"floor (one SQL aggregate, {floor_rows} groups): {floor:.3f} s")
    print(f"audit (query + audit + snapshot), best of 3: {best:.3f} s  = {best / floor:.1f}x floor")
    print("statuses:", outcome.rows["status"].value_counts().to_dict())


if __name__ == "__main__":
    main()
