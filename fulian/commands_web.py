"""`fulian web`: the web face (uploads, read-only views, JSON API) under uvicorn."""

from __future__ import annotations

import contextlib

import typer

from fulian import params
from fulian.errors import Exit, FulianError


def web(host: str = typer.Option("127.0.0.1", "--host", help="监听地址（内网服务用 0.0.0.0）"),
        port: int = typer.Option(8000, "--port", help="监听端口", parser=params.whole(1, 65535))) -> None:
    """启动网页服务：各单位上传材料，档案和统计人员查看收件、指标、完整性和数据质量。"""
    import uvicorn

    from fulian.web.app import create_app

    server = uvicorn.Server(uvicorn.Config(create_app(), host=host, port=port, log_level="info"))
    with contextlib.suppress(SystemExit):  # uvicorn's code 3 on a failed bind reads "no archive here"
        server.run()
    if not server.started:
        raise FulianError(Exit.USAGE, f"网页服务没有启动：无法在 {host}:{port} 上监听（端口已被占用，"
                                      "或地址不属于本机）。请换一个 --port 或 --host。")


def register(app: typer.Typer) -> None:
    app.command("web")(web)
