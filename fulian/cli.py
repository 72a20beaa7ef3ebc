"""The `fulian` command. Messages for people in Chinese; codes and logs in English."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from fulian import (
    commands_archive,
    commands_catalog,
    commands_data,
    commands_packets,
    commands_review,
    commands_server,
    commands_users,
    commands_values,
    commands_web,
    entry,
)
from fulian.context import announce_archive

app = typer.Typer(help="历下区妇联资料归档与数据处理工具", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)


@app.callback()
def main(home: Path | None = typer.Option(None, "--home", help="数据目录（默认 FULIAN_HOME 或 ./fulian-data）"),
         database_url: str | None = typer.Option(None, "--database-url", help="数据库地址（默认 FULIAN_DATABASE_URL）"),
         verbose: bool = typer.Option(False, "--verbose", help="显示所用程序库的日志（排查问题时用）")) -> None:
    """历下区妇联资料归档与数据处理工具。"""
    if home:
        os.environ["FULIAN_HOME"] = str(home)
    if database_url:
        os.environ["FULIAN_DATABASE_URL"] = database_url
    if "--help" not in sys.argv:
        announce_archive(home)


commands_archive.register(app)
commands_data.register(app)
commands_review.register(app)
commands_web.register(app)
commands_values.register(app)
commands_users.register(app)
commands_packets.register(app)
commands_server.register(app)
commands_catalog.register(app)


def run() -> None:
    entry.run(app)


if __name__ == "__main__":
    run()
