"""`make demo` installs what fulian runs on and writes into its own home; `make test` adds the rest."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _missing_packages(kind: str, tmp_path: Path) -> set[str]:
    """What system-deps.sh would install on a bare machine, run as a non-root user would."""
    fake = tmp_path / "bin"
    fake.mkdir(exist_ok=True)
    (fake / "dpkg-query").write_text("#!/bin/sh\nexit 1\n")  # nothing installed
    (fake / "id").write_text("#!/bin/sh\necho 1000\n")  # not root: only says what is missing
    for f in fake.iterdir():
        f.chmod(0o755)
    proc = subprocess.run(["bash", str(ROOT / "scripts" / "system-deps.sh"), kind],
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"})
    return set(proc.stderr.split(":", 1)[1].split())


def test_demo_packages_leave_out_what_only_tests_start(tmp_path: Path) -> None:
    demo, test = _missing_packages("demo", tmp_path), _missing_packages("test", tmp_path)
    assert {"tesseract-ocr-chi-sim", "libreoffice-writer-nogui", "fonts-arphic-gbsn00lp"} <= demo
    assert not demo & {"dovecot-imapd", "chromium", "chromium-driver"}
    assert test == demo | {"dovecot-imapd", "chromium", "chromium-driver"}


def test_make_demo_uses_a_demo_home_and_no_dev_extras() -> None:
    plan = subprocess.run(["make", "-n", "-B", "demo"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout
    assert f"FULIAN_HOME={ROOT}/fulian-demo" in plan and "-u FULIAN_DATABASE_URL" in plan
    assert "system-deps.sh demo" in plan and "'.[dev]'" not in plan
    assert "rm -rf" in subprocess.run(["make", "-n", "clean-demo"], cwd=ROOT, capture_output=True,
                                      text=True, check=True).stdout
