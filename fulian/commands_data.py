"""Commands over extracted data: indicators, reextract, quality, completeness (later issues)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    return None
