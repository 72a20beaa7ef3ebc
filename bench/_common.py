"""What the benchmarks share: a loopback Prefect server, a throwaway PostgreSQL database,
timers that add up the time spent inside wrapped callables, and the output folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def quiet_prefect_env(home: Path) -> None:
    """Prefect's state in `home`, no telemetry, no banner noise; set before Prefect is imported."""
    os.environ.update({"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                       "DO_NOT_TRACK": "1", "PREFECT_LOGGING_LEVEL": "WARNING",
                       "PREFECT_UI_ENABLED": "false", "OMP_THREAD_LIMIT": "1"})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@contextmanager
def prefect_server(home: Path, timeout: float = 120) -> Iterator[str]:
    """A real Prefect server on loopback (start-up kept out of every measurement)."""
    home.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_API_URL": ""}
    proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host",
                             "127.0.0.1", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.time() + timeout
    try:
        while not _healthy(url):
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("prefect server did not start")
            time.sleep(0.5)
        os.environ["PREFECT_API_URL"] = url
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def pg_database(prefix: str = "fulian_bench") -> Iterator[str]:
    """A PostgreSQL database created for this run and dropped afterwards."""
    from sqlalchemy import create_engine, text

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Timers:
    """Seconds spent inside wrapped callables, summed per label (wall time, nested calls count twice)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.marks: dict[str, float] = {}
        self._undo: list[Callable[[], None]] = []

    def wrap(self, owner: Any, attr: str, label: str) -> None:
        """Replace owner.attr by a timed wrapper (undone by `restore`)."""
        original = getattr(owner, attr)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - start
                self.calls[label] += 1

        setattr(owner, attr, timed)
        self._undo.append(lambda: setattr(owner, attr, original))

    def mark_on_call(self, owner: Any, attr: str, label: str, after: bool = False) -> None:
        """Remember perf_counter() when owner.attr is entered (or left, with after=True)."""
        original = getattr(owner, attr)

        def marked(*args: Any, **kwargs: Any) -> Any:
            if not after:
                self.marks[label] = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                if after:
                    self.marks[label] = time.perf_counter()

        setattr(owner, attr, marked)
        self._undo.append(lambda: setattr(owner, attr, original))

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()
        self.marks.clear()

    def restore(self) -> None:
        while self._undo:
            self._undo.pop()()


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def dask_cluster(names: list[str], logs: Path, env: dict | None = None,
                 timeout: float = 120) -> Iterator[tuple[str, dict[str, subprocess.Popen]]]:
    """A Dask scheduler and one single-thread worker per name on loopback, each process in its
    own session (kill its group to lose a machine); (scheduler address, {name: process}).

    Workers run non-daemonic (DASK_DISTRIBUTED__WORKER__DAEMON=False): each starts the
    extraction pool of flows/pool.py, one process unless `env` says FULIAN_WORKERS."""
    from distributed import Client

    logs.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "FULIAN_WORKERS": "1", **(env or {}),
           "DASK_DISTRIBUTED__WORKER__DAEMON": "False", "OMP_THREAD_LIMIT": "1",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
    procs: dict[str, subprocess.Popen] = {}

    def start(name: str, *args: str) -> None:
        with open(logs / f"{name}.log", "wb") as log:
            procs[name] = subprocess.Popen([sys.executable, "-m", "dask", *args], env=env, cwd=ROOT,
                                           start_new_session=True, stdout=subprocess.DEVNULL,
                                           stderr=log)

    try:
        start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", str(port),
              "--no-dashboard")
        deadline = time.time() + timeout
        while not _listening(port):
            if time.time() > deadline or procs["scheduler"].poll() is not None:
                raise RuntimeError(f"the Dask scheduler did not start (log: {logs})")
            time.sleep(0.2)
        for name in names:
            start(name, "worker", address, "--name", name, "--nthreads", "1", "--nworkers", "1",
                  "--no-dashboard", "--host", "127.0.0.1")
        with Client(address, timeout=30) as client:
            client.wait_for_workers(len(names), timeout=timeout)
        yield address, procs
    finally:
        for p in procs.values():
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
