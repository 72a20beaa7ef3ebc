"""Issue 14, most severe class: one bad file must never poison its batch's worker pool.

Each trigger below once made its worker send back an exception the parent could not
unpickle; pebble then failed every other file of the batch ("BrokenProcessPool"). Each
is fed to the real ingest flow in a batch of good files.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fulian.samples import hostile
from tests.hostile import assert_accounted, write_batch
from tests.test_ingest_flow import run_ingest

pytestmark = pytest.mark.xdist_group("prefect")

EXPECT = {  # trigger -> reason codes it may get (each is rejected or needs review)
    "格式错误的总结.docx": {"corrupt"},
    "实体炸弹.docx": {"corrupt"},
    "循环引用.pdf": {"corrupt"},
    "图片炸弹.png": {"archive_bomb", "too_large"},
    "超长字段.csv": {"unit_unknown", "period_unknown"},  # read as text lines, not lost
    "无法转换.doc": {"corrupt"},
}


def _rows(home: Path) -> list[dict]:
    from archive.queries import submissions
    from archive.store import Archive
    from schemas.settings import Settings

    return submissions(Archive(Settings()))


@pytest.mark.parametrize("trigger", list(hostile.POISON))
def test_poison_file_costs_no_good_file(trigger: str, prefect_api: str, sqlite_home: Path,
                                        tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    good = write_batch(drop, {trigger: hostile.POISON[trigger]()})
    started = time.monotonic()
    result = run_ingest(prefect_api, drop)
    assert time.monotonic() - started < 300
    by = assert_accounted(_rows(sqlite_home), good, {trigger: EXPECT[trigger]})
    bad = next(r for p, r in by.items() if p.endswith(trigger))
    assert "BrokenProcessPool" not in (bad["detail"] or "")
    assert sum(result["counts"].values()) == len(good) + 1


def test_every_trigger_in_one_batch(prefect_api: str, sqlite_home: Path, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    good = write_batch(drop, {n: make() for n, make in hostile.POISON.items()}, goods=6)
    run_ingest(prefect_api, drop)
    assert_accounted(_rows(sqlite_home), good, EXPECT)


def test_a_pool_that_breaks_mid_batch_is_replaced_and_its_files_run_again() -> None:
    """Whatever breaks the pool (a result that cannot cross, a killed manager), the files it
    took down are run again one at a time in a fresh pool."""
    from flows.pool import ExtractPool
    from schemas.extraction import Extraction

    pool = ExtractPool(2, 60)
    jobs = [(hostile.good_docx(s, i)[1], {"name": f"{i}.docx"}, f"{i:064x}", "docx")
            for i, s in enumerate(["解放路", "千佛山", "趵突泉"])]
    queued = pool.submit(jobs)
    pool.pool.stop()  # the pool dies under the batch
    before = pool.restarts
    results = pool.collect(queued)
    assert all(isinstance(r, Extraction) for r in results), results
    assert pool.restarts > before and pool.pool.active


def test_extract_error_survives_pickling() -> None:
    import pickle

    from schemas.extraction import ExtractError

    back = pickle.loads(pickle.dumps(ExtractError("corrupt", "docx reader failed")))
    assert (back.reason, back.message) == ("corrupt", "docx reader failed")
