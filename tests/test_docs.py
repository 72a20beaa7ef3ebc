"""Every command and option of `fulian` is in docs/cli.md; the README starts with the two commands."""

from __future__ import annotations

import re
from pathlib import Path

import click
import typer.main

from fulian.cli import app

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> dict[str, click.Command]:
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def test_every_command_and_option_is_documented() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = []
    for name, cmd in _commands().items():
        if not re.search(rf"^##+ `fulian {re.escape(name)}", doc, re.M):
            missing.append(f"command {name}")
        for param in cmd.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help" and opt not in doc:
                    missing.append(f"{name} {opt}")
    for param in typer.main.get_command(app).params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help" and opt not in doc:
                missing.append(f"global {opt}")
    assert not missing, f"undocumented in docs/cli.md: {missing}"


def test_readme_starts_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:1500]
    assert "make demo" in head and "make test" in head
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
