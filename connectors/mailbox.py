"""An IMAP mailbox as an intake channel: every attachment of every message is one submission.

What becomes an item
  Each attachment (a part with a file name that is not a picture embedded in an HTML
  body) is one `Incoming`, attachments of a forwarded message (message/rfc822) included.
  A message whose attachments are all pictures, or that has none, and whose body holds
  at least `body_min_chars` letters (an information item pasted into the mail is common)
  also yields its body as `<subject>.txt` (UTF-8, subject as first line). Quoted replies
  (">" lines, "原始邮件"/"Original Message"/"写道:" separators, "-- " signatures) are cut
  first, except in a forward ("转发"/"Fw:"), whose content is the forwarded text.
  A message yielding nothing is flagged `$FulianSkipped` and left where it is, so the
  next scan does not fetch it again.

Names
  RFC 2231, RFC 2047 (also inside quotes) and raw 8-bit names, GBK labelled gb2312 and
  the like: see connectors/mime.py. Only the last path component of a name is kept.

Sender claims
  `FULIAN_IMAP_SENDERS` is inline YAML/JSON or the path of a YAML file (relative paths
  also looked up from the project root, e.g. `schemas/senders.yaml`). Either shape:
      jfl_fulian@163.com: 解放路街道        # address (or "@domain") → unit code or name
      甸柳庄社区: [dlz@qq.com, 12345@qq.com]  # unit → its addresses
  The From address claims the unit (an exact address beats "@domain"), as a drop folder
  named after a unit does. The subject claims nothing: forwards name other units.

Receipts and acknowledgement
  The receipt is (host, user, folder, UIDVALIDITY, UID, MIME section): stable across runs
  until the message leaves the folder. Only when every item of a message was
  acknowledged (any outcome: all are recorded) is the message moved to the done folder
  (UID MOVE; else COPY, then \\Deleted and UID EXPUNGE of that message alone; without
  UIDPLUS it stays flagged \\Deleted, never expunging what others flagged).
"""

from __future__ import annotations

import base64
import contextlib
import email
import imaplib
import logging
import re
import ssl
import threading
import urllib.parse
from datetime import datetime
from email.utils import parseaddr
from pathlib import Path

import yaml

from connectors.base import Incoming, receipt_key
from connectors.mime import (
    PICTURES,
    attachment_name,
    body_text,
    clean_name,
    decode_header_text,
    internal_date,
    mail_date,
    raw_header,
    sections,
)
from schemas.settings import Settings
from schemas.units import UnitRegistry

log = logging.getLogger(__name__)

SKIPPED_FLAG = "$FulianSkipped"
_FORWARD = re.compile(r"^\s*(转发|fw|fwd)\s*[:：]", re.I)


def imap_utf7(name: str) -> str:
    """A folder name in IMAP's modified UTF-7 (RFC 3501 5.1.3): 已处理 → &XfJZBHQG-."""
    out, run = [], []

    def flush() -> None:
        if run:
            b64 = base64.b64encode("".join(run).encode("utf-16-be")).decode().rstrip("=")
            out.append("&" + b64.replace("/", ",") + "-")
            run.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            run.append(ch)
    flush()
    return "".join(out)


def quoted_folder(name: str) -> str:
    return '"' + imap_utf7(name).replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---- sender claims --------------------------------------------------------------------

def load_senders(spec: str | None, registry: UnitRegistry) -> dict[str, str]:
    """FULIAN_IMAP_SENDERS as {lower-case address or "@domain": unit code}; unknown units fail."""
    data = yaml.safe_load(spec) if spec and spec.strip() else None
    if isinstance(data, str):  # a file path
        path = Path(data).expanduser()
        if not path.exists():
            path = Path(__file__).resolve().parents[1] / data
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError("FULIAN_IMAP_SENDERS: expected a mapping of addresses and units")
    out: dict[str, str] = {}
    for key, value in data.items():
        if "@" in str(key):
            pairs = [(str(key), str(value))]
        else:
            pairs = [(str(a), str(key)) for a in (value if isinstance(value, list) else [value])]
        for address, unit_name in pairs:
            unit = registry.get(unit_name) or registry.by_name(unit_name)
            if unit is None or "@" not in address:
                raise ValueError(f"FULIAN_IMAP_SENDERS: {address!r} → {unit_name!r}: "
                                 "not an address and a known unit")
            out[address.strip().lower()] = unit.code
    return out


