"""Hostile and broken inputs, made on the fly: each is small on disk and names what it attacks.

Used by the hostile-input tests and bench/fuzz.py. Nothing here is committed as a file.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from fulian.samples.bad import _docx_bytes, sample_spec
from fulian.samples.pdfs import write_text_pdf
from fulian.samples.spec import DocSpec


def good_docx(street: str, n: int) -> tuple[str, bytes]:
    """An ordinary work-information docx that must be accepted: (name, bytes)."""
    spec = DocSpec(title=f"{street}街道妇联2013年{n % 12 + 1}月工作信息（第{n}期）",
                   body=[f"2013年{n % 12 + 1}月，{street}街道妇联开展活动，参加妇女{100 + n}人。"],
                   signature=[f"{street}街道妇联", f"2013年{n % 12 + 1}月20日"])
    return f"{street}街道妇联工作信息第{n}期.docx", _docx_bytes(spec)


def _rewrite_zip(data: bytes, change: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, change.get(info.filename, src.read(info)))
    return out.getvalue()


def malformed_docx() -> bytes:
    """A valid ZIP whose word/document.xml stops half way (lxml raises XMLSyntaxError)."""
    data = _docx_bytes(sample_spec())
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("word/document.xml")
    return _rewrite_zip(data, {"word/document.xml": xml[: len(xml) // 2]})


def entity_bomb_docx(levels: int = 10) -> bytes:
    """document.xml with a 'billion laughs' DTD: 10 levels of 10 references each."""
    ents = ['<!ENTITY e0 "哈哈哈哈哈哈哈哈哈哈">']
    ents += [f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, levels)]
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE w:document ['
           + "".join(ents) + ']><w:document xmlns:w="http://schemas.openxmlformats.org/'
           f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&e{levels - 1};</w:t></w:r></w:p>'
           "</w:body></w:document>").encode("utf-8")
    return _rewrite_zip(_docx_bytes(sample_spec()), {"word/document.xml": xml})


def cyclic_pdf() -> bytes:
    """A PDF whose page tree is its own child and whose xref names itself as previous."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size 4 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (xref, xref))
    return out.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def image_bomb(side: int = 40000) -> bytes:
    """A PNG declaring side×side grey pixels (1.6 G pixels) in a few hundred kilobytes."""
    raw = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * side
    body = b"".join(raw.compress(row) for _ in range(64)) + raw.flush()  # the rest is missing
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", body)
            + _png_chunk(b"IEND", b""))


def csv_big_field(size: int = 200_000) -> bytes:
    """A CSV whose second row opens a quote that never closes: the rows after it become
    one field of more than `size` characters (csv's limit is 131,072)."""
    note = "组织辖区妇女参加技能培训与家庭教育讲座，" * 9  # a long remark column, as units write them
    rows = [f"{k},甸柳街道妇联第{k}期活动,{k % 90},{note}" for k in range(3, 3 + size // 200)]
    return ("序号,单位,参加妇女人数\n1,文东街道妇联,80\n2,\"建新街道妇联,70\n"
            + "\n".join(rows) + "\n").encode("utf-8")


def broken_doc() -> bytes:
    """Word 2003 XML ("WordML", often saved as .doc) cut off after its first paragraph tag:
    sniffed as wordml, LibreOffice cannot open it, so conversion fails."""
    return (b'<?xml version="1.0" encoding="UTF-8"?><?mso-application progid="Word.Document"?>'
            b'<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml">'
            b"<w:body><w:p>")


def huge_page_pdf() -> bytes:
    """A tiny PDF with one page of 14,400 × 14,400 pt (PDF's largest) and no text: OCR bait."""
    content = b"q 1000 0 0 1000 100 100 cm 0 g 0 0 1 1 re f Q"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def text_pdf(spec: DocSpec | None = None) -> bytes:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        return write_text_pdf(Path(tmp) / "x.pdf", spec or sample_spec()).read_bytes()


POISON = {  # name on disk -> bytes: each broke the whole batch's pool before issue 14
    "格式错误的总结.docx": malformed_docx,
    "实体炸弹.docx": entity_bomb_docx,
    "循环引用.pdf": cyclic_pdf,
    "图片炸弹.png": image_bomb,
    "超长字段.csv": csv_big_field,
    "无法转换.doc": broken_doc,
}
