"""Shared fixtures: a real Prefect server, real SQLite and PostgreSQL, the CLI as a user runs it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
# a CLI run without PREFECT_API_URL would start a detached local Prefect server that outlives the
# test (flows/local_server.py); tests that mean to start one say FULIAN_PREFECT_SERVER=local
os.environ.setdefault("FULIAN_PREFECT_SERVER", "ephemeral")

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Prefect server on loopback, shared by the flows and CLI runs of this session."""
    home = tmp_path_factory.mktemp("prefect")
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_API_URL": "", "PREFECT_UI_ENABLED": "false"}
    proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host",
                             "127.0.0.1", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.time() + 120
    while not _healthy(url):
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            pytest.fail("prefect server did not start")
        time.sleep(0.5)
    os.environ["PREFECT_API_URL"] = url
    yield url
    _flush_prefect_logs()
    proc.terminate()
    proc.wait(timeout=30)


def _flush_prefect_logs() -> None:
    """Send buffered run logs while the server is still up (else: "Error logging to API")."""
    try:
        from prefect.logging.handlers import APILogHandler

        APILogHandler.flush()
    except Exception:  # noqa: BLE001 - best effort at teardown
        pass


@pytest.fixture(scope="module")
def s3_options() -> Iterator[dict]:
    """A real S3 API (moto's server) on loopback; the fsspec/s3fs options to reach it."""
    from moto.server import ThreadedMotoServer

    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):  # nothing of the machine's own AWS setup
        os.environ.pop(var, None)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield {"endpoint_url": f"http://127.0.0.1:{port}", "key": "testing", "secret": "testing",
               "client_kwargs": {"region_name": "eu-central-1"}}
    finally:
        server.stop()


def new_bucket(options: dict) -> tuple[object, str]:
    """A fresh bucket on the S3 server of `options`: (an s3fs filesystem, its name)."""
    import s3fs

    fs = s3fs.S3FileSystem(**options)
    name = f"fulian-{uuid.uuid4().hex[:8]}"
    fs.mkdir(name)
    return fs, name


def _pg_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The archive's database: SQLite in tmp, or a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'archive.db'}"
        return
    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not running at 127.0.0.1:5432")
        pytest.skip("PostgreSQL not running")
    yield from _pg_database()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A throwaway PostgreSQL database of its own (the province tests: several processes on it)."""
    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not running at 127.0.0.1:5432")
        pytest.skip("PostgreSQL not running")
    yield from _pg_database()


def _pg_database() -> Iterator[str]:
    from sqlalchemy import create_engine, text

    name = f"fulian_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def home(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """FULIAN_HOME for one test, with its database; settings come from the environment."""
    h = tmp_path / "home"
    h.mkdir()
    monkeypatch.setenv("FULIAN_HOME", str(h))
    monkeypatch.setenv("FULIAN_DATABASE_URL", db_url)
    monkeypatch.setenv("FULIAN_WORKERS", "2")
    return h


@pytest.fixture
def sqlite_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    h = tmp_path / "home"
    h.mkdir()
    monkeypatch.setenv("FULIAN_HOME", str(h))
    monkeypatch.delenv("FULIAN_DATABASE_URL", raising=False)
    monkeypatch.setenv("FULIAN_WORKERS", "2")
    return h


def fulian_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "fulian.cli", *args]


def run_cli(*args: str, env: dict | None = None, timeout: float = 600,
            check: bool = True) -> subprocess.CompletedProcess:
    """Run `fulian …` as a user would, in a subprocess, with this test's environment."""
    proc = subprocess.run(fulian_cmd(*args), capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, cwd=ROOT)
    if check and proc.returncode != 0:
        raise AssertionError(f"fulian {' '.join(args)} exited {proc.returncode}\n"
                             f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc
