"""Prefect's environment, set before Prefect is imported anywhere in the process."""

from __future__ import annotations

import os

from schemas.settings import Settings, prefect_environment


def prepare_prefect_env(settings: Settings | None = None) -> None:
    os.environ.update(prefect_environment(settings or Settings()))
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract in workers: 7x faster on 2 cores
