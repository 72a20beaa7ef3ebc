"""Chinese for what typer and its vendored click print themselves: help frames and usage errors.

Typer vendors click with English f-strings (no gettext), so usage errors are translated
from their final English text by the patterns below, and the help screen's fixed words are
replaced where typer keeps them (module constants, the usage prefix, the --help option).
"""

from __future__ import annotations

import re

USAGE_ERRORS: list[tuple[str, str]] = [
    (r"No such command '([^']*)'\.?", r"没有这个命令：\1。"),
    (r" ?Did you mean (.+)\?", r"是不是要用 \1？"),
    (r"No such option: (\S+)", r"没有这个选项：\1。"),
    (r" ?\(Possible options: (.+)\)", r"（可用的选项：\1）"),
    (r"Missing command\.", "缺少命令。"),
    (r"Missing option '([^']*)'\.?", r"缺少选项 \1。"),
    (r"Missing argument '([^']*)'\.?", r"缺少参数 \1。"),
    (r"Missing parameter: (\S+)", r"缺少参数 \1。"),
    (r"Got unexpected extra arguments? \((.+)\)", r"多余的参数：\1"),
    (r"Option '([^']*)' requires an argument\.", r"选项 \1 需要一个值。"),
    (r"Option '([^']*)' requires (\d+) arguments\.", r"选项 \1 需要 \2 个值。"),
    (r"Option '([^']*)' does not take a value\.", r"选项 \1 不带值。"),
    (r"Invalid value for '?([^':]+)'?: ", r"\1 的值无效："),
    (r"Invalid value: ", "值无效："),
    (r"[Pp]ath '([^']*)' does not exist\.", r"路径 \1 不存在。"),
    (r"[Pp]ath '([^']*)' is not readable\.", r"路径 \1 无法读取（没有权限）。"),
    (r"(?:Value )?'([^']*)' is not a valid integer( range)?\.", r"\1 不是整数。"),
    (r"(?:Value )?'([^']*)' is not a valid float( range)?\.", r"\1 不是数字。"),
    (r"'([^']*)' is not one of (.+)\.", r"\1 不是可选的值（可选：\2）。"),
    (r"Value error, ", ""),
    (r"Input should be a valid integer.*", "应为整数。"),
    (r"Input should be a valid number.*", "应为数字。"),
]

HELP_WORDS = {
    "ARGUMENTS_PANEL_TITLE": "参数", "OPTIONS_PANEL_TITLE": "选项", "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误", "ABORTED_TEXT": "已中断。", "DEFAULT_STRING": "[默认：{}]",
    "REQUIRED_LONG_STRING": "[必填]", "ENVVAR_STRING": "[环境变量：{}]",
    "RICH_HELP": "查看帮助：[blue]{command_path} {help_option}[/]",
}
USAGE_WORDS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}


def usage_error_zh(message: str) -> str:
    for pattern, replacement in USAGE_ERRORS:
        message = re.sub(pattern, replacement, message)
    return message


def usage_zh(usage: str) -> str:
    usage = usage.replace("Usage: ", "用法：")
    for en, zh in USAGE_WORDS.items():
        usage = usage.replace(en, zh)
    return usage


def install() -> None:
    """Put the Chinese words in place before typer builds any help screen or error."""
    from typer import core, rich_utils
    from typer._click import core as click_core
    from typer._click import formatting

    for name, text in HELP_WORDS.items():
        setattr(rich_utils, name, text)

    write_usage = formatting.HelpFormatter.write_usage

    def write_usage_zh(self, prog: str, args: str = "", prefix: str | None = None) -> None:  # noqa: ANN001
        write_usage(self, prog, usage_zh(args), "用法：" if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage_zh

    get_help_option = click_core.Command.get_help_option

    def help_option_zh(self, ctx):  # noqa: ANN001, ANN202
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = "显示此帮助并退出。"
        return option

    click_core.Command.get_help_option = help_option_zh

    display_type_rich = core.TyperOption.display_type_rich

    def no_bool_metavar(self, ctx):  # noqa: ANN001, ANN202
        """A flag takes no value: show nothing rather than `<bool>`."""
        return None if self.is_flag else display_type_rich(self, ctx)

    core.TyperOption.display_type_rich = no_bool_metavar
