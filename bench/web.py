"""Benchmark: the web face's document list and Chinese full-text search over many submissions.

Fills a throwaway archive (SQLite file, then a throwaway PostgreSQL database) with
N accepted submissions, each with an extraction of ~120 Chinese characters, then
times requests through the real app (FastAPI in-process, a logged-in archivist and
a unit user, scope, templates, audit-free list pages) against the bare SQL of the
same page measured in the same run (the floor).

    .venv/bin/python bench/web.py [--submissions 100000] [--requests 60] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])

import numpy as np  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from bench._common import pg_database  # noqa: E402

WORDS = ["妇女", "儿童", "家庭教育", "培训", "维权", "春蕾", "巾帼", "志愿服务", "创业", "就业", "讲座",
         "社区", "关爱", "留守", "帮扶", "宣传", "健康", "法律", "调解", "心理", "活动", "儿童之家",
         "三八红旗手", "最美家庭", "招聘会", "技能", "困难母亲", "慰问", "普法", "读书"]
QUERIES = {"list": {}, "list_unit": {"unit": "s3"}, "search_3plus": {"text": "困难母亲"},
           "search_rare": {"text": "专场招聘"}, "search_2": {"text": "春蕾"}}


def fill(archive, n: int, rng: np.random.Generator) -> None:  # noqa: ANN001
    from archive.models import Extraction, Submission, Unit

    streets = [{"code": f"s{i}", "name": f"第{i}街道妇联", "level": "street", "parent_code": None,
                "aliases": [], "confirmed": True, "created_at": "2014-01-01"} for i in range(13)]
    codes = np.array([u["code"] for u in streets])[rng.integers(0, 13, n)]
    words = np.array(WORDS)
    batch = 10_000
    with archive.db.writer() as s:
        s.execute(insert(Unit), streets)
        for start in range(0, n, batch):
            subs, exts = [], []
            for i in range(start, min(n, start + batch)):
                body = "。".join("".join(words[rng.integers(0, len(WORDS), 4)]) for _ in range(8))
                if i % 997 == 0:
                    body += "。举办妇女专场招聘会"
                subs.append({"id": i + 1, "receipt": f"r{i}", "source": "bench", "source_uri": f"bench:{i}",
                             "source_path": f"{codes[i]}/{i}.docx", "original_name": f"{i}.docx",
                             "received_at": datetime.fromtimestamp(1.36e9 + i * 300, UTC).isoformat(),
                             "ingested_at": "2014-01-01", "size": 1, "sha256": f"{i:064x}",
                             "status": "accepted", "unit_code": codes[i], "period": "2013",
                             "doc_type": "work_summary", "correction": False, "pii": False,
                             "title": f"{i}号工作总结"})
                exts.append({"id": i + 1, "submission_id": i + 1, "sha256": f"{i:064x}",
                             "extractor_version": "bench", "created_at": "2014-01-01", "pii": False,
                             "payload": {}, "text": body})
            s.execute(insert(Submission), subs)
            s.execute(insert(Extraction), exts)


def timed(fn: Callable[[], object], n: int) -> tuple[float, float]:
    """(requests per second, p95 ms) of n calls after one warm-up."""
    fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    p95 = statistics.quantiles(times, n=20)[-1] * 1000
    return n / sum(times), p95


def run(url: str, args: argparse.Namespace) -> None:
    os.environ["FULIAN_DATABASE_URL"] = url
    os.environ["FULIAN_HOME"] = tempfile.mkdtemp(prefix="fulian-bench-web-")
    from fastapi.testclient import TestClient

    from archive import queries_scoped as q
    from archive.accounts import add_user
    from archive.scope import Viewer
    from archive.store import Archive
    from fulian.web.app import create_app
    from schemas.settings import Settings
    from tests.web_site import PASSWORD, log_in

    archive = Archive(Settings())
    t = time.perf_counter()
    fill(archive, args.submissions, np.random.default_rng(0))
    with archive.db.writer() as s:
        log = archive.audit(s)
        add_user(s, log, "arch", PASSWORD, "archivist")
        add_user(s, log, "unit3", PASSWORD, "unit", "s3")
        log.flush()
        s.execute(text("ANALYZE"))
    print(f"{archive.db.dialect}: {args.submissions} submissions filled and indexed in "
          f"{time.perf_counter() - t:.0f} s")
    for user, viewer in (("arch", Viewer("arch", "archivist")),
                         ("unit3", Viewer("unit3", "unit", frozenset({"s3"})))):
        web = TestClient(create_app(Settings()))
        assert log_in(web, user).status_code == 200
        for label, params in QUERIES.items():
            f = q.DocumentFilter(**params)
            rows, total = q.document_page(archive, viewer, f, 1, 50)
            floor_rps, floor_p95 = timed(lambda f=f, v=viewer: q.document_page(archive, v, f, 1, 50),
                                         args.requests)
            rps, p95 = timed(lambda p=params, w=web: w.get("/submissions", params=p).raise_for_status(),
                             args.requests)
            print(f"  {user:6} {label:13} matches {total:6}: page {rps:6.1f} req/s p95 {p95:6.1f} ms"
                  f" | bare query {floor_rps:6.1f} q/s p95 {floor_p95:6.1f} ms")
    archive.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--submissions", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=60)
    ap.add_argument("--only", choices=("sqlite", "postgresql"))
    args = ap.parse_args()
    if args.only != "postgresql":
        home = tempfile.mkdtemp(prefix="fulian-bench-web-db-")
        run(f"sqlite:///{home}/fulian.db", args)
    if args.only != "sqlite":
        with pg_database("fulian_bench_web") as url:
            run(url, args)


if __name__ == "__main__":
    main()
