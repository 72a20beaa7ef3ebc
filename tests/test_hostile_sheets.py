"""Issue 14: .xls and .ods are measured before any reader builds their sheets, like .xlsx.

calamine builds the rectangle from the first to the last cell, and expands an .ods's repeated
rows and cells: a 6 KB .xls with cells in A1 and IV65536 took 1.2 GB, an .ods of a few
hundred bytes repeating one number 2,000 × 2,000 times 258 MB. They are refused `too_large`
from their records (xls) or a streamed scan of content.xml (ods), in a batch of good files.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

import pytest

from extract.readers.sheet_extent import check_ods_extent, check_xls_extent
from fulian.samples import hostile
from schemas.extraction import ExtractError
from tests.hostile import assert_accounted, write_batch
from tests.test_hostile_pool import _rows
from tests.test_ingest_flow import run_ingest

SHEETS = {"稀疏的台账.xls": hostile.sparse_xls, "虚报尺寸的台账.xls": hostile.declared_xls,
          "重复单元格.ods": hostile.repeated_ods}


@pytest.mark.xdist_group("prefect")
def test_hostile_xls_and_ods_are_refused_in_a_batch_of_good_files(prefect_api: str, sqlite_home: Path,
                                                                   tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    good = write_batch(drop, {name: make() for name, make in SHEETS.items()})
    run_ingest(prefect_api, drop)
    by = assert_accounted(_rows(sqlite_home), good, {name: {"too_large"} for name in SHEETS})
    details = {name: next(r for p, r in by.items() if p.endswith(name))["detail"] for name in SHEETS}
    assert "65536 rows × 256 columns" in details["稀疏的台账.xls"]
    assert "65536 rows × 256 columns" in details["虚报尺寸的台账.xls"]
    assert "1048577 rows × 16384 columns" in details["重复单元格.ods"]


def test_xls_cells_are_measured_even_when_the_declared_size_is_small() -> None:
    lying = hostile.set_xls_dimensions(hostile.sparse_xls(), 1, 1)
    with pytest.raises(ExtractError, match=r"sheet 1 spans 65536 rows × 256 columns"):
        check_xls_extent(lying)


def test_ods_content_over_the_size_limit_is_refused_unread() -> None:
    with pytest.raises(ExtractError, match="content.xml inflates"):
        check_ods_extent(hostile.repeated_ods(), max_xml=500)


def test_ordinary_sheets_pass(tmp_path: Path) -> None:
    """What real writers make: xlwt's .xls, and LibreOffice's .ods, which ends every sheet with
    a million repeated empty rows (those are not cells)."""
    from fulian.samples.bad import sample_sheet
    from fulian.samples.legacy import soffice_convert
    from fulian.samples.office import write_xls, write_xlsx

    check_xls_extent(write_xls(tmp_path / "a.xls", sample_sheet()).read_bytes())
    check_ods_extent(hostile.repeated_ods(rows=2000, cols=2000))  # 4 million: under the limit
    soffice_convert([write_xlsx(tmp_path / "b.xlsx", sample_sheet())], "ods", tmp_path)
    ods = (tmp_path / "b.ods").read_bytes()
    check_ods_extent(ods)
    assert b"number-rows-repeated" in zipfile.ZipFile(io.BytesIO(ods)).read("content.xml")


def test_a_damaged_xls_prints_nothing(capfd: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """xlrd's warnings went to the worker's stdout, that is the terminal of `fulian nightly`."""
    from extract.readers.sheet_reader import read_sheets
    from fulian.samples.bad import sample_sheet
    from fulian.samples.office import write_xls

    data = write_xls(tmp_path / "a.xls", sample_sheet()).read_bytes() + b"\0" * 7  # not whole sectors
    with contextlib.suppress(ExtractError):  # damaged or not, it may be read: only the output counts
        read_sheets(data, "xls")
    out, err = capfd.readouterr()
    assert out == "" and err == ""
