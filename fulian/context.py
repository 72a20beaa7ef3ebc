"""What every command needs: the archive from the current settings, a unit named by a person."""

from __future__ import annotations

import getpass
import os
from typing import TYPE_CHECKING

import typer

from fulian.messages import t
from fulian.output import err_console
from schemas.settings import Settings

if TYPE_CHECKING:
    from archive.store import Archive


def open_archive(person: bool = False) -> Archive:
    """The archive; `person`: audit events name the logged-in user, not "system"."""
    from archive.store import Archive

    if person and "FULIAN_ACTOR" not in os.environ:
        return Archive(Settings(actor=getpass.getuser()))
    return Archive(Settings())


def unit_code(archive: Archive, unit: str | None) -> str | None:
    """A unit given by code, full name or short name; exit 2 with a Chinese message if unknown."""
    from archive.queries_data import resolve_unit

    try:
        return resolve_unit(archive, unit)
    except LookupError:
        err_console.print(t("unit.unknown", unit=unit))
        raise typer.Exit(2) from None
