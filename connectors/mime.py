"""Reading mail as Chinese mail clients write it: names, charsets, parts, body text, dates.

Names come as RFC 2231 (`filename*=`, continuations), RFC 2047 words (also inside quotes,
as most clients send them) or raw 8-bit bytes. GB2312/GBK labels are decoded as GB18030,
their superset ("gb2312" mail often holds GBK-only characters); undeclared bytes as UTF-8,
else GB18030. Pure functions on `email.message.Message` (compat32 parse: raw headers kept).
"""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from datetime import UTC, datetime, timedelta, timezone
from email.header import decode_header
from email.message import Message
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

_GB = {"gb2312", "gbk", "x-gbk", "cp936", "gb_2312-80", "euc-cn", "x-euc-cn", "csgb2312", "gb18030"}
_MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}
_PARAM = re.compile(r';\s*([^\s=;]+)\s*=\s*("(?:\\.|[^"\\])*"|[^;]*)')
_REPLY = re.compile(r"^\s*(-{2,}\s*(原始邮件|Original Message)\s*-{2,}|在.{0,80}写道\s*[:：]"
                    r"|On .{0,160} wrote:|-- )\s*$", re.M | re.I)
PICTURES = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".heic", ".webp"}


def decode_bytes(raw: bytes, charset: str | None = None) -> str:
    """Bytes in a declared (often wrong) charset: the declared one, then UTF-8, then GB18030."""
    label = (charset or "").strip().strip('"').lower()
    tries = ["gb18030" if label in _GB else label, "utf-8", "gb18030"]
    for codec in dict.fromkeys(t for t in tries if t):
        try:
            return raw.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("gb18030", "replace")


def decode_header_text(raw: str) -> str:
    """A raw header value: 8-bit bytes (kept as surrogates by the parser) and RFC 2047 words."""
    text = decode_bytes(re.sub(r"\r?\n(?=[ \t])", "", raw).encode("utf-8", "surrogateescape"))
    if "=?" not in text:
        return text.strip()
    out = []
    for chunk, charset in decode_header(text):
        if isinstance(chunk, str):
            out.append(chunk)
        else:  # undecorated text comes back as raw-unicode-escape bytes
            out.append(chunk.decode("raw-unicode-escape") if charset is None
                       else decode_bytes(chunk, charset))
    return "".join(out).strip()


def raw_header(part: Message, name: str) -> str | None:
    for key, value in part.raw_items():
        if key.lower() == name:
            return str(value)
    return None


def header_params(value: str) -> dict[str, str]:
    """Parameters of a Content-Type/Disposition value; RFC 2231 pieces joined and decoded."""
    plain: dict[str, str] = {}
    extended: dict[str, list[tuple[int, bool, str]]] = {}
    for m in _PARAM.finditer(value):
        key, val = m.group(1).lower(), m.group(2).strip()
        if val.startswith('"') and val.endswith('"') and len(val) > 1:
            val = re.sub(r"\\(.)", r"\1", val[1:-1])
        star = re.fullmatch(r"([^*]+)\*(\d+)?(\*)?", key)
        if star:
            encoded = star.group(2) is None or star.group(3) is not None
            extended.setdefault(star.group(1), []).append((int(star.group(2) or 0), encoded, val))
        else:
            plain[key] = decode_header_text(val)
    for name, pieces in extended.items():
        charset, data = None, b""
        for n, encoded, val in sorted(pieces):
            if encoded and n == 0 and val.count("'") >= 2:
                charset, _lang, val = val.split("'", 2)
            data += (urllib.parse.unquote_to_bytes(val) if encoded
                     else val.encode("utf-8", "surrogateescape"))
        plain[name] = decode_bytes(data, charset)
    return plain


def clean_name(name: str) -> str:
    name = re.split(r"[\\/]", unicodedata.normalize("NFC", name))[-1]
    return re.sub(r"[\x00-\x1f\x7f]", "", name).strip().strip(".") or ""


def attachment_name(part: Message) -> str | None:
    """The file name of an attachment, or None for a body part or an embedded picture."""
    if part.get_content_maintype() in ("multipart", "message"):
        return None
    disposition = raw_header(part, "content-disposition") or ""
    params = header_params(disposition)
    name = params.get("filename") or header_params(raw_header(part, "content-type") or "").get("name")
    kind = disposition.split(";")[0].strip().lower()
    if not name or (kind != "attachment" and part.get_content_maintype() == "image"
                    and part.get("Content-ID")):
        return None  # a body part, or a picture the HTML body shows (logo, signature)
    return clean_name(name) or f"附件.{part.get_content_subtype()}"


def sections(part: Message, section: str = "") -> list[tuple[str, Message]]:
    """Leaf parts with their IMAP section numbers (RFC 3501 6.4.5)."""
    payload = part.get_payload()
    if part.get_content_maintype() == "multipart" and isinstance(payload, list):
        out = []
        for i, sub in enumerate(payload, 1):
            out += sections(sub, f"{section}.{i}" if section else str(i))
        return out
    if part.get_content_type() == "message/rfc822" and isinstance(payload, list) and payload:
        inner = payload[0]
        if inner.get_content_maintype() == "multipart":
            return sections(inner, section)
        return sections(inner, f"{section}.1" if section else "1")
    return [(section or "1", part)]


class _Text(HTMLParser):
    BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.skip += tag in ("script", "style", "head")
        if tag in self.BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("script", "style", "head") and self.skip > 0
        if tag in self.BLOCKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(data)


def _part_text(part: Message) -> str:
    text = decode_bytes(part.get_payload(decode=True) or b"", part.get_content_charset())
    if part.get_content_subtype() == "html":
        parser = _Text()
        parser.feed(text)
        text = "".join(parser.out)
    return text


def body_text(msg: Message, forward: bool) -> str:
    """The message's own text: plain part preferred, HTML as text otherwise, replies cut."""
    texts: dict[str, str] = {}
    for _section, part in sections(msg):
        ctype = part.get_content_type()
        if ctype in ("text/plain", "text/html") and ctype not in texts and not attachment_name(part):
            texts[ctype] = _part_text(part)
    text = texts.get("text/plain", "").strip() or texts.get("text/html", "")
    if not forward:
        text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))
        cut = _REPLY.search(text)
        text = text[:cut.start()] if cut else text
    text = re.sub(r"[ \t\u3000\xa0]+\n", "\n", text.replace("\r", ""))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def mail_date(msg: Message, internal: datetime | None) -> str:
    """The Date header in UTC; the server's arrival time when it is missing or malformed."""
    try:
        at = parsedate_to_datetime(decode_header_text(raw_header(msg, "date") or ""))
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
    except (TypeError, ValueError, IndexError):
        at = internal or datetime.now(UTC)
    return at.astimezone(UTC).isoformat(timespec="seconds")


def internal_date(text: str) -> datetime | None:
    m = re.search(r'(\d{1,2})-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)', text)
    if not m or m.group(2) not in _MONTHS:
        return None
    offset = timedelta(hours=int(m.group(8)), minutes=int(m.group(9)))
    tz = timezone(-offset if m.group(7) == "-" else offset)
    return datetime(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)), int(m.group(4)),
                    int(m.group(5)), int(m.group(6)), tzinfo=tz)
