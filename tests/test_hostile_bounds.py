"""Issue 14: memory and time have hard limits, through the real ingest flow.

A sparse xlsx declaring a million rows × 16k columns is refused before any reader builds
it; a tiny PDF with one 14,400 pt page is rendered within the OCR pixel budget; a long
scan is OCR'd up to `ocr_max_pages` and the file waits for review (`ocr_incomplete`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fulian.samples import hostile
from tests.hostile import assert_accounted, write_batch
from tests.test_hostile_pool import _rows
from tests.test_ingest_flow import run_ingest

pytestmark = pytest.mark.xdist_group("prefect")


def test_sparse_sheet_huge_page_and_long_scan_are_bounded(prefect_api: str, sqlite_home: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FULIAN_OCR_MAX_PAGES", "2")
    drop = tmp_path / "drop"
    bad = {"稀疏的台账.xlsx": hostile.sparse_xlsx(), "巨大页面.pdf": hostile.huge_page_pdf(),
           "很长的扫描件.pdf": hostile.many_page_scan(4)}
    good = write_batch(drop, bad)
    run_ingest(prefect_api, drop)
    by = assert_accounted(_rows(sqlite_home), good, {
        "稀疏的台账.xlsx": {"too_large"},
        "巨大页面.pdf": {"unit_unknown", "period_unknown"},  # nothing on it, read within limits
        "很长的扫描件.pdf": {"ocr_incomplete"}})
    sheet = next(r for p, r in by.items() if p.endswith("稀疏的台账.xlsx"))
    assert "1048576 rows × 16384 columns" in sheet["detail"]


def test_sheet_extent_is_found_across_chunk_boundaries() -> None:
    import io

    from extract.readers.sheet_extent import sheet_extent

    cells = b"".join(b'<c r="B%d"><v>1</v></c>' % r for r in range(2, 60000))
    xml = b"<sheetData>" + cells + b'<c r="AA70000"/></sheetData>'
    assert sheet_extent(io.BytesIO(xml)) == (70000 - 2 + 1, 27 - 2 + 1)
