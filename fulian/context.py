"""What every command needs: the archive from the current settings, a unit named by a person."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from fulian.errors import Exit, FulianError, check_database_url
from fulian.messages import t
from fulian.output import Encoding, err_console
from schemas.settings import Settings

if TYPE_CHECKING:
    from archive.store import Archive


def open_archive(person: bool = False, create: bool = False) -> Archive:
    """The archive; `person`: audit events name the logged-in user, not "system".

    A read command (create=False) on a place with no archive stops with a sentence saying so,
    rather than creating an empty archive and reporting on nothing.
    """
    from archive.store import Archive

    settings = Settings(actor=getpass.getuser()) if person and "FULIAN_ACTOR" not in os.environ \
        else Settings()
    check_database_url(settings.database_url)
    if not create:
        require_archive(settings)
    return Archive(settings)


def require_archive(settings: Settings) -> None:
    from sqlalchemy.engine import make_url

    from archive.presence import archive_exists, sqlite_file

    if archive_exists(settings):
        return
    path = sqlite_file(settings.db_url)
    if path is not None:
        raise FulianError(Exit.NO_ARCHIVE, t("archive.none", where=settings.home_dir, db=path))
    raise FulianError(Exit.NO_ARCHIVE, t("archive.none_db", db=make_url(settings.db_url).render_as_string()))


def announce_archive(home_option: Path | None) -> None:
    """Name the archive on stderr when it does not come from FULIAN_HOME (the usual setting)."""
    if home_option is not None:
        source = t("archive.source_option")
    elif os.environ.get("FULIAN_HOME"):
        return
    elif Path("fulian.toml").is_file() and "home" in Path("fulian.toml").read_text(encoding="utf-8"):
        source = t("archive.source_toml")
    else:
        source = t("archive.source_default")
    err_console.print(t("archive.using", home=Settings().home_dir, source=source),
                      markup=False, highlight=False, soft_wrap=True)


def unit_code(archive: Archive, unit: str | None) -> str | None:
    """A unit given by code, full name or short name; exit 2 with a Chinese message if unknown."""
    from archive.queries_data import resolve_unit

    try:
        return resolve_unit(archive, unit)
    except LookupError:
        err_console.print(t("unit.unknown", unit=unit))
        raise typer.Exit(2) from None


ENCODING_OPTION = typer.Option(Encoding.utf8, "--encoding",
                               help="CSV 编码：utf-8（带 BOM，Excel 可直接打开）或 gb18030")


def status_code(word: str | None) -> str | None:
    """A submission status given as its code or the words the tables print; exit 2 if unknown."""
    if word is None:
        return None
    from schemas.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    code = vocab.code_for("submission_status", word)
    if code is None:
        known = "、".join(f"{c}（{s}）" for c, s in vocab.short("submission_status").items())
        err_console.print(t("status.unknown", status=word, known=known), markup=False, soft_wrap=True)
        raise typer.Exit(2)
    return code


def checked_year(year: int) -> int:
    """A four-digit year; `--year 13` would match nothing and print an empty table."""
    if not 1949 <= year <= 2100:
        err_console.print(t("year.invalid", year=year), markup=False, soft_wrap=True)
        raise typer.Exit(2)
    return year
