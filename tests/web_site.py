"""A small real archive with one user per role, and a browser-like login, for the web tests."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi.testclient import TestClient

from archive.store import Archive
from schemas.extraction import Evidence, IndicatorValue
from schemas.settings import Settings
from tests.test_archive import ingest, received

PASSWORD = "correct horse 12"
USERS = {"admin1": ("admin", None), "arch1": ("archivist", None), "stat1": ("statistician", None),
         "qcl": ("unit", "quanchenglu"), "yj": ("unit", "yaojia")}


@dataclass
class Site:
    archive: Archive
    ids: dict[str, int]  # source_path → submission id
    packets: dict[str, int]  # scope → packet id (a stand-in ZIP stored as `fulian packet` stores one)


def _with_text(item, text: str, value: float | None = None, confidence: float = 1.0):  # noqa: ANN001, ANN202
    item.extraction.text = text
    if value is not None:
        ev = Evidence(sha256=item.sha256, location="第1段", snippet=f"共培训妇女{value:g}人",
                      extractor_version="test", confidence=confidence)
        item.extraction.indicators.append(IndicatorValue(
            code="dev.women_trained", name="培训妇女", value=value, measure="人", evidence=ev))
    return item


def build_site() -> Site:
    """泉城路 and 姚家 each sent a summary; one file waits for review; one was rejected."""
    from archive.models import Submission

    archive = Archive(Settings())
    ingest(archive, [
        _with_text(received(b"qcl summary", "泉城路总结.docx"),
                   "2013年泉城路街道妇联工作总结。全年共培训妇女326人，开展家庭教育讲座。", 326),
        _with_text(received(b"yj summary", "姚家总结.docx", unit="yaojia"),
                   "2013年姚家街道妇联工作总结。春蕾女童登记，全年共培训妇女85人。", 85, 0.3),
        _with_text(received(b"nobody", "无单位.docx", unit=None), "不知是哪个单位的材料。"),
        received(b"\x00bad", "坏文件.docx", reason="corrupt"),
    ])
    add_users(archive)
    from sqlalchemy import select

    with archive.db.reader() as s:
        ids = dict(s.execute(select(Submission.source_path, Submission.id)).all())
    return Site(archive, ids, store_packets(archive))


def add_users(archive: Archive) -> None:
    """One account per role of USERS, all with PASSWORD."""
    from archive.accounts import add_user

    with archive.db.writer() as s:
        log = archive.audit(s)
        for name, (role, unit) in USERS.items():
            add_user(s, log, name, PASSWORD, role, unit)
        log.flush()


def store_packets(archive: Archive) -> dict[str, int]:
    from archive.packets_store import store_packet

    found = {}
    for scope, unmasked in (("quanchenglu", False), ("district", False), ("yaojia", True)):
        stored = store_packet(archive, year=2013, scope=scope, zipped=f"PK zip of {scope}".encode(),
                              manifest={}, archive_state="test", as_of="2014-01-31T23:59:59+08:00",
                              unmasked=unmasked)
        found[scope] = stored.id
    return found


def client(**overrides) -> TestClient:  # noqa: ANN003
    from fulian.web.app import create_app

    return TestClient(create_app(Settings(**overrides)), follow_redirects=False)


def login_token(web: TestClient) -> str:
    page = web.get("/login").text
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def log_in(web: TestClient, name: str, password: str = PASSWORD):  # noqa: ANN201 - httpx.Response
    return web.post("/login", data={"name": name, "password": password, "csrf": login_token(web),
                                    "next": "/"})


def signed_in(name: str, **overrides) -> TestClient:  # noqa: ANN003
    web = client(**overrides)
    r = log_in(web, name)
    assert r.status_code == 303, r.text
    return web


def csrf_of(web: TestClient) -> str:
    """The session's form token, as every page's logout form carries it."""
    return re.search(r'name="csrf" value="([^"]+)"', web.get("/upload").text).group(1)
