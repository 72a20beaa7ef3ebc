"""Child processes that die with the process that started them, even when it dies by kill -9.

Linux's PR_SET_PDEATHSIG asks the kernel to send a signal to a process when the thread that
created it exits; it is set in the child (a pool worker's initialiser, or between fork and exec
of a server), survives exec, and needs no cooperation from a parent that may be dead. Elsewhere
these calls do nothing and the normal shutdown paths still apply.
"""

from __future__ import annotations

import ctypes
import os
import signal
from collections.abc import Callable

PR_SET_PDEATHSIG = 1


def _prctl() -> Callable[..., int] | None:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux
        return None


def die_with_parent(parent: int | None = None) -> None:
    """Called in the child: SIGKILL when the parent dies. `parent`: the pid that started this
    process; if it is already gone (the parent died before the call), exit now. Comparing with
    the expected pid, not with 1, since orphans may be reparented to a subreaper."""
    prctl = _prctl()
    if prctl is None:
        return
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def preexec_die_with_parent() -> Callable[[], None]:
    """A `preexec_fn` for subprocess.Popen doing the same between fork and exec. prctl is
    looked up here, in the parent: the child, forked from a process with threads, must not
    load libraries, only call what is already resolved."""
    prctl = _prctl()
    parent = os.getpid()

    def child() -> None:
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() != parent:
                os._exit(1)

    return child


# Run as `python -I -c GUARD cmd…`: a small session leader between a worker and a program that
# starts processes of its own (soffice → oosplash → soffice.bin, which no PDEATHSIG set on
# soffice reaches). It learns of its parent's death by SIGTERM (PR_SET_PDEATHSIG) and then
# kills its whole process group: the program and everything it started.
GUARD = """
import ctypes, os, signal, subprocess, sys
def end(*_):
    os.killpg(0, signal.SIGKILL)
signal.signal(signal.SIGTERM, end)
try:
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
except (OSError, AttributeError):
    pass
if os.getppid() != int(sys.argv[1]):
    end()
sys.exit(subprocess.call(sys.argv[2:]))
"""


def guarded(cmd: list[str]) -> list[str]:
    """`cmd` under a guard that takes it and all it starts down when this process dies (even
    by kill -9). Start it with start_new_session=True: the guard's group is the program's."""
    import sys

    return [sys.executable, "-I", "-c", GUARD, str(os.getpid()), *cmd]
