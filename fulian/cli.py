"""The `fulian` command. Messages for people in Chinese; codes and logs in English."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from fulian import (
    commands_archive,
    commands_data,
    commands_packets,
    commands_review,
    commands_users,
    commands_values,
    commands_web,
)
from fulian.output import err_console

app = typer.Typer(help="历下区妇联资料归档与数据处理工具", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)


@app.callback()
def main(home: Path | None = typer.Option(None, "--home", help="数据目录（默认 FULIAN_HOME 或 ./fulian-data）"),
         database_url: str | None = typer.Option(None, "--database-url", help="数据库地址（默认 FULIAN_DATABASE_URL）")) -> None:
    """历下区妇联资料归档与数据处理工具。"""
    if home:
        os.environ["FULIAN_HOME"] = str(home)
    if database_url:
        os.environ["FULIAN_DATABASE_URL"] = database_url


commands_archive.register(app)
commands_data.register(app)
commands_review.register(app)
commands_web.register(app)
commands_values.register(app)
commands_users.register(app)
commands_packets.register(app)


def run() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("已中断。")
        raise SystemExit(130) from None


if __name__ == "__main__":
    run()
