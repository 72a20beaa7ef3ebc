"""Sessions, CSRF, login rate limits, security headers, audit events and account commands."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from tests.web_site import PASSWORD, build_site, client, csrf_of, log_in, login_token, signed_in

ROOT = Path(__file__).resolve().parents[1]
POSTS = ("/logout", "/review/1", "/audit/verify", "/completeness/recompute", "/quality/recompute")


def actions(archive, actor: str | None = None) -> list[str]:  # noqa: ANN001
    from archive.models import AuditEvent

    q = select(AuditEvent.action).order_by(AuditEvent.seq)
    if actor:
        q = q.where(AuditEvent.actor == actor)
    with archive.db.reader() as s:
        return list(s.execute(q).scalars())


def test_every_form_post_needs_the_sessions_token(sqlite_home) -> None:  # noqa: ANN001
    build_site()
    web = signed_in("admin1")
    for path in POSTS:
        assert web.post(path, data={"year": "2013"}).status_code == 403, path
        assert web.post(path, data={"year": "2013", "csrf": "forged"}).status_code == 403, path
    other = signed_in("arch1")  # another session's token is no good either
    assert web.post("/audit/verify", data={"csrf": csrf_of(other)}).status_code == 403
    token = csrf_of(web)
    r = web.post("/audit/verify", data={"csrf": token}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and "来源" in r.text
    assert web.post("/audit/verify", data={"csrf": token}).status_code == 200
    assert web.post("/audit/verify", json={"csrf": token}).status_code == 400  # forms only
    r = web.post("/upload", data={"unit": "quanchenglu"}, files=[("files", ("a.docx", io.BytesIO(b"x")))])
    assert r.status_code == 403 and not list((sqlite_home / "spool").glob("*.json"))


def test_login_form_has_its_own_token_and_refuses_other_sites(sqlite_home) -> None:  # noqa: ANN001
    build_site()
    web = client()
    r = web.post("/login", data={"name": "admin1", "password": PASSWORD, "csrf": "x"})
    assert r.status_code == 403
    r = web.post("/login", data={"name": "admin1", "password": PASSWORD, "csrf": login_token(web),
                                 "next": "//evil.example/x"})
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_logins_are_rate_limited_per_account_and_per_address(sqlite_home) -> None:  # noqa: ANN001
    site = build_site()
    web = client(login_max_failures=3, login_max_failures_address=5)
    for _ in range(3):
        assert log_in(web, "qcl", "wrong password").status_code == 401
    r = log_in(web, "qcl")  # the right password, but too many failures
    assert r.status_code == 429 and "次数过多" in r.text
    assert log_in(web, "yj", "wrong password").status_code == 401  # refused ones count: 5 now
    assert log_in(web, "admin1").status_code == 429  # the address is blocked for every account
    events = actions(site.archive)
    assert events.count("web.login_failed") == 4 and events.count("web.login_refused") == 2


def test_sessions_end_when_idle_disabled_or_password_changed(sqlite_home) -> None:  # noqa: ANN001
    from archive.accounts import set_disabled, set_password
    from archive.models_accounts import WebSession

    site = build_site()
    web = signed_in("arch1")
    assert web.get("/").status_code == 200
    with site.archive.db.writer() as s:
        s.execute(update(WebSession).values(seen=WebSession.seen - 31 * 60))
    assert web.get("/").status_code == 303  # idle longer than 30 minutes
    for name, change in (("arch1", lambda s, log: set_disabled(s, log, "arch1")),
                         ("qcl", lambda s, log: set_password(s, log, "qcl", "another pass 34"))):
        web = signed_in(name)
        with site.archive.db.writer() as s:
            log = site.archive.audit(s)
            change(s, log)
            log.flush()
        assert web.get("/").status_code == 303
    assert log_in(client(), "arch1").status_code == 401  # disabled
    with site.archive.db.reader() as s:
        assert s.execute(select(func.count()).select_from(WebSession)).scalar() == 0


def test_cookies_and_security_headers(sqlite_home) -> None:  # noqa: ANN001
    from fastapi.testclient import TestClient

    from fulian.web.app import create_app
    from schemas.settings import Settings

    build_site()
    plain = client()
    r = log_in(plain, "admin1")
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    https = TestClient(create_app(Settings()), base_url="https://testserver", follow_redirects=False)
    r = log_in(https, "admin1")
    assert "Secure" in r.headers["set-cookie"] and "HttpOnly" in r.headers["set-cookie"]
    for path in ("/", "/login", "/submissions/999", "/api/submissions", "/static/fulian.css"):
        h = plain.get(path).headers
        csp = h["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert h["x-frame-options"] == "DENY" and h["x-content-type-options"] == "nosniff", path
    assert "strict-transport-security" in https.get("/").headers


def test_templates_have_no_inline_script_or_style_and_no_other_origin() -> None:
    for page in (ROOT / "fulian" / "web" / "templates").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<script|<style|\sstyle=|\son[a-z]+=|javascript:", text), page.name
        assert not re.search(r"(https?:)?//[a-z]", text.replace("<!doctype", "")), page.name


def test_the_web_face_reads_only_through_scoped_queries() -> None:
    unscoped = re.compile(r"from archive\.(queries|queries_data|analysis) import|"
                          r"archive\.(queries|queries_data)\.|latest_quality_run|latest_completeness")
    for module in (ROOT / "fulian" / "web").glob("*.py"):
        assert not unscoped.search(module.read_text(encoding="utf-8")), module.name


def test_views_downloads_exports_and_logins_are_audited(sqlite_home) -> None:  # noqa: ANN001
    from archive.audit import verify_chain

    site = build_site()
    assert log_in(client(), "admin1", "bad guess").status_code == 401
    web = signed_in("stat1")
    qcl = site.ids["泉城路总结.docx"]
    assert web.get(f"/submissions/{qcl}").status_code == 200
    r = web.get(f"/submissions/{qcl}/download")
    assert r.status_code == 200 and r.content == b"qcl summary"
    assert web.get("/api/indicators?year=2013").status_code == 200
    assert web.get("/submissions").status_code == 200  # a list is not an event
    assert actions(site.archive, "web:stat1") == ["web.login", "document.viewed", "document.downloaded",
                                                  "export.downloaded"]
    assert actions(site.archive, "web:admin1") == ["web.login_failed"]
    with site.archive.db.reader() as s:
        count, problems = verify_chain(s)
    assert problems == [] and count > 10


def test_personal_data_is_masked_and_its_original_kept_from_statistics_staff(sqlite_home) -> None:  # noqa: ANN001
    from archive.models import Extraction, Submission
    from tests.test_archive import ingest, received

    site = build_site()
    item = received(b"register", "春蕾女童登记表.xlsx", doc_type="chunlei_register")
    item.extraction.text = "姓名：王小红 身份证 370102201001011234 电话 13812345678"
    item.extraction.pii = True
    ingest(site.archive, [item])
    with site.archive.db.reader() as s:
        sid = s.execute(select(Submission.id).where(Submission.source_path == "春蕾女童登记表.xlsx")).scalar()
        assert s.execute(select(Extraction.id).where(Extraction.submission_id == sid)).scalar()
    for role in ("admin1", "stat1", "qcl"):
        page = signed_in(role).get(f"/submissions/{sid}").text
        assert "王小红" not in page and "13812345678" not in page and "20100101" not in page, role
        assert "王**" in page and "138****5678" in page, role
    assert signed_in("stat1").get(f"/submissions/{sid}/download").status_code == 404
    assert signed_in("qcl").get(f"/submissions/{sid}/download").status_code == 200


def test_reading_does_not_write_and_recompute_is_a_post(sqlite_home) -> None:  # noqa: ANN001
    from archive.models import CompletenessSnapshot, QualityRun

    site = build_site()
    web = signed_in("stat1")
    assert "还没有计算过" in web.get("/quality?year=2013").text
    assert "还没有计算过" in web.get("/completeness?year=2013").text
    with site.archive.db.reader() as s:
        assert s.execute(select(func.count()).select_from(QualityRun)).scalar() == 0
        assert s.execute(select(func.count()).select_from(CompletenessSnapshot)).scalar() == 0
    token = csrf_of(web)
    assert web.post("/quality/recompute", data={"year": "2013", "csrf": token}).status_code == 303
    assert web.post("/completeness/recompute", data={"year": "2013", "csrf": token}).status_code == 303
    assert "计算于" in web.get("/quality?year=2013").text
    page = web.get("/completeness?year=2013").text
    assert "计算于" in page and "泉城路街道妇联" in page
    assert web.get("/quality/report.xlsx?year=2013").content[:2] == b"PK"
    notices = web.get("/completeness/notices.txt?year=2013")
    assert notices.status_code == 200 and "妇联" in notices.text and "attachment" in notices.headers[
        "content-disposition"]
    assert actions(site.archive, "web:stat1")[-1] == "export.downloaded"


def test_wrong_input_gets_a_chinese_page(sqlite_home) -> None:  # noqa: ANN001
    build_site()
    web = signed_in("arch1")
    for path in ("/indicators?year=abc", "/completeness?year=99999", "/submissions?page=0"):
        r = web.get(path)
        assert r.status_code == 400 and "输入有误" in r.text and "<h1>" in r.text, path
    assert web.get("/api/indicators?year=x").json()["detail"].startswith("输入有误")


@pytest.mark.slow
def test_user_commands(sqlite_home) -> None:  # noqa: ANN001
    import subprocess
    import sys

    def user(*args: str, password: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "fulian.cli", "user", *args], input=password,
                              capture_output=True, text=True, cwd=ROOT, timeout=120)

    ok = user("add", "zhang", "--role", "unit", "--unit", "泉城路", "--password-stdin",
              password=PASSWORD + "\n")
    assert ok.returncode == 0 and "quanchenglu" in ok.stdout
    bad = user("add", "li", "--role", "unit", "--password-stdin", password=PASSWORD + "\n")
    assert bad.returncode == 2 and "--unit" in bad.stderr
    short = user("add", "li", "--role", "admin", "--password-stdin", password="short\n")
    assert short.returncode == 2 and "密码太短" in short.stderr
    assert user("passwd", "zhang", "--password-stdin", password="new password 99\n").returncode == 0
    assert user("disable", "zhang").returncode == 0
    listed = user("list", "--format", "json")
    assert '"disabled": true' in listed.stdout and "password" not in listed.stdout
    assert user("disable", "nobody").returncode == 2


def test_an_archivist_corrects_a_pending_value_with_a_reason(sqlite_home) -> None:  # noqa: ANN001
    site = build_site()
    web = signed_in("arch1")
    page = web.get("/review").text
    (value_id,) = re.findall(r'name="value_id" value="(v\d+)"', page)  # 姚家's 85 (confidence 0.3)
    assert "待核实的指标值（1 个" in page
    token = csrf_of(web)
    r = web.post("/values/correct", data={"value_id": value_id, "value": "58", "reason": "", "csrf": token})
    assert r.status_code == 400 and "请填写核实依据" in r.text
    r = web.post("/values/correct", data={"value_id": "v999", "value": "1", "reason": "x", "csrf": token})
    assert r.status_code == 400 and "没有这个指标值编号" in r.text
    r = web.post("/values/correct", data={"value_id": value_id, "value": "58", "reason": "电话核实，原文笔误",
                                        "csrf": token})
    assert r.status_code == 200 and "已更正" in r.text and "没有待核实的指标值" in r.text
    assert "电话核实，原文笔误" in r.text and "web:arch1" in r.text  # who decided what
    rows = {r["unit"]: r for r in web.get("/api/indicators?year=2013").json()}
    assert rows["姚家街道妇联"]["value"] == 58 and rows["姚家街道妇联"]["original_value"] == 85
    assert rows["姚家街道妇联"]["corrected_by"] == "web:arch1"
    assert "value.corrected" in actions(site.archive, "web:arch1")
    unit_web = signed_in("qcl")
    r = unit_web.post("/values/correct", data={"value_id": value_id, "reject": "1", "reason": "x",
                                             "csrf": csrf_of(unit_web)})
    assert r.status_code == 403


def test_packets_are_listed_and_downloaded_by_who_may(sqlite_home) -> None:  # noqa: ANN001
    site = build_site()
    listing = {name: signed_in(name).get("/packets").text for name in ("admin1", "stat1", "qcl", "yj")}
    assert "全区汇总" in listing["admin1"] and "未遮盖个人信息" in listing["admin1"]
    assert "全区汇总" in listing["stat1"] and "未遮盖个人信息" not in listing["stat1"]
    assert "泉城路街道妇联" in listing["qcl"] and "全区汇总" not in listing["qcl"]
    assert "还没有可查看的年度材料" in listing["yj"]  # its only packet is unmasked: staff only
    web = signed_in("qcl")
    r = web.get(f"/packets/{site.packets['quanchenglu']}/download")
    assert r.status_code == 200 and r.content == b"PK zip of quanchenglu"
    for other in (site.packets["district"], site.packets["yaojia"], 999):
        assert web.get(f"/packets/{other}/download").status_code == 404
    assert actions(site.archive, "web:qcl")[-1] == "packet.downloaded"
