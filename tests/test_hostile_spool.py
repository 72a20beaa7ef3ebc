"""Issue 14: truncated uploads leave no `.tmp-*` files in the spool forever."""

from __future__ import annotations

import os
import time
from pathlib import Path

from connectors.spool import TMP_PREFIX, SpoolConnector, sweep_stale
from schemas.units import load_registry


def test_stale_partial_uploads_are_swept_fresh_ones_kept(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    old, fresh = spool / f"{TMP_PREFIX}abc", spool / f"{TMP_PREFIX}def"
    old.write_bytes(b"half an upload")
    fresh.write_bytes(b"an upload being written")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    assert SpoolConnector(spool, load_registry()).scan() == []
    assert not old.exists() and fresh.exists()
    assert sweep_stale(spool, older_than=0) == 1 and not fresh.exists()
