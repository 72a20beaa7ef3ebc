"""Issue 14: the main process never holds a batch's inflated ZIP members at once. Members are
streamed to scratch files; the worker reads a member itself; the blob store copies the file.

Measured in a subprocess with tracemalloc (Python allocations: where member bytes would be
held), around the same calls the ingest task makes: read, unpack, extract, store, record.
"""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from fulian.samples.hostile import good_docx
from tests.conftest import ROOT

MEMBERS, MEMBER_SIZE = 8, 16 << 20  # 128 MB inflated from ≈2 MB (ratio well under the bomb limit)

SCRIPT = r"""
import json, sys, tracemalloc
from pathlib import Path
from archive.intake import record_batch, store_blobs
from archive.queries import archived_contents
from archive.store import Archive
from connectors.folder import PathsConnector
from flows.pool import ExtractPool
from flows.prepare import collect_batch, submit_batch
from schemas.settings import Settings

settings = Settings()
archive = Archive(settings)
pool = ExtractPool(1, 120)
items = PathsConnector([Path(sys.argv[1])], archive.registry).scan()
tracemalloc.start()
sent = submit_batch(items, settings, pool, lambda s: archived_contents(archive, s), archive.registry)
batch = collect_batch(sent, pool)
received = batch.ready
store_blobs(archive.blobs, received)
with archive.db.writer() as session:
    outcomes = record_batch(session, archive.audit(session), received, "t")
peak = tracemalloc.get_traced_memory()[1]
scratch = [str(p) for p in (settings.home_dir / "unpacked").rglob("*") if p.is_file()]
batch.discard()
left = [str(p) for p in (settings.home_dir / "unpacked").rglob("*") if p.is_file()]
by = {r.source_path: o.status for r, o in zip(sorted(received, key=lambda r: (r.received_at, r.source_path)), outcomes)}
print(json.dumps({"peak": peak, "statuses": by, "scratch": len(scratch), "left": left}))
"""


def _package() -> bytes:
    rng = random.Random(14)
    block = rng.randbytes(16 << 10)  # repeats within deflate's window: ≈80:1
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(MEMBERS):
            zf.writestr(f"数据/原始数据{i}.bin", block * (MEMBER_SIZE // len(block)))
        for i, street in enumerate(["解放路", "千佛山"]):
            name, data = good_docx(street, i + 1)
            zf.writestr(f"{street}街道妇联/{name}", data)
    return buf.getvalue()


@pytest.mark.slow
def test_inflated_members_are_never_held_at_once(tmp_path: Path) -> None:
    drop, home = tmp_path / "drop", tmp_path / "home"
    drop.mkdir()
    (drop / "材料打包.zip").write_bytes(package := _package())
    name, data = good_docx("趵突泉", 3)
    (drop / name).write_bytes(data)
    inflated = MEMBERS * MEMBER_SIZE
    assert len(package) < inflated / 50
    env = {**os.environ, "FULIAN_HOME": str(home), "FULIAN_DATABASE_URL": f"sqlite:///{home / 'f.db'}"}
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(drop)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    statuses = out["statuses"]
    assert len(statuses) == 1 + 1 + MEMBERS + 2  # the package, the loose file, every member
    assert statuses[name] == "accepted"
    assert [s for p, s in statuses.items() if p.endswith(".docx")] == ["accepted"] * 3
    assert all(s == "rejected" for p, s in statuses.items() if p.endswith(".bin"))
    assert out["scratch"] == MEMBERS + 2 and out["left"] == []  # streamed to disk, then removed
    # one member's bytes (read to digest and sniff) and the package, not all eight members
    assert out["peak"] < inflated / 3, f"peak {out['peak'] >> 20} MB of {inflated >> 20} MB inflated"


def test_a_member_sent_to_another_machine_travels_as_bytes(tmp_path: Path) -> None:
    """On a Dask cluster the worker may be another machine: a scratch copy cannot be a path."""
    from archive.intake import Received
    from flows.batch import Batch

    member = tmp_path / "000001"
    member.write_bytes(b"%PDF-1.4 member")
    rec = Received("r", "folder", "file:///p.zip!/a.pdf", "p.zip/a.pdf", "a.pdf", "2013-12-01T00:00:00",
                   15, "0" * 64, "0" * 64, path=member, kind="pdf")
    batch = Batch([], [rec], todo=[0], scratch=str(tmp_path))
    sent = batch.for_extraction()
    assert sent.ready[0].data == b"%PDF-1.4 member" and sent.ready[0].path is None
    assert rec.data is None  # the run itself still holds only the path
    batch.discard()
    assert not tmp_path.exists()
