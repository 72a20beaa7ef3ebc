"""Every failure a person can meet, as one Chinese sentence and a distinct exit code.

The codes are documented in docs/cli.md; scripts rely on them. A failure that is not one of
these is a defect: the person sees one sentence and where the details were written, never a
traceback.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass
from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    DAMAGED = 1  # verify: the archive is damaged
    USAGE = 2
    NO_ARCHIVE = 3
    DB_UNREACHABLE = 4
    DB_URL = 5
    DB_MISSING = 6
    DISK_FULL = 7
    READ_ONLY = 8
    PERMISSION = 9
    INPUT_GONE = 10
    ORCHESTRATOR = 11  # the local Prefect server did not start
    INTERNAL = 70
    INTERRUPTED = 130
    TERMINATED = 143


class FulianError(Exception):
    """A failure with its exit code and the sentence a person reads."""

    def __init__(self, code: Exit, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Rule:
    code: Exit
    pattern: str  # searched in the text of the exception and its causes
    message: str


DB_RULES = [
    Rule(Exit.DB_MISSING, r'database "?([^"\s]+)"? does not exist',
         "数据库 {0} 不存在：请先创建它（如 createdb {0}），或检查 FULIAN_DATABASE_URL。"),
    Rule(Exit.DB_UNREACHABLE, r"Connection refused|could not connect|connection timeout|timeout expired"
         r"|Name or service not known|could not translate host name|No route to host",
         "连不上数据库服务器：请确认数据库已启动、FULIAN_DATABASE_URL 中的地址和端口正确。"),
    Rule(Exit.DB_UNREACHABLE, r"password authentication failed|role \"?[^\"]+\"? does not exist",
         "数据库拒绝登录：请检查 FULIAN_DATABASE_URL 中的用户名和密码。"),
    Rule(Exit.DISK_FULL, r"database or disk is full", "磁盘已满：请清理数据目录所在的磁盘后重试，已归档的内容未受影响。"),
    Rule(Exit.READ_ONLY, r"attempt to write a readonly database|read-only file system",
         "数据目录是只读的，无法写入：请换一个可写的数据目录（--home 或 FULIAN_HOME）。"),
    Rule(Exit.PERMISSION, r"unable to open database file",
         "无法打开数据库文件：当前用户对数据目录 {home} 没有读写权限，请检查权限或换一个数据目录。"),
]
READ_ONLY_HOME = "数据目录 {home} 所在的磁盘是只读的，无法打开存档：请换一个可写的数据目录（--home 或 FULIAN_HOME）。"

OS_ERRORS = {
    errno.ENOSPC: (Exit.DISK_FULL, "磁盘已满，无法写入 {path}：请清理磁盘后重试，已归档的内容未受影响。"),
    errno.EDQUOT: (Exit.DISK_FULL, "磁盘配额已用完，无法写入 {path}：请清理后重试，已归档的内容未受影响。"),
    errno.EROFS: (Exit.READ_ONLY, "{path} 所在的磁盘是只读的，无法写入：请换一个可写的数据目录（--home 或 FULIAN_HOME）。"),
    errno.EACCES: (Exit.PERMISSION, "没有权限访问 {path}：请检查当前用户对它的读写权限。"),
    errno.EPERM: (Exit.PERMISSION, "没有权限访问 {path}：请检查当前用户对它的读写权限。"),
}
GONE = {errno.ENOENT, errno.ESTALE, errno.EIO, errno.ENOTCONN, errno.EHOSTDOWN, errno.ENODEV,
        errno.ETIMEDOUT, errno.EHOSTUNREACH}
GONE_MESSAGE = "找不到 {path}：文件夹不存在，或网络共享已断开。请确认共享已连接后重新运行，已归档的文件不会重复登记。"


def chain(exc: BaseException) -> list[BaseException]:
    """The exception and everything it was raised from, outermost first."""
    seen: list[BaseException] = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


def classify(exc: BaseException) -> FulianError | None:
    """The FulianError this exception stands for, or None when it is not a known kind."""
    causes = chain(exc)
    for e in causes:
        if isinstance(e, FulianError):
            return e
    text = "\n".join(f"{type(e).__name__}: {e}" for e in causes)
    for rule in DB_RULES:
        found = re.search(rule.pattern, text, re.IGNORECASE)
        if found:
            if rule.code == Exit.PERMISSION:
                return _cannot_open_sqlite(rule)
            return FulianError(rule.code, rule.message.format(*found.groups()))
    for e in causes:
        if isinstance(e, OSError) and e.errno is not None:
            path = e.filename or "数据目录"
            if e.errno in OS_ERRORS:
                code, message = OS_ERRORS[e.errno]
                return FulianError(code, message.format(path=path))
            if e.errno in GONE and e.filename:
                return FulianError(Exit.INPUT_GONE, GONE_MESSAGE.format(path=path))
    return None


def _cannot_open_sqlite(rule: Rule) -> FulianError:
    """SQLite says only "unable to open": a read-only disk (WAL needs to write even to read)
    and a folder the user may not write are told apart here."""
    import os

    from schemas.settings import Settings

    home = Settings().home_dir
    try:
        if os.statvfs(home).f_flag & os.ST_RDONLY:
            return FulianError(Exit.READ_ONLY, READ_ONLY_HOME.format(home=home))
    except OSError:
        pass
    return FulianError(rule.code, rule.message.format(home=home))


def check_database_url(url: str | None) -> None:
    """Catch the URLs SQLAlchemy cannot use before it prints its own English error."""
    if not url:
        return
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme in ("postgres", "postgresql", "postgresql+psycopg2"):
        fixed = "postgresql+psycopg://" + url.split("://", 1)[1]
        raise FulianError(Exit.DB_URL, f"数据库地址写法不对：{scheme}:// 不能用，请写成 {_hide_password(fixed)}")
    if not scheme or not re.fullmatch(r"(sqlite|postgresql\+psycopg)", scheme):
        raise FulianError(Exit.DB_URL, f"数据库地址写法不对：{_hide_password(url)}。"
                                       "应为 sqlite:///路径 或 postgresql+psycopg://用户@主机/数据库")


def _hide_password(url: str) -> str:
    return re.sub(r"(://[^:/@]+:)[^@]+@", r"\1***@", url)
