"""The IMAP connector against a real Dovecot on loopback, with mail as Chinese clients write it."""

from __future__ import annotations

import base64
import grp
import imaplib
import io
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.mime.application import MIMEApplication
from email.mime.image import MIMEImage
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest

from connectors.mailbox import Mailbox, imap_utf7, load_senders
from connectors.mime import decode_header_text, header_params
from schemas.units import load_registry

PASSWORD = "s3cret-口令"
USERS = ("main@example.org", "fallback@example.org", "forward@example.org", "flow@example.org")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dovecot_binary() -> str:
    found = shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin:/sbin")
    if found:
        return found
    reason = "dovecot is not installed (Debian package dovecot-imapd; scripts/system-deps.sh)"
    if os.environ.get("CI") or os.geteuid() == 0:
        pytest.fail(reason)
    pytest.skip(reason)


def _config(root: Path, port: int) -> str:
    if os.geteuid() == 0:  # Dovecot refuses root for login and mail processes
        internal, login, mail = "dovecot", "dovenull", pwd.getpwnam("dovecot")
    else:  # everything as this user (checked by hand as nobody)
        mail = pwd.getpwuid(os.geteuid())
        internal = login = mail.pw_name
    group = grp.getgrgid(mail.pw_gid).gr_name
    (root / "mail").mkdir()
    os.chown(root / "mail", mail.pw_uid, mail.pw_gid)
    return f"""
base_dir = {root}/run
state_dir = {root}/state
instance_name = fulian-test-{port}
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = {root}/dovecot.log
mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail.pw_uid} gid={mail.pw_gid} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


@pytest.fixture(scope="module")
def imap_server() -> Iterator[tuple[str, int]]:
    """Dovecot on a free loopback port; maildirs in a temp dir its processes can enter."""
    binary = _dovecot_binary()
    root = Path(tempfile.mkdtemp(prefix="fulian-dovecot-"))
    root.chmod(0o755)
    port = _free_port()
    (root / "dovecot.conf").write_text(_config(root, port), encoding="utf-8")
    (root / "passwd").write_text("".join(f"{u}:{{PLAIN}}{PASSWORD}\n" for u in USERS),
                                 encoding="utf-8")
    proc = subprocess.Popen([binary, "-F", "-c", str(root / "dovecot.conf")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                log = root / "dovecot.log"
                if proc.poll() is not None or time.time() > deadline:
                    pytest.fail("dovecot did not start: "
                                + (log.read_text() if log.exists() else "no log"))
                time.sleep(0.1)
        yield "127.0.0.1", port
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        shutil.rmtree(root, ignore_errors=True)


def _login(server: tuple[str, int], user: str) -> imaplib.IMAP4:
    imap = imaplib.IMAP4(*server)
    secret = f"\0{user}\0{PASSWORD}".encode()
    imap.authenticate("PLAIN", lambda _challenge: secret)
    return imap


def _append(server: tuple[str, int], user: str, raw: bytes, when: datetime | None = None) -> None:
    imap = _login(server, user)
    at = imaplib.Time2Internaldate(when or datetime.now(UTC))
    assert imap.append("INBOX", None, at, raw)[0] == "OK"
    imap.logout()


def _uids(server: tuple[str, int], user: str, folder: str) -> list[int]:
    imap = _login(server, user)
    imap.select('"' + imap_utf7(folder) + '"')
    data = imap.uid("SEARCH", None, "UNDELETED")[1][0]
    imap.logout()
    return [int(u) for u in data.split()]


def _docx(text: str) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _pdf(text: str) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.setFont("STSong-Light", 12)
    pdf.drawString(72, 720, text)
    pdf.save()
    return buf.getvalue()


def _message(subject: str, sender: str, parts: list, date: str | None = None) -> MIMEMultipart:
    msg = MIMEMultipart()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = "fulian@example.org"
    if date:
        msg["Date"] = date
    for part in parts:
        msg.attach(part)
    return msg


def _attachment(data: bytes, subtype: str, disposition: str) -> MIMEApplication:
    part = MIMEApplication(data, subtype)
    part.add_header("Content-Disposition", disposition)
    return part


def _gbk_words(text: str, label: str = "gb2312") -> str:
    return f"=?{label}?B?{base64.b64encode(text.encode('gbk')).decode()}?="


def _pct(text: str) -> str:
    return "".join(f"%{b:02X}" for b in text.encode("utf-8"))


INFO = ("解放路街道妇联开展“巾帼建功”主题活动。12月5日，解放路街道妇联组织辖区各社区妇联主席"
        "及妇女骨干80余人，在街道会议室召开2013年度工作总结会，总结全年妇女儿童工作，部署下一年"
        "重点任务。会上，各社区妇联主席分别汇报了本社区“春蕾计划”、家长学校和维权工作的开展情况。")


def _mailbox_fixture(server: tuple[str, int]) -> dict[str, bytes]:
    """Five messages in the ways real clients send them; returns the attachment bytes by name."""
    docx_a, pdf_b = _docx("解放路街道2013年工作总结"), _pdf("甸柳庄社区信息")
    docx_c, pdf_c = _docx("姚家街道两纲统计"), _pdf("姚家街道报表说明")
    name_a = "解放路街道妇联2013年工作总结.docx"  # RFC 2231, UTF-8, in two pieces
    a = _message("报送2013年工作总结", "解放路 <JFL_Fulian@163.com>", [
        MIMEText("请查收。", "plain", "utf-8"),
        _attachment(docx_a, "vnd.openxmlformats-officedocument.wordprocessingml.document",
                    f"attachment; filename*0*=utf-8''{_pct(name_a[:6])}; "
                    f"filename*1*={_pct(name_a[6:])}")],
        date="Mon, 02 Dec 2013 09:30:00 +0800")
    name_b = "甸柳庄社区信息（王堃）.pdf"  # 堃 is GBK, not GB2312: the label lies, as clients do
    b = _message(_gbk_words("甸柳庄社区信息"), "someone@qq.com", [
        _attachment(pdf_b, "pdf", f'attachment; filename="{_gbk_words(name_b)}"')])
    related = MIMEMultipart("related")
    related.attach(MIMEText('<p>姚家街道报表，见附件<img src="cid:logo1"></p>', "html", "utf-8"))
    logo = MIMEImage(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="),
        "png")
    logo.add_header("Content-ID", "<logo1>")
    logo.add_header("Content-Disposition", "inline", filename="logo.png")
    related.attach(logo)
    c = _message("=?utf-8?B?" + base64.b64encode("姚家街道两份材料".encode()).decode() + "?=",
                 "yaojia@lixia.gov.cn", [
                     related,
                     _attachment(docx_c, "octet-stream", 'attachment; filename="RAWNAME.docx"'),
                     _attachment(pdf_c, "pdf", "attachment; filename=\"=?utf-8?B?"
                                 + base64.b64encode("报表说明.pdf".encode()).decode() + "?=\"")],
                 date="Tue, 03 Dec 2013 16:00:00 +0800")
    raw_c = c.as_bytes().replace(b"RAWNAME", "姚家街道两纲统计表".encode("gb18030"))
    d = _message(_gbk_words("解放路街道信息：巾帼建功"), "jfl_fulian@163.com", [
        MIMEText(INFO + "\n\n在 2013年12月5日 写道：\n> 请各街道报送信息\n", "plain", "gbk")],
        date="Thu, 05 Dec 2013 10:00:00 +0800")
    e = _message("Re: 通知", "jfl_fulian@163.com", [MIMEText("收到，谢谢！", "plain", "utf-8")])
    internal = datetime(2013, 12, 4, 8, 15, tzinfo=UTC)
    for raw, when in ((a.as_bytes(), None), (b.as_bytes(), internal), (raw_c, None),
                      (d.as_bytes(), None), (e.as_bytes(), None)):
        _append(server, USERS[0], raw, when)
    return {name_a: docx_a, name_b: pdf_b, "姚家街道两纲统计表.docx": docx_c, "报表说明.pdf": pdf_c}


SENDERS = """
jfl_fulian@163.com: 解放路街道妇联
"@lixia.gov.cn": yaojia
"""


def _open(server: tuple[str, int], user: str, **kw) -> Mailbox:  # noqa: ANN003
    return Mailbox(server[0], user, PASSWORD, port=server[1], use_ssl=False,
                   senders=load_senders(SENDERS, load_registry()), **kw)


def test_attachments_names_claims_dates_and_moves(imap_server: tuple[str, int]) -> None:
    sent = _mailbox_fixture(imap_server)
    with _open(imap_server, USERS[0], done_folder="已处理") as box:
        items = box.scan()
        by_name = {i.original_name: i for i in items}
        text = next(n for n in by_name if n.endswith(".txt"))
        assert sorted(by_name) == sorted([*sent, text])
        assert all(by_name[n].data == data and by_name[n].size == len(data) for n, data in sent.items())
        a, b = by_name["解放路街道妇联2013年工作总结.docx"], by_name["甸柳庄社区信息（王堃）.pdf"]
        c1, c2 = by_name["姚家街道两纲统计表.docx"], by_name["报表说明.pdf"]
        assert (a.claimed_unit, b.claimed_unit, c1.claimed_unit) == ("jiefanglu", None, "yaojia")
        assert a.received_at == "2013-12-02T01:30:00+00:00"  # Date header, in UTC
        assert b.received_at == "2013-12-04T08:15:00+00:00"  # no Date: the server's INTERNALDATE
        assert b.meta["subject"] == "甸柳庄社区信息" and a.meta["sender"] == "jfl_fulian@163.com"
        assert c1.meta["subject"] == "姚家街道两份材料" and c2.received_at == "2013-12-03T08:00:00+00:00"
        assert ";UIDVALIDITY=" in a.source_uri and a.source_uri.startswith(
            f"imap://main%40example.org@127.0.0.1:{imap_server[1]}/INBOX;")
        assert c1.source_uri.endswith(";SECTION=2") and c2.source_uri.endswith(";SECTION=3")
        assert len({i.receipt for i in items}) == len(items)
        body = by_name[text]
        assert text == "解放路街道信息：巾帼建功.txt" and body.claimed_unit == "jiefanglu"
        assert body.data.decode("utf-8") == f"解放路街道信息：巾帼建功\n\n{INFO}\n"  # reply cut
        for item in items:
            if item is not c2:  # the crash: c2 was archived, never acknowledged
                box.acknowledge(item, "accepted" if item is not b else "needs_review")
        assert len(_uids(imap_server, USERS[0], "已处理")) == 3
        assert len(_uids(imap_server, USERS[0], "INBOX")) == 2  # C (half acknowledged) and "收到"
    with _open(imap_server, USERS[0], done_folder="已处理") as again:
        left = again.scan()  # "收到" carries $FulianSkipped: not fetched again
        assert sorted((i.original_name, i.receipt) for i in left) == sorted(
            (i.original_name, i.receipt) for i in (c1, c2))
        for item in left:
            again.acknowledge(item, "already")
    assert len(_uids(imap_server, USERS[0], "已处理")) == 4
    with _open(imap_server, USERS[0], done_folder="已处理") as third:
        assert third.scan() == []


def test_copy_and_expunge_only_this_message(imap_server: tuple[str, int]) -> None:
    """Without MOVE: COPY, flag, UID EXPUNGE of that one message; others' \\Deleted stay."""
    user = USERS[1]
    for n in (1, 2):
        _append(imap_server, user, _message(f"材料{n}", "x@qq.com", [_attachment(
            _pdf(f"材料{n}"), "pdf", f'attachment; filename="m{n}.pdf"')]).as_bytes())
    person = _login(imap_server, user)
    person.select("INBOX")
    person.uid("STORE", "2", "+FLAGS", r"(\Deleted)")  # a person deleted it, not yet expunged
    with _open(imap_server, user) as box:
        box.allow_move = False
        items = box.scan()
        assert [i.original_name for i in items] == ["m1.pdf"]
        box.acknowledge(items[0], "rejected")
    person.select("INBOX")
    assert person.uid("SEARCH", None, "ALL")[1][0].split() == [b"2"]  # still there, flagged
    person.logout()
    assert len(_uids(imap_server, user, "fulian-processed")) == 1


