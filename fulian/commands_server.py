"""`fulian server`: the local Prefect API server that flow commands start once and reuse."""

from __future__ import annotations

import os

import typer

from fulian.errors import Exit, FulianError
from fulian.messages import t
from fulian.output import console
from fulian.progress import phase
from schemas.settings import Settings

server_app = typer.Typer(help="本机流程服务（Prefect）：归档命令首次运行时自动启动，之后各命令共用。",
                         no_args_is_help=True)


def connect_prefect() -> None:
    """Point Prefect at this home's local server, started once, unless PREFECT_API_URL is set.

    Must run before Prefect is imported: Prefect reads its settings at import.
    """
    from flows import local_server
    from flows.env import make_prefect_home

    make_prefect_home()
    if os.environ.get("PREFECT_API_URL"):
        return
    home = Settings().home_dir
    try:
        if os.environ.get("FULIAN_PREFECT_SERVER") == "ephemeral":  # one server per command, dying with it
            url = local_server.for_this_command(home)
        else:
            url = local_server.ensure(home, on_start=lambda: phase("phase.server_start"))
    except local_server.ServerError as exc:
        raise FulianError(Exit.ORCHESTRATOR, t("server.failed", log=exc.log)) from None
    os.environ["PREFECT_API_URL"] = url


@server_app.command("status")
def status() -> None:
    """显示本机流程服务是否在运行、地址和进程号。"""
    from flows.local_server import running

    state = running(Settings().home_dir)
    if state is None:
        console.print(t("server.not_running"))
        return
    console.print(t("server.running", url=state["url"].removesuffix("/api"), pid=state["pid"]))


@server_app.command("stop")
def stop() -> None:
    """停止本机流程服务（下一个归档命令会重新启动它）。"""
    from flows.local_server import stop as stop_server

    state = stop_server(Settings().home_dir)
    console.print(t("server.stopped", pid=state["pid"]) if state else t("server.not_running"))


def register(app: typer.Typer) -> None:
    app.add_typer(server_app, name="server")
