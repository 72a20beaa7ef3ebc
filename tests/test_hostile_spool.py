"""Issue 14: truncated uploads leave no `.tmp-*` files in the spool forever."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

from connectors.spool import TMP_PREFIX, SpoolConnector, sweep_stale
from schemas.units import load_registry


def test_stale_partial_uploads_are_swept_fresh_ones_kept(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    old, fresh = spool / f"{TMP_PREFIX}abc", spool / f"{TMP_PREFIX}def"
    old.write_bytes(b"half an upload")
    fresh.write_bytes(b"an upload being written")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    assert SpoolConnector(spool, load_registry()).scan() == []
    assert not old.exists() and fresh.exists()
    assert sweep_stale(spool, older_than=0) == 1 and not fresh.exists()


def _spool_files(home: Path) -> list[str]:
    spool = home / "spool"
    return sorted(p.name for p in spool.iterdir() if p.is_file()) if spool.is_dir() else []


def _multipart(files: list[tuple[str, bytes]], fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = "----fulian-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts += [f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
              f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n" for name, data in files]
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_a_truncated_upload_leaves_nothing_in_the_spool(sqlite_home: Path) -> None:
    from tests.web_site import build_site, csrf_of, signed_in

    build_site()
    web = signed_in("qcl")
    body, ctype = _multipart([("总结.docx", b"A" * 5000), ("信息.docx", b"B" * 5000)],
                             {"csrf": csrf_of(web), "unit": "quanchenglu"})
    for cut in (len(body) - 2000, len(body) - 7000, len(body) - 40):  # inside the 2nd file, the 1st, the end
        r = web.post("/upload", content=body[:cut], headers={"content-type": ctype})
        assert r.status_code == 400 and "上传不完整" in r.text, (cut, r.status_code, r.text[:300])
        assert _spool_files(sqlite_home) == [], cut
    assert web.post("/upload", content=body, headers={"content-type": ctype}).status_code == 200
    assert len(_spool_files(sqlite_home)) == 4  # the whole form: two files, each with its JSON


def test_the_spool_total_is_capped(sqlite_home: Path) -> None:
    from tests.web_site import build_site, csrf_of, signed_in

    build_site()
    web = signed_in("qcl", spool_max_mb=1)
    token = csrf_of(web)

    def upload(*sizes: int):  # noqa: ANN202 - httpx.Response
        files = [("files", (f"第{i}份.docx", io.BytesIO(b"x" * n))) for i, n in enumerate(sizes)]
        return web.post("/upload", data={"csrf": token, "unit": "quanchenglu"}, files=files)

    assert upload(700 * 1024).status_code == 200
    kept = _spool_files(sqlite_home)
    r = upload(200 * 1024, 200 * 1024)  # 700 + 400 KB > 1 MB: the whole form is refused
    assert r.status_code == 507 and "上传暂存区已满" in r.text and "1 MB" in r.text
    assert _spool_files(sqlite_home) == kept  # nothing of the refused form, not even its first file
    assert upload(300 * 1024).status_code == 200  # what still fits is taken
    assert upload(30 * 1024).status_code == 507