def test_forwarded_message_and_pictures_with_text(imap_server: tuple[str, int]) -> None:
    user = USERS[2]
    inner = _message("甸柳街道2013年总结", "dianliu@qq.com", [
        MIMEText("见附件", "plain", "utf-8"),
        _attachment(_docx("甸柳街道2013年总结"), "octet-stream",
                    "attachment; filename*=gb18030''" + "".join(
                        f"%{b:02X}" for b in "甸柳街道总结.docx".encode("gb18030")))])
    fwd = _message("转发: 甸柳街道2013年总结", "district@lixia.gov.cn", [
        MIMEText("转给各位参考", "plain", "utf-8"), MIMEMessage(inner)])
    photo = MIMEImage(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "png")
    photo.add_header("Content-Disposition", "attachment", filename="活动照片.png")
    pictures = _message("燕山街道信息", "ys@qq.com", [MIMEText(INFO, "html", "utf-8"), photo])
    for raw in (fwd.as_bytes(), pictures.as_bytes()):
        _append(imap_server, user, raw)
    with _open(imap_server, user) as box:
        items = {i.original_name: i for i in box.scan()}
    assert sorted(items) == ["活动照片.png", "燕山街道信息.txt", "甸柳街道总结.docx"]
    assert items["甸柳街道总结.docx"].meta["imap_section"] == "2.2"
    assert INFO in items["燕山街道信息.txt"].data.decode("utf-8")


