"""Numbers typed on the command line, checked where typer reads them.

One place for every numeric option and argument: full-width digits from a Chinese input
method (`２０１３`) are read as digits, and a value outside what the command can use
(`--year 99999`, a 20-digit record number, `--points nan`) is a usage error (exit 2) with a
Chinese sentence, not a database overflow or an exit-70 "unexpected error" further down.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable

import typer

YEAR_MIN, YEAR_MAX = 1949, 2100  # the same bounds as fulian.context.checked_year
INT64_MAX = 2**63 - 1  # the largest record number SQLite and PostgreSQL store


def _text(value: object) -> str:
    """NFKC folds full-width digits, signs and the full-width point to ASCII."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def whole(low: int, high: int) -> Callable[[str], int]:
    """A parser for an integer in [low, high]."""

    def parse(value: str) -> int:
        if isinstance(value, int):
            number = value
        else:
            try:
                number = int(_text(value))
            except ValueError:
                raise typer.BadParameter(f"应为整数（收到的是 {value}）。") from None
        if not low <= number <= high:
            raise typer.BadParameter(f"应在 {low} 到 {high} 之间（收到的是 {value}）。")
        return number

    return parse


def year(value: str) -> int:
    """A four-digit year; `--year 13` would match nothing and print an empty table."""
    try:
        return whole(YEAR_MIN, YEAR_MAX)(value)
    except typer.BadParameter:
        raise typer.BadParameter(f"年度应为四位数，如 2013（收到的是 {value}）。") from None


def decimal(low: float, high: float) -> Callable[[str], float]:
    """A parser for a finite number in [low, high] (`nan` and `inf` are not numbers here)."""

    def parse(value: str) -> float:
        try:
            number = float(_text(value))
        except ValueError:
            raise typer.BadParameter(f"应为数字（收到的是 {value}）。") from None
        if not math.isfinite(number) or not low <= number <= high:
            raise typer.BadParameter(f"应为 {low:g} 到 {high:g} 之间的数字（收到的是 {value}）。")
        return number

    return parse


record_id = whole(1, INT64_MAX)
