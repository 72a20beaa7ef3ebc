"""Decide what a file really is from its bytes, cheaply, before any parser touches it.

The extension is never trusted (a PDF named .docx is a pdf); it only breaks the tie
between csv and txt. Zip containers are checked for bombs from the central directory
alone, before anything is inflated. The result is a kind for `extract.readers.read`,
or a reject reason from `schemas.extraction.REJECT_REASONS`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
MAX_ZIP_ENTRIES = 10_000  # real OOXML/ODF files have tens to a few hundred parts
RATIO_FLOOR = 1 << 20  # below 1 MiB inflated a high ratio is harmless (small repetitive XML)
TEXT_PROBE = 64 * 1024  # how much of a text file is decoded to classify it
WHITESPACE = b" \t\r\n\x00\x0b\x0c"
ZIP_READ_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError)
DAMAGE_TOLERANCE = 0.005  # share of undecodable bytes a text may have and still be text

# Content types in [Content_Types].xml naming the main part of an OOXML package.
OOXML_MAIN = (
    ("wordprocessingml.document.main", "docx"),
    ("wordprocessingml.template.main", "docx"),
    ("ms-word.document.macroenabled.main", "docx"),
    ("ms-word.template.macroenabledtemplate.main", "docx"),
    ("spreadsheetml.sheet.main", "xlsx"),
    ("spreadsheetml.template.main", "xlsx"),
    ("ms-excel.sheet.macroenabled.main", "xlsx"),
    ("ms-excel.template.macroenabled.main", "xlsx"),
)
ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}


@dataclass(frozen=True)
class Sniffed:
    kind: str | None  # what to read it as; None when rejected
    reason: str | None  # reject reason (REJECT_REASONS) or None when readable
    detail: str  # why, in English, for logs and quarantine records


def sniff(data: bytes, name: str, *, max_unzipped: int, max_ratio: float) -> Sniffed:
    """Detect the kind of `data`; `name` only decides csv vs txt for delimited text."""
    if _is_blank(data):
        return Sniffed(None, "empty", f"{len(data)} bytes, no content")
    head = data[:1024]
    if head.startswith(ZIP_MAGICS):
        return _sniff_zip(data, max_unzipped, max_ratio)
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(data)
    if b"%PDF-" in head:  # the spec tolerates junk before the header
        return _sniff_pdf(data)
    image = _image_kind(head, len(data))
    if image:
        return Sniffed("image", None, image)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return Sniffed("rtf", None, "rtf")
    return _sniff_text(data, name)


def _is_blank(data: bytes) -> bool:
    # Only strip the whole file when its start is already blank: keeps the common case O(1).
    if data[:256].strip(WHITESPACE):
        return False
    return not data.translate(None, WHITESPACE)


# --- zip containers -------------------------------------------------------------------


def _sniff_zip(data: bytes, max_unzipped: int, max_ratio: float) -> Sniffed:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))  # reads the central directory only
    except ZIP_READ_ERRORS as exc:
        return Sniffed(None, "corrupt", f"zip central directory unreadable: {exc}")
    with archive:
        infos = archive.infolist()
        bomb = _bomb_reason(infos, len(data), max_unzipped, max_ratio)
        if bomb:
            return Sniffed(None, "archive_bomb", bomb)
        if any(i.flag_bits & 0x1 for i in infos):
            return Sniffed(None, "encrypted", "zip entries are password-encrypted")
        return _zip_kind(archive)


def _bomb_reason(infos: list[zipfile.ZipInfo], size: int, max_unzipped: int,
                 max_ratio: float) -> str | None:
    if len(infos) > MAX_ZIP_ENTRIES:
        return f"{len(infos)} entries in the zip"
    unzipped = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if unzipped > max_unzipped:
        return f"declared uncompressed size {unzipped} > {max_unzipped}"
    if unzipped >= RATIO_FLOOR and unzipped > max_ratio * max(packed, 1):
        return f"compression ratio {unzipped / max(packed, 1):.0f} > {max_ratio:g}"
    # Overlapping entries (several directory records sharing one compressed body) inflate
    # far more than the file holds without any single entry looking large.
    offsets = {i.header_offset for i in infos}
    if len(offsets) < len(infos) or packed > size:
        return "zip entries overlap (non-recursive zip bomb)"
    return None


def _zip_kind(archive: zipfile.ZipFile) -> Sniffed:
    names = set(archive.namelist())
    if "[Content_Types].xml" in names:
        try:
            types = archive.read("[Content_Types].xml")[:200_000].decode("utf-8", "replace")
        except ZIP_READ_ERRORS as exc:
            return Sniffed(None, "corrupt", f"[Content_Types].xml unreadable: {exc}")
        lowered = types.lower()
        for marker, kind in OOXML_MAIN:
            if marker in lowered:
                return Sniffed(kind, None, f"OOXML {marker}")
        if "presentationml" in lowered:
            return Sniffed(None, "unsupported", "PowerPoint presentation (pptx)")
    if "word/document.xml" in names:
        return Sniffed("docx", None, "zip with word/document.xml")
    if "xl/workbook.xml" in names:
        return Sniffed("xlsx", None, "zip with xl/workbook.xml")
    if "mimetype" in names:
        try:
            mimetype = archive.read("mimetype")[:200].decode("ascii", "replace").strip()
        except ZIP_READ_ERRORS as exc:
            return Sniffed(None, "corrupt", f"ODF mimetype unreadable: {exc}")
        if mimetype in ODF_MIMETYPES:
            return Sniffed(ODF_MIMETYPES[mimetype], None, mimetype)
        return Sniffed(None, "unsupported", f"OpenDocument {mimetype}")
    if "OFD.xml" in names:  # GB/T 33190 fixed-layout documents, China's PDF counterpart
        return Sniffed("ofd", None, "OFD document (GB/T 33190)")
    return Sniffed(None, "unsupported", f"zip archive of {len(names)} files, not a document")


# --- OLE2 (legacy Office, WPS) --------------------------------------------------------


def _sniff_ole(data: bytes) -> Sniffed:
    import olefile

    try:
        ole = olefile.OleFileIO(data)
    except Exception as exc:  # olefile raises bare OSError/struct errors on damage
        return Sniffed(None, "corrupt", f"OLE2 directory unreadable: {exc}")
    with ole:
        streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=True)}
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        return Sniffed(None, "encrypted", "password-protected OOXML (EncryptedPackage)")
    if "WordDocument" in streams:
        kind = "doc"
    elif "Workbook" in streams or "Book" in streams:
        kind = "xls"
    elif "PowerPoint Document" in streams:
        return Sniffed(None, "unsupported", "PowerPoint presentation (ppt)")
    elif not streams:
        return Sniffed(None, "corrupt", "OLE2 container without readable streams")
    else:
        return Sniffed(None, "unsupported", f"OLE2 file with streams {sorted(streams)[:5]}")
    if _ole_encrypted(data):
        return Sniffed(None, "encrypted", f"password-protected {kind}")
    return Sniffed(kind, None, f"OLE2 {kind}")


def _ole_encrypted(data: bytes) -> bool:
    import msoffcrypto

    try:
        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:  # msoffcrypto cannot judge damaged streams; let the reader decide
        return False


# --- PDF ------------------------------------------------------------------------------


def _sniff_pdf(data: bytes) -> Sniffed:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            return Sniffed(None, "encrypted", "PDF needs a password to open")
        return Sniffed(None, "corrupt", f"PDF does not open: {exc}")
    try:
        pages = len(pdf)
    finally:
        pdf.close()
    if pages == 0:
        return Sniffed(None, "corrupt", "PDF has no pages")
    return Sniffed("pdf", None, f"PDF, {pages} pages")


# --- images ---------------------------------------------------------------------------


def _image_kind(head: bytes, size: int) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    # "BM" alone is too weak (text can start with it): also require a DIB header size.
    if head.startswith(b"BM") and len(head) >= 18:
        dib = int.from_bytes(head[14:18], "little")
        if dib in (12, 40, 52, 56, 64, 108, 124):
            return "bmp"
    return None


# --- text: html, mht, xml office, csv, txt --------------------------------------------


def decode_text(data: bytes) -> tuple[str, str] | None:
    """Decode text bytes as UTF-8 (BOM or not), UTF-16 (BOM) or GB18030; None if binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8-sig", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            # A probe cut mid-character fails only in its last few bytes: accept that.
            if exc.start < len(data) - 4:
                continue
            text = data[: exc.start].decode(encoding)
        if _looks_textual(text):
            return text, encoding
    # A text with a few damaged bytes (a bad sector, a cut multi-byte character) is still
    # text: accept it with replacement characters when they are rare.
    # The encoding needing the fewest replacements is the one it was written in.
    text, encoding = min(((data.decode(e, errors="replace"), e) for e in candidates),
                         key=lambda pair: pair[0].count("\ufffd"))
    if text.count("\ufffd") <= len(text) * DAMAGE_TOLERANCE and _looks_textual(text):
        return text, f"{encoding} (damaged)"
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _looks_textual(text: str) -> bool:
    """Binary data decodes to control characters; text has almost none."""
    return bool(text) and len(_CONTROL.findall(text)) <= len(text) * 0.01


