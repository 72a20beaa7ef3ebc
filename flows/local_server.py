"""A Prefect API server that `fulian` starts once and reuses between commands on one machine.

Prefect's ephemeral mode starts a server inside every command (4-20 s before the first file,
measured in docs/performance.md). Instead the first command starts `prefect server start` on
loopback, detached, with its state under FULIAN_HOME/prefect; later commands find it healthy
through FULIAN_HOME/prefect/server.json and use it at once. `fulian server stop` ends it.
A PREFECT_API_URL set by the operator always wins: then fulian starts nothing.

FULIAN_PREFECT_SERVER=ephemeral: a server for one command only (`for_this_command`), which
dies with that command even when it is killed by -9.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from extract.lifeline import preexec_die_with_parent

STARTUP_TIMEOUT = 180.0  # seconds; a first start migrates Prefect's database (≈10-20 s, more when loaded)


def state_dir(home: Path) -> Path:
    return home / "prefect"


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as r:  # noqa: S310 - loopback
            return r.status == 200
    except OSError:
        return False


def running(home: Path) -> dict | None:
    """The recorded server of this home when it answers, else None."""
    try:
        state = json.loads((state_dir(home) / "server.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if healthy(state.get("url", "")) else None


def ensure(home: Path, on_start: Callable[[], None] | None = None) -> str:
    """The API URL of this home's server, starting it first when none answers."""
    folder = state_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "server.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two commands at once start one server, not two
        state = running(home)
        if state:
            return state["url"]
        if on_start:
            on_start()
        return _start(folder)["url"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def for_this_command(home: Path) -> str:
    """A server that lives exactly as long as this process; its API URL.

    Prefect's own ephemeral server (prefect.server.api.server.SubprocessASGIServer) is a plain
    Popen child stopped by an atexit hook: a run killed by -9 left it running for good, with
    its port and database. Started here instead, the kernel ends it with us
    (PR_SET_PDEATHSIG, set between fork and exec): no watchdog process, and no patching of
    Prefect's internals. The same command line as the shared server, not written to
    server.json (no other command may come to rely on it).
    """
    folder = state_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    state = _start(folder, attached=True)
    atexit.register(_end, state["pid"], 5.0)  # a normal exit; Prefect's own exit hooks run first
    return state["url"]


def _start(folder: Path, attached: bool = False) -> dict:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(folder), "PREFECT_API_URL": "",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
    with open(folder / "server.log", "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
             "--port", str(port), "--no-services"],
            env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            start_new_session=True,  # Ctrl-C on a command must not reach the server
            preexec_fn=preexec_die_with_parent() if attached else None)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not healthy(url):
        if proc.poll() is not None or time.monotonic() > deadline:
            _end(proc.pid)
            raise ServerError(folder / "server.log")
        time.sleep(0.2)
    state = {"pid": proc.pid, "port": port, "url": url, "started": time.time()}
    if not attached:
        (folder / "server.json").write_text(json.dumps(state), encoding="utf-8")
    return state


class ServerError(RuntimeError):
    def __init__(self, log: Path):
        super().__init__(f"the local Prefect server did not start; see {log}")
        self.log = log


def stop(home: Path) -> dict | None:
    """End this home's server; the state it had, or None when none was running."""
    folder = state_dir(home)
    try:
        state = json.loads((folder / "server.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if _is_prefect(int(state["pid"])):  # a stale file must not make us kill a reused pid
        _end(int(state["pid"]))
    (folder / "server.json").unlink(missing_ok=True)
    return state


def _is_prefect(pid: int) -> bool:
    try:
        return b"prefect" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _end(pid: int, wait: float = 15.0) -> None:
    """SIGTERM to the server's process group (uvicorn and its children), SIGKILL if it lingers."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        return
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        _reap(pid)
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # our own child when this process started it
