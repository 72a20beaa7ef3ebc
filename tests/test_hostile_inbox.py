"""Issue 14: the drop folder is not a trusted place (`fulian nightly` as a user runs it).

A FIFO or socket once blocked the nightly forever, a link to /dev/zero read until memory
ran out, and a link to a file outside the inbox archived that file. Now only regular
files inside the inbox are read; the rest are recorded `unsupported` and left in place.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from fulian.samples import hostile
from tests.conftest import run_cli
from tests.hostile import assert_accounted, write_batch

pytestmark = [pytest.mark.xdist_group("prefect"), pytest.mark.slow]


def test_links_fifos_sockets_and_devices_are_recorded_not_read(prefect_api: str, tmp_path: Path) -> None:
    home, inbox = tmp_path / "home", tmp_path / "inbox"
    env = {"FULIAN_HOME": str(home), "FULIAN_INBOX": str(inbox), "FULIAN_WORKERS": "2",
           "FULIAN_DATABASE_URL": f"sqlite:///{home / 'fulian.db'}", "PREFECT_API_URL": prefect_api}
    good = write_batch(inbox, {})
    secret = tmp_path / "外部" / "机密材料.docx"
    secret.parent.mkdir()
    secret.write_bytes(hostile.good_docx("燕山", 99)[1])
    (inbox / "指向外部.docx").symlink_to(secret)
    (inbox / "指向外部的文件夹").symlink_to(secret.parent, target_is_directory=True)
    (inbox / "零设备.docx").symlink_to("/dev/zero")
    os.mkfifo(inbox / "管道.docx")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(inbox / "套接字.docx"))
    odd = ["指向外部.docx", "指向外部的文件夹", "零设备.docx", "管道.docx", "套接字.docx"]
    try:
        os.mknod(inbox / "设备.docx", 0o600 | 0o020000, os.makedev(1, 5))  # a character device
        odd.append("设备.docx")
    except PermissionError:
        pass  # not root: the other kinds still cover the class

    run_cli("nightly", "--settle", "0", env=env, timeout=600)
    sock.close()
    rows = json.loads(run_cli("submissions", "--format", "json", env=env).stdout)
    assert_accounted(rows, good, {n: {"unsupported"} for n in odd})
    secret_sha = __import__("hashlib").sha256(secret.read_bytes()).hexdigest()
    assert secret_sha not in {r["sha256"] for r in rows}
    for name in odd:  # left where they were
        assert os.path.lexists(inbox / name), name
    assert secret.exists()
    again = run_cli("nightly", "--settle", "0", env=env, timeout=600)  # the next night is not blocked
    assert again.returncode == 0
    assert len(json.loads(run_cli("submissions", "--format", "json", env=env).stdout)) == len(rows)
