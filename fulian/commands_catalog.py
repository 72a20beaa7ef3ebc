"""`fulian catalog`: what the two-plans catalog does not know yet."""

from __future__ import annotations

import typer

from fulian import params
from fulian.context import open_archive
from fulian.output import Format, emit

catalog_app = typer.Typer(help="两规指标目录：列出未能对应到目录的指标行，供补充别名", no_args_is_help=True)

FIELDS = ("name", "measure", "rows", "units", "first_year", "last_year", "example_path",
          "example_location")


@catalog_app.command("unmatched")
def unmatched(year: int | None = typer.Option(None, "--year", help="只看某一年度", parser=params.year),
              fmt: Format = typer.Option(Format.table, "--format", help="输出格式")) -> None:
    """列出统计表中未能对应到两规指标目录的行（按原写法），这些行已保存并做通用检查，但不计入指标。"""
    from archive.queries_catalog import unmatched_rows

    rows = unmatched_rows(open_archive(), year)
    if fmt != Format.table:
        emit([{k: r[k] for k in FIELDS} for r in rows], fmt)
        return
    emit(rows, fmt, [("name", "指标（原写法）"), ("measure", "计量单位"), ("rows", "行数"),
                     ("units", "单位数"), ("last_year", "最近年度"), ("example_path", "例：文件"),
                     ("example_location", "位置")],
         title=f"未对应到指标目录的行：{len(rows)} 种写法")


def register(app: typer.Typer) -> None:
    app.add_typer(catalog_app, name="catalog")
