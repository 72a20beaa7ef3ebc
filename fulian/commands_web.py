"""`fulian web`: the web face (uploads, read-only views, JSON API) under uvicorn."""

from __future__ import annotations

import typer


def web(host: str = typer.Option("127.0.0.1", "--host", help="监听地址（内网服务用 0.0.0.0）"),
        port: int = typer.Option(8000, "--port", help="监听端口")) -> None:
    """启动网页服务：各单位上传材料，档案和统计人员查看收件、指标、完整性和数据质量。"""
    import uvicorn

    from fulian.web.app import create_app

    uvicorn.run(create_app(), host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command("web")(web)
