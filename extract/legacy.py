"""Convert legacy and foreign office formats with LibreOffice, many files per call.

Starting soffice costs about a second; converting one more file in the same call costs
tens of milliseconds. So `convert_many` hands a whole batch to one headless soffice,
watches its progress (it writes outputs in input order) and, if it stalls on one file,
kills it, marks that file `timeout` and carries on with the rest in a fresh call.

Each process uses its own LibreOffice profile: two soffice instances sharing a profile
hand work to each other or wait on its lock.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from extract.lifeline import guarded
from schemas.extraction import ExtractError

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice") or "soffice"
STARTUP_GRACE = 20.0  # seconds for soffice to start before the per-file clock runs
_profiles: set[str] = set()
_lock = threading.Lock()  # one soffice per process: the profile is per process


def profile_url() -> str:
    path = f"/tmp/fulian-lo-{os.getpid()}"
    if path not in _profiles:  # removed when this process exits; kept for its later calls
        _profiles.add(path)
        atexit.register(shutil.rmtree, path, True)
    return f"file://{path}"


def convert(data: bytes, source_ext: str, target_ext: str, timeout: float = 60.0) -> bytes:
    """Convert one file; raises ExtractError (corrupt, timeout, unsupported)."""
    result = convert_many([(data, source_ext)], target_ext, timeout)[0]
    if isinstance(result, ExtractError):
        raise result
    return result


def convert_many(items: list[tuple[bytes, str]], target_ext: str,
                 timeout: float = 60.0) -> list[bytes | ExtractError]:
    """Convert (bytes, source extension) items to `target_ext` ("docx", "xlsx").

    `timeout` is how long one file may take; results come back in input order, each
    the converted bytes or an ExtractError for that file alone.
    """
    results: list[bytes | ExtractError | None] = [None] * len(items)
    if not items:
        return []
    if not shutil.which(SOFFICE):
        err = ExtractError("unsupported", "LibreOffice (soffice) is not installed")
        return [err] * len(items)
    with _lock, tempfile.TemporaryDirectory(prefix="fulian-conv-") as tmp:
        pending = list(range(len(items)))
        retried: set[int] = set()
        while pending:
            pending = _run_batch(items, pending, target_ext, timeout, Path(tmp), results, retried)
    return [r if r is not None else ExtractError("corrupt", "not converted") for r in results]


def _run_batch(items: list[tuple[bytes, str]], pending: list[int], target_ext: str,
               timeout: float, tmp: Path, results: list, retried: set[int]) -> list[int]:
    """One soffice call over `pending`; returns the indices still to convert.

    soffice that exits with an error status (81 after setting up a fresh profile, a crash under
    memory pressure) has not judged the files it left unconverted: they get one more call before
    they are called corrupt, so a good .doc is never quarantined for soffice's own trouble."""
    batch = tmp / f"b{pending[0]}"
    src, out = batch / "in", batch / "out"
    src.mkdir(parents=True)
    out.mkdir()
    paths = []
    for i in pending:
        data, ext = items[i]
        path = src / f"f{i:06d}.{ext.lstrip('.').lower() or 'bin'}"
        path.write_bytes(data)
        paths.append(path)
    stalled, status = _run_soffice(paths, out, target_ext, timeout)
    remaining: list[int] = []
    for n, i in enumerate(pending):
        produced = out / f"{paths[n].stem}.{target_ext}"
        if produced.exists() and produced.stat().st_size > 0:
            results[i] = produced.read_bytes()
        elif stalled and n == _first_missing(paths, out, target_ext):
            results[i] = ExtractError("timeout", f"LibreOffice took over {timeout:g} s")
        elif stalled:
            remaining.append(i)  # never reached: retry in a fresh call
        elif status != 0 and i not in retried:
            retried.add(i)
            remaining.append(i)
        else:
            results[i] = ExtractError("corrupt", "LibreOffice could not open the file")
    shutil.rmtree(batch, ignore_errors=True)
    return remaining


def _first_missing(paths: list[Path], out: Path, target_ext: str) -> int:
    for n, path in enumerate(paths):
        if not (out / f"{path.stem}.{target_ext}").exists():
            return n
    return len(paths)


def _run_soffice(paths: list[Path], out: Path, target_ext: str, timeout: float) -> tuple[bool, int]:
    """Run soffice; (killed for making no progress within `timeout`, its exit status)."""
    cmd = [SOFFICE, "--headless", "--norestore", "--nolockcheck", "--nodefault",
           f"-env:UserInstallation={profile_url()}",
           "--convert-to", target_ext, "--outdir", str(out), *map(str, paths)]
    # guarded: should this worker die (a run killed by -9 takes its workers with it),
    # soffice.bin, a grandchild no signal of ours reaches, goes too
    proc = subprocess.Popen(guarded(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    done, last_change = 0, time.monotonic() + STARTUP_GRACE
    while proc.poll() is None:
        time.sleep(0.05)
        produced = sum(1 for _ in out.iterdir())
        if produced != done:
            done, last_change = produced, time.monotonic()
        elif time.monotonic() - last_change > timeout:
            os.killpg(proc.pid, signal.SIGKILL)  # our own child's process group only
            proc.wait()
            return True, proc.returncode
    return False, proc.returncode
