"""A stop asked for by a signal (Ctrl-C, SIGTERM), honoured at the next safe point.

Python raises KeyboardInterrupt wherever the main thread is, and a few places swallow it
(a weakref callback prints "Exception ignored" and goes on). So the signal is also recorded
here, and every progress report checks it: the run stops between files, after the batches
already committed, and the next run redoes the rest.
"""

from __future__ import annotations

_requested: list[int] = []


def request(signum: int) -> None:
    _requested.append(signum)


def requested() -> int | None:
    """The first signal that asked to stop, or None."""
    return _requested[0] if _requested else None


def check() -> None:
    if _requested:
        raise KeyboardInterrupt
