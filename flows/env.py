"""Prefect's environment, set before Prefect is imported anywhere in the process."""

from __future__ import annotations

import os
from pathlib import Path

from schemas.settings import Settings, prefect_environment


def prepare_prefect_env(settings: Settings | None = None) -> None:
    os.environ.update(prefect_environment(settings or Settings()))
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract in workers: 7x faster on 2 cores


def make_prefect_home() -> None:
    """Prefect cannot create its home's parents: a new FULIAN_HOME made its ephemeral server
    hang for two minutes, then fail. Called by commands that run flows (never by readers)."""
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)
