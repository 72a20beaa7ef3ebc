"""How the `fulian` process runs: Chinese usage errors, quiet libraries, signals, exit codes.

Nothing below lets a Python traceback reach the person at the terminal: a known failure is
one Chinese sentence and its exit code (fulian.errors); an unknown one is one sentence plus
the file its details were written to.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import traceback
import warnings
from datetime import UTC, datetime
from pathlib import Path

from fulian.errors import Exit, FulianError, classify

QUIET_ENV = {  # Prefect's console handlers (root, flow runs, its internal debug handler)
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL",
    "PREFECT_LOGGING_HANDLERS_DEBUG_LEVEL": "CRITICAL",
    "PREFECT_LOGGING_LEVEL": "ERROR",
}




def verbose_requested(argv: list[str]) -> bool:
    return "--verbose" in argv or os.environ.get("FULIAN_VERBOSE", "") not in ("", "0")


_loud: list[bool] = []


def quiet_libraries(verbose: bool) -> None:
    """Library log lines and warnings stay out of the terminal unless --verbose."""
    if verbose:
        _loud.append(True)
        return
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
    warnings.filterwarnings("ignore")
    logging.getLogger().addHandler(logging.NullHandler())  # no "last resort" printing either
    quiet_handlers()


def quiet_handlers() -> None:
    """Handlers that print to the terminal print nothing: what went wrong is said once, in
    Chinese, by fulian.errors (GX sets its loggers to INFO; the levels are held by the
    handlers, so a library that lowers its logger's level stays quiet). Called again once
    Prefect has installed its own handlers."""
    if _loud:
        return
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
            handler.setLevel(logging.CRITICAL + 1)


def _on_signal(signum, frame) -> None:  # noqa: ANN001, ARG001
    """Ctrl-C and SIGTERM: recorded (flows stop at their next safe point) and raised now."""
    from flows import stop

    stop.request(signum)
    raise KeyboardInterrupt


def run(app) -> None:  # noqa: ANN001
    """Run the typer app; if even the error handling fails, still one sentence, no traceback."""
    try:
        _run(app)
    except SystemExit:
        raise
    except BaseException as exc:  # noqa: BLE001
        sys.stderr.write(f"出现了意外错误（{type(exc).__name__}），操作未完成。详细信息：{_write_details(exc)}\n")
        sys.exit(Exit.INTERNAL)


def _run(app) -> None:  # noqa: ANN001
    """Run the typer app and turn every way it can end into a message and an exit code."""
    from fulian import cli_text
    from fulian.output import err_console

    argv = sys.argv[1:]
    quiet_libraries(verbose_requested(argv))
    cli_text.install()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _on_signal)
    sys.unraisablehook = _quiet_interrupts
    try:
        code = app(args=argv, prog_name="fulian", standalone_mode=False)
    except FulianError as exc:
        err_console.print(exc.message, markup=False, highlight=False, soft_wrap=True)
        code = exc.code
    except KeyboardInterrupt:
        code = Exit.INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the one place every failure is turned into a sentence
        signalled = _signal_behind(exc)
        code = Exit.INTERRUPTED if signalled else _usage_or_failure(exc, err_console)
        if signalled == signal.SIGTERM:
            _record_stop(signal.SIGTERM)
    asked = _stop_requested()
    if code == Exit.INTERRUPTED or asked:
        err_console.print(interrupted_text(), markup=False, highlight=False, soft_wrap=True)
        code = Exit.TERMINATED if asked == signal.SIGTERM else Exit.INTERRUPTED
    sys.exit(int(code or 0))


def _quiet_interrupts(unraisable) -> None:  # noqa: ANN001
    """Our KeyboardInterrupt raised inside a weakref callback is printed by Python as
    "Exception ignored … Traceback"; the stop is already recorded (flows.stop), so say nothing."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        return
    sys.__unraisablehook__(unraisable)


def _signal_behind(exc: BaseException) -> int | None:
    """The signal an exception comes from. Inside a flow Prefect takes SIGTERM itself (its
    TerminationSignal), and an engine that fails while handling it raises something else
    (ValueError "Task run is not set"): the chain still names the signal."""
    seen: BaseException | None = exc
    for _ in range(20):
        if seen is None:
            return None
        if type(seen).__name__ == "TerminationSignal":
            return signal.SIGTERM
        if isinstance(seen, KeyboardInterrupt):
            return signal.SIGINT
        seen = seen.__cause__ or seen.__context__
    return None


def _record_stop(signum: int) -> None:
    from flows import stop

    stop.request(signum)


def _stop_requested() -> int | None:
    """The signal that asked to stop; flows.stop is imported only by a signal or a flow (importing
    the flows package earlier would fix PREFECT_HOME before --home is read)."""
    stop = sys.modules.get("flows.stop")
    return stop.requested() if stop else None


def interrupted_text() -> str:
    from fulian.progress import kept_summary

    return "已中断。" + kept_summary()


def _usage_or_failure(exc: Exception, err_console) -> int:  # noqa: ANN001
    from typer import Abort
    from typer._click.exceptions import ClickException, UsageError

    from fulian.cli_text import usage_error_zh, usage_zh

    if type(exc).__name__ == "NoArgsIsHelpError":
        err_console.print(exc.ctx.get_help() if exc.ctx else "", markup=False, highlight=False, soft_wrap=True)
        return Exit.USAGE
    if isinstance(exc, UsageError):
        ctx = exc.ctx
        if ctx is not None:
            err_console.print(usage_zh(ctx.get_usage()), markup=False, highlight=False, soft_wrap=True)
        err_console.print(usage_error_zh(exc.format_message()), markup=False, highlight=False, soft_wrap=True)
        if ctx is not None:
            err_console.print(f"查看帮助：{ctx.command_path} --help", markup=False, highlight=False, soft_wrap=True)
        return exc.exit_code
    if isinstance(exc, ClickException):
        err_console.print(usage_error_zh(exc.format_message()), markup=False, highlight=False, soft_wrap=True)
        return exc.exit_code
    if isinstance(exc, Abort):
        return Exit.INTERRUPTED
    known = classify(exc)
    if known is not None:
        err_console.print(known.message, markup=False, highlight=False, soft_wrap=True)
        return known.code
    where = _write_details(exc)
    err_console.print(f"出现了意外错误（{type(exc).__name__}），操作未完成，已归档的内容不受影响。"
                      f"详细信息已写入 {where}，请把这个文件交给维护人员。", markup=False, highlight=False, soft_wrap=True)
    return Exit.INTERNAL


def _write_details(exc: BaseException) -> str:
    """The traceback goes to a file under FULIAN_HOME/logs (or the temp folder), never the terminal."""
    import tempfile

    text = "".join(traceback.format_exception(exc))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for folder in (Path(os.environ.get("FULIAN_HOME", "./fulian-data")) / "logs",
                   Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"fulian-error-{stamp}.log"
            target.write_text(f"fulian {' '.join(sys.argv[1:])}\n{text}", encoding="utf-8")
            return str(target.resolve())
        except OSError:
            continue
    return "（无法写入日志文件）"