def test_sender_map_shapes_and_errors(tmp_path: Path) -> None:
    reg = load_registry()
    path = tmp_path / "senders.yaml"
    path.write_text("甸柳街道: [DL@qq.com, dl2@163.com]\n\"@lixia.gov.cn\": lixia\n", encoding="utf-8")
    assert load_senders(str(path), reg) == {"dl@qq.com": "dianliu", "dl2@163.com": "dianliu",
                                            "@lixia.gov.cn": "lixia"}
    assert load_senders('{"a@b.cn": "jiefanglu"}', reg) == {"a@b.cn": "jiefanglu"}
    assert load_senders(None, reg) == {}
    with pytest.raises(ValueError, match="不存在街道"):
        load_senders("a@b.cn: 不存在街道", reg)


def test_header_decoding_as_clients_send_it() -> None:
    raw_gbk = 'attachment; filename="' + "两纲统计.xls".encode("gbk").decode("ascii", "surrogateescape") + '"'
    assert header_params(raw_gbk)["filename"] == "两纲统计.xls"
    assert header_params("attachment; filename*=GB2312''%CD%F5%88%D2.doc")["filename"] == "王堃.doc"
    split = "=?gbk?B?" + base64.b64encode("妇联".encode("gbk")[:3]).decode() + "?= =?gbk?B?" \
        + base64.b64encode("妇联".encode("gbk")[3:]).decode() + "?="
    assert decode_header_text(split) == "妇联"  # a character split across two encoded words
    assert decode_header_text("=?utf-8?Q?=E5=A6=87=E8=81=94?= 2013") == "妇联 2013"


