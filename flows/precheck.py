"""Whether an ingest has anything to do, found without starting Prefect.

Importing Prefect and reaching its API costs seconds; an ingest of a folder that is already
archived (every receipt known) needs neither, so the command answers at once and no flow run
is recorded for it. Any doubt (no archive yet, a new or changed file) means: run the flow.
"""

from __future__ import annotations

from pathlib import Path

from schemas.settings import Settings


def nothing_new(paths: list[Path], settings: Settings | None = None) -> bool:
    from archive.presence import archive_exists
    from archive.queries import known_receipts
    from archive.store import Archive
    from connectors.folder import PathsConnector

    settings = settings or Settings()
    if not archive_exists(settings):
        return False
    archive = Archive(settings)
    try:
        receipts = {i.receipt for i in PathsConnector(list(paths), archive.registry).scan()}
        return not receipts - known_receipts(archive, receipts)
    finally:
        archive.close()

