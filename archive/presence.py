"""Whether an archive exists at a place, found without creating one (opening an Archive would)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from schemas.settings import Settings


def sqlite_file(url: str) -> Path | None:
    return Path(make_url(url).database or "") if url.startswith("sqlite") else None


def archive_exists(settings: Settings) -> bool:
    """A SQLite file with content, or a server database that has our schema."""
    path = sqlite_file(settings.db_url)
    if path is not None:
        return path.is_file() and path.stat().st_size > 0
    from archive.db import make_engine

    engine = make_engine(settings.db_url)
    try:
        with engine.connect() as conn:
            return inspect(conn).has_table("alembic_version")
    finally:
        engine.dispose()