# ---- the connector --------------------------------------------------------------------

class Mailbox:
    """Scans one IMAP folder; moves a message away once all its items are archived."""

    name = "imap"

    def __init__(self, host: str, user: str, password: str, *, port: int = 993,
                 use_ssl: bool = True, folder: str = "INBOX", done_folder: str = "fulian-processed",
                 senders: dict[str, str] | None = None, body_min_chars: int = 100,
                 timeout: float = 60.0):
        self.host, self.port, self.user, self._password = host, port, user, password
        self.use_ssl, self.folder, self.done_folder = use_ssl, folder, done_folder
        self.senders, self.body_min_chars, self.timeout = senders or {}, body_min_chars, timeout
        self._imap: imaplib.IMAP4 | None = None
        self._caps: set[str] = set()
        self._uidvalidity: int | None = None
        self._pending: dict[int, set[str]] = {}  # UID → receipts not yet acknowledged
        self._lock = threading.RLock()
        self.allow_move = True  # tests turn it off to exercise COPY + EXPUNGE

    @classmethod
    def from_settings(cls, s: Settings, registry: UnitRegistry) -> Mailbox | None:
        if not s.imap_host:
            return None
        return cls(s.imap_host, s.imap_user or "", s.imap_password.get_secret_value()
                   if s.imap_password else "", port=s.imap_port, use_ssl=s.imap_ssl,
                   folder=s.imap_folder, done_folder=s.imap_done_folder,
                   senders=load_senders(s.imap_senders, registry),
                   body_min_chars=s.imap_body_min_chars)

    def __enter__(self) -> Mailbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._imap is not None:
                with contextlib.suppress(imaplib.IMAP4.error, OSError):
                    self._imap.logout()
                self._imap = None

    # -- session

    def _connect(self) -> imaplib.IMAP4:
        if self.use_ssl:
            imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(self.host, self.port, timeout=self.timeout,
                                                    ssl_context=ssl.create_default_context())
        else:
            imap = imaplib.IMAP4(self.host, self.port, timeout=self.timeout)
        if "AUTH=PLAIN" in imap.capabilities:  # SASL PLAIN carries UTF-8; LOGIN only ASCII
            secret = f"\0{self.user}\0{self._password}".encode()
            imap.authenticate("PLAIN", lambda _challenge: secret)
        else:
            imap.login(self.user, self._password)
        self._caps = {c.upper() for c in imap.capability()[1][0].decode().split()}
        typ, data = imap.select(quoted_folder(self.folder))
        if typ != "OK":
            raise imaplib.IMAP4.error(f"cannot select {self.folder!r}: {data}")
        validity = int(imap.response("UIDVALIDITY")[1][0])
        if self._uidvalidity is not None and validity != self._uidvalidity:
            self._pending.clear()  # UIDs of the scan mean nothing now: the next scan starts over
            log.warning("UIDVALIDITY of %s changed; messages stay until the next run", self.folder)
        self._uidvalidity = validity
        return imap

    def _session(self) -> imaplib.IMAP4:
        """The open session, re-opened if the server dropped it (ingest may take hours)."""
        if self._imap is not None:
            try:
                self._imap.noop()
                return self._imap
            except (imaplib.IMAP4.abort, OSError):
                self._imap = None
        self._imap = self._connect()
        return self._imap

    # -- scan

    def scan(self) -> list[Incoming]:
        with self._lock:
            imap = self._session()
            typ, data = imap.uid("SEARCH", None, "UNDELETED", "UNKEYWORD", SKIPPED_FLAG)
            uids = [int(u) for u in (data[0] or b"").split()] if typ == "OK" else []
            self._pending.clear()
            items: list[Incoming] = []
            for uid in uids:
                fetched = self._fetch(imap, uid)
                if fetched is None:
                    continue  # expunged meanwhile
                try:
                    found = self.items_of(uid, *fetched)
                except Exception:  # one unreadable message must not hold back the others
                    log.exception("message UID %s of %s could not be read; left in place",
                                  uid, self.folder)
                    continue
                if found:
                    self._pending[uid] = {i.receipt for i in found}
                    items += found
                else:
                    imap.uid("STORE", str(uid), "+FLAGS.SILENT", f"({SKIPPED_FLAG})")
            return items

    @staticmethod
    def _fetch(imap: imaplib.IMAP4, uid: int) -> tuple[bytes, datetime | None] | None:
        typ, data = imap.uid("FETCH", str(uid), "(INTERNALDATE BODY.PEEK[])")
        raw = next((d[1] for d in data if isinstance(d, tuple)), None) if typ == "OK" else None
        if raw is None:
            return None
        head = b" ".join(d[0] if isinstance(d, tuple) else d for d in data if d is not None)
        return raw, internal_date(head.decode("ascii", "replace"))

    def items_of(self, uid: int, raw: bytes, internal: datetime | None) -> list[Incoming]:
        """The items of one message: its attachments, else maybe its body as text."""
        msg = email.message_from_bytes(raw)
        subject = decode_header_text(raw_header(msg, "subject") or "")
        sender_name, sender = parseaddr(decode_header_text(raw_header(msg, "from") or ""))
        meta = {"subject": subject, "sender": sender.lower(), "sender_name": sender_name,
                "message_id": (msg.get("Message-ID") or "").strip(), "imap_uid": uid,
                "imap_uidvalidity": self._uidvalidity}
        files = [(sec, name, part.get_payload(decode=True) or b"") for sec, part in sections(msg)
                 if (name := attachment_name(part))]
        if self.body_min_chars > 0 and all(_is_picture(n) for _s, n, _d in files):
            text = body_text(msg, forward=bool(_FORWARD.match(subject)))
            if sum(ch.isalnum() for ch in text) >= self.body_min_chars:
                if subject and not text.startswith(subject):
                    text = f"{subject}\n\n{text}"
                files.append(("TEXT", f"{clean_name(subject)[:80] or '邮件正文'}.txt",
                              (text + "\n").encode("utf-8")))
        at, claim = mail_date(msg, internal), self._claim(sender)
        return [self._incoming(uid, sec, name, data, at, claim, meta) for sec, name, data in files]

    def _incoming(self, uid: int, section: str, name: str, data: bytes, at: str,
                  claim: str | None, meta: dict) -> Incoming:
        user = urllib.parse.quote(self.user, safe="")
        box = urllib.parse.quote(self.folder, safe="")
        uri = (f"imap://{user}@{self.host}:{self.port}/{box};UIDVALIDITY={self._uidvalidity}"
               f"/;UID={uid}/;SECTION={section}")
        return Incoming(
            source=self.name, source_uri=uri, source_path=f"{self.folder}/{name}",
            original_name=name, received_at=at, size=len(data),
            receipt=receipt_key(self.name, self.host, self.user, self.folder, self._uidvalidity,
                                uid, section),
            claimed_unit=claim, data=data, meta={**meta, "imap_section": section})

    def _claim(self, sender: str) -> str | None:
        sender = sender.lower()
        return self.senders.get(sender) or self.senders.get("@" + sender.rpartition("@")[2])

    # -- acknowledge

    def acknowledge(self, item: Incoming, outcome: str) -> None:
        """The archive holds the item; when it was the message's last, move the message."""
        uid = item.meta.get("imap_uid")
        with self._lock:
            pending = self._pending.get(uid)  # type: ignore[arg-type]
            if pending is None or item.meta.get("imap_uidvalidity") != self._uidvalidity:
                return
            pending.discard(item.receipt)
            if pending:
                return
            try:
                self._move(self._session(), uid)  # type: ignore[arg-type]
                del self._pending[uid]  # type: ignore[arg-type]
            except (imaplib.IMAP4.error, OSError) as exc:  # recorded anyway: next run moves it
                log.warning("could not move message UID %s to %s: %s", uid, self.done_folder, exc)

    def _move(self, imap: imaplib.IMAP4, uid: int) -> None:
        done = quoted_folder(self.done_folder)
        imap.create(done)  # NO when it exists: fine
        imap.subscribe(done)
        if self.allow_move and "MOVE" in self._caps:
            _ok(imap.uid("MOVE", str(uid), done), "MOVE")
            return
        _ok(imap.uid("COPY", str(uid), done), "COPY")
        _ok(imap.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)"), "STORE")
        if "UIDPLUS" in self._caps:  # never a bare EXPUNGE: it would remove what others flagged
            _ok(imap.uid("EXPUNGE", str(uid)), "UID EXPUNGE")


def _ok(response: tuple[str, list], what: str) -> None:
    if response[0] != "OK":
        raise imaplib.IMAP4.error(f"{what}: {response[1]}")


def _is_picture(name: str) -> bool:
    return Path(name).suffix.lower() in PICTURES
