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
from pathlib import Path

import typer

YEAR_MIN, YEAR_MAX = 1949, 2100  # the same bounds as fulian.context.checked_year
INT64_MAX = 2**63 - 1  # the largest record number SQLite and PostgreSQL store


def _text(value: object) -> str:
    """NFKC folds full-width digits, signs and the full-width point to ASCII."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def _integer(value: object) -> int:
    if isinstance(value, int):
        return value
    try:
        return int(_text(value))
    except ValueError:
        raise typer.BadParameter(f"应为整数（收到的是 {value}）。") from None


def whole(low: int, high: int) -> Callable[[str], int]:
    """A parser for an integer in [low, high]."""

    def parse(value: str) -> int:
        number = _integer(value)
        if not low <= number <= high:
            raise typer.BadParameter(f"应在 {low} 到 {high} 之间（收到的是 {value}）。")
        return number

    return parse


def year(value: str) -> int:
    """A four-digit year; `--year 13` would match nothing and print an empty table."""
    number = _integer(value)
    if not YEAR_MIN <= number <= YEAR_MAX:
        raise typer.BadParameter(f"年度应为四位数，如 2013（收到的是 {value}）。")
    return number


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


def existing_path(value: str) -> Path:
    """A file or folder to read. An empty argument (a script's unset `"$DIR"`) is refused:
    as a Path it would be `.`, and the whole working folder would be archived."""
    text = str(value)
    if not text.strip():
        raise typer.BadParameter("路径为空（脚本中的变量可能没有设置）；要导入当前文件夹请写 .")
    path = Path(text)
    if not path.exists():
        raise typer.BadParameter(f"路径 {text} 不存在。")
    return path