HTML_RE = re.compile(r"<(!doctype\s+html|html|body|table|meta|head)\b", re.IGNORECASE)
MHT_RE = re.compile(r"^(mime-version:|content-type:\s*multipart/related)", re.IGNORECASE | re.M)


def _sniff_text(data: bytes, name: str) -> Sniffed:
    decoded = decode_text(data[:TEXT_PROBE])
    if decoded is None:
        return Sniffed(None, "unsupported", "binary content of no known format")
    text, encoding = decoded
    start = text.lstrip()[:4096]
    if MHT_RE.search(start[:2048]) and "multipart/related" in start.lower():
        return Sniffed("html", None, f"MHT web archive ({encoding})")
    office_xml = _office_xml_kind(start)
    if office_xml:
        return Sniffed(office_xml, None, f"Office 2003 XML ({encoding})")
    if start.startswith("<") and HTML_RE.search(start):
        return Sniffed("html", None, f"HTML ({encoding})")
    if _is_delimited(text, name.lower().endswith((".csv", ".tsv")), len(data) > TEXT_PROBE):
        return Sniffed("csv", None, f"delimited text ({encoding})")
    return Sniffed("txt", None, f"plain text ({encoding})")


def _office_xml_kind(start: str) -> str | None:
    if not start.startswith("<?xml"):
        return None
    if "Word.Document" in start or "schemas.microsoft.com/office/word/2003/wordml" in start:
        return "wordml"
    if "Excel.Sheet" in start or "urn:schemas-microsoft-com:office:spreadsheet" in start:
        return "spreadsheetml"
    return None


def _is_delimited(text: str, csv_named: bool, cut: bool) -> bool:
    """True when the lines split into a consistent number (≥2) of fields."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if cut and len(lines) > 2:
        lines = lines[:-1]  # the probe cut the last line
    if not lines:
        return False
    if sum("。" in line for line in lines) * 2 >= len(lines):
        return False  # Chinese prose typed with ASCII commas, not records
    for delimiter in (",", "\t", ";", "|"):
        if delimiter not in lines[0] and not csv_named:
            continue
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        top = max(set(counts), key=counts.count)
        share = counts.count(top) / len(counts)
        if top >= 2 and len(counts) >= 3 and share >= 0.8:
            return True
        if csv_named and top >= 2 and share >= 0.6:  # few lines: the extension breaks the tie
            return True
    return False
