"""`fulian user …`: local accounts of the web face (argon2id hashes in the archive database)."""

from __future__ import annotations

import sys

import typer

from fulian.context import open_archive, unit_code
from fulian.output import Format, console, emit, err_console

app = typer.Typer(help="网页账号：新增、改密码、停用、列出", no_args_is_help=True)
ERRORS = {
    "no_such_user": "没有这个账号：{detail}",
    "user_exists": "账号已存在：{detail}",
    "no_such_role": "没有这种角色：{detail}（可用：admin、archivist、statistician、unit）",
    "unit_needs_unit": "单位用户须用 --unit 指定所属单位。",
    "unit_only_for_unit_role": "只有单位用户（--role unit）才指定所属单位。",
    "no_such_unit": "没有这个单位：{detail}",
    "password_too_short": "密码太短：至少 {detail} 个字符。",
    "bad_name": "账号名不能为空，不能含换行、制表符等控制字符，且不超过 64 个字符。",
}
PASSWORD_STDIN = typer.Option(False, "--password-stdin", help="从标准输入读取密码（脚本用）")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("密码", hide_input=True, confirmation_prompt=True)


def _apply(change, *args, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
    """Run one account change in a writer transaction, in the name of the OS user."""
    from archive.accounts import AccountError

    archive = open_archive(person=True, create=True)  # accounts may come before the first ingest
    try:
        with archive.db.writer() as s:
            log = archive.audit(s)
            change(s, log, *args, **kwargs)
            log.flush()
    except AccountError as exc:
        err_console.print(ERRORS.get(exc.code, exc.code).format(detail=exc.detail))
        raise typer.Exit(2) from None


@app.command("add")
def add(name: str = typer.Argument(..., help="账号名"),
        role: str = typer.Option(..., "--role", help="角色：admin、archivist、statistician、unit"),
        unit: str | None = typer.Option(None, "--unit", help="单位用户所属单位（代码或名称）"),
        password_stdin: bool = PASSWORD_STDIN) -> None:
    """新增网页账号。"""
    from archive.accounts import add_user

    code = unit_code(open_archive(create=True), unit) if unit else None
    _apply(add_user, name, _password(password_stdin), role, code)
    console.print(f"已新增账号 {name}（{role}{'，' + code if code else ''}）。")


@app.command("passwd")
def passwd(name: str = typer.Argument(..., help="账号名"), password_stdin: bool = PASSWORD_STDIN) -> None:
    """修改密码（该账号已登录的会话全部失效）。"""
    from archive.accounts import require_user, set_password

    _apply(lambda s, _log: require_user(s, name))  # say "no such account" before asking twice
    _apply(set_password, name, _password(password_stdin))
    console.print(f"已修改 {name} 的密码。")


@app.command("disable")
def disable(name: str = typer.Argument(..., help="账号名"),
            enable: bool = typer.Option(False, "--enable", help="重新启用")) -> None:
    """停用账号（立即退出其所有会话）；--enable 重新启用。"""
    from archive.accounts import set_disabled

    _apply(set_disabled, name, not enable)
    console.print(f"已{'启用' if enable else '停用'}账号 {name}。")


@app.command("list")
def list_(fmt: Format = typer.Option(Format.table, "--format", help="输出格式")) -> None:
    """列出网页账号（不含密码）。"""
    from archive.accounts import list_users

    emit(list_users(open_archive()), fmt, [("name", "账号"), ("role", "角色"), ("unit", "单位"),
                                           ("disabled", "已停用"), ("changed_at", "最后修改")],
         title="网页账号")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="user")