class CrashBeforeAcknowledge(Mailbox):
    """A run that dies after the archive committed, before it let go of the mail."""

    def acknowledge(self, item, outcome: str) -> None:  # noqa: ANN001
        return None


def _pipeline(prefect_api: str, connector: Mailbox) -> dict:
    from prefect import flow
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.ingest import run_connectors
    from flows.runtime import close_runtime, open_runtime

    @flow(name="mailbox-test")
    def run() -> dict:
        rt = open_runtime()
        try:
            return run_connectors(rt, [connector])
        finally:
            close_runtime(rt)

    with temporary_settings(updates={PREFECT_API_URL: prefect_api}), connector:
        return run()


@pytest.mark.xdist_group("prefect")
def test_pipeline_records_mail_once_across_a_crash(imap_server: tuple[str, int], prefect_api: str,
                                                   sqlite_home: Path) -> None:
    from archive.queries import submissions
    from archive.store import Archive
    from fulian.samples import bad
    from fulian.samples.spec import DocSpec
    from schemas.settings import Settings

    user = USERS[3]
    spec = DocSpec(title="2013年工作总结", body=["2013年，我们共培训妇女326人，举办招聘会2场。"],
                   signature=["2013年12月20日"])  # the unit is named nowhere but by the sender
    _append(imap_server, user, _message("年度总结", "jfl_fulian@163.com", [_attachment(
        bad._docx_bytes(spec), "octet-stream", f'attachment; filename="{_gbk_words("总结.docx")}"')],
        date="Fri, 20 Dec 2013 17:00:00 +0800").as_bytes())
    crashed = _pipeline(prefect_api, CrashBeforeAcknowledge(
        imap_server[0], user, PASSWORD, port=imap_server[1], use_ssl=False,
        senders=load_senders(SENDERS, load_registry())))
    assert crashed["counts"] == {"accepted": 1} and _uids(imap_server, user, "INBOX")
    rerun = _pipeline(prefect_api, _open(imap_server, user))
    assert rerun["counts"] == {}  # recorded already: only let go of the mail
    assert _uids(imap_server, user, "INBOX") == [] and len(_uids(imap_server, user, "fulian-processed")) == 1
    (row,) = submissions(Archive(Settings()))
    assert (row["original_name"], row["unit"], row["status"]) == ("总结.docx", "解放路街道妇联", "accepted")


def test_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from schemas.settings import Settings

    reg = load_registry()
    monkeypatch.delenv("FULIAN_IMAP_HOST", raising=False)
    assert Mailbox.from_settings(Settings(), reg) is None
    for key, value in {"HOST": "mail.example.org", "USER": "fulian@example.org",
                       "PASSWORD": "口令-1", "SSL": "false", "PORT": "143",
                       "DONE_FOLDER": "已处理", "SENDERS": '{"a@b.cn": "甸柳街道"}'}.items():
        monkeypatch.setenv(f"FULIAN_IMAP_{key}", value)
    settings = Settings()
    assert "口令-1" not in repr(settings)
    box = Mailbox.from_settings(settings, reg)
    assert box is not None and (box.host, box.port, box.use_ssl, box.folder) == (
        "mail.example.org", 143, False, "INBOX")
    assert box.done_folder == "已处理" and box.senders == {"a@b.cn": "dianliu"}
    assert box._password == "口令-1"


def test_folder_names_in_modified_utf7() -> None:
    assert imap_utf7("~peter/mail/台北/日本語") == "~peter/mail/&U,BTFw-/&ZeVnLIqe-"  # RFC 3501
    assert imap_utf7("A&B 已处理") == "A&-B &XfJZBHQG-"
