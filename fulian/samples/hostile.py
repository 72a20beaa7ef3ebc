"""Hostile and broken inputs, made on the fly: each is small on disk and names what it attacks.

Used by the hostile-input tests and bench/fuzz.py. Nothing here is committed as a file.
"""

from __future__ import annotations

import io
import re
import struct
import tempfile
import zipfile
import zlib
from pathlib import Path

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


def _pdf(objs: list[bytes], trailer: bytes = b"") -> bytes:
    """A classic-xref PDF of the given objects (1 is the catalog); `trailer` adds keys, where
    `%(xref)d` is the xref's own offset."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
              + b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R " % (len(objs) + 1) + trailer % {b"xref": xref}
              + b">>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def cyclic_pdf() -> bytes:
    """A PDF whose page tree is its own child and whose xref names itself as previous."""
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"], b"/Prev %(xref)d ")


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
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 4 0 R >>",
                 b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"])


def text_pdf(spec: DocSpec | None = None) -> bytes:
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


# --- ZIP packages, written by hand so that each can be wrong in exactly one way -----------

_LOCAL, _CENTRAL, _END = 0x04034B50, 0x02014B50, 0x06054B50


def raw_member(name: bytes | str, data: bytes, *, method: int = 8, crc: int | None = None,
               local_name: bytes | None = None, utf8: bool = True, damage: bool = False) -> dict:
    """One member: deflated (method 8) or stored (0) or any method number claimed."""
    raw_name = name.encode("utf-8") if isinstance(name, str) else name
    if method == 8:
        comp = zlib.compressobj(6, zlib.DEFLATED, -15)
        body = comp.compress(data) + comp.flush()
    else:
        body = data
    if damage:  # flip bytes in the middle of the deflate stream
        mid = len(body) // 2
        body = body[:mid] + bytes(b ^ 0x5A for b in body[mid:mid + 16]) + body[mid + 16:]
    return {"name": raw_name, "local_name": local_name or raw_name, "body": body, "method": method,
            "crc": zlib.crc32(data) if crc is None else crc, "size": len(data),
            "flags": 0x800 if utf8 else 0}


def raw_zip(members: list[dict]) -> bytes:
    out, central = io.BytesIO(), io.BytesIO()
    for m in members:
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", _LOCAL, 20, m["flags"], m["method"], 0x4800, 0x4394,
                              m["crc"], len(m["body"]), m["size"], len(m["local_name"]), 0)
                  + m["local_name"] + m["body"])
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", _CENTRAL, 20, 20, m["flags"], m["method"],
                                  0x4800, 0x4394, m["crc"], len(m["body"]), m["size"], len(m["name"]),
                                  0, 0, 0, 0, 0, offset) + m["name"])
    cd = central.getvalue()
    end = struct.pack("<IHHHHIIH", _END, 0, 0, len(members), len(members), len(cd), out.tell(), 0)
    return out.getvalue() + cd + end


def package(bad: dict, goods: int = 2, first: int = 40) -> tuple[bytes, list[str]]:
    """A ZIP of `goods` good docx members (numbered from `first`) plus `bad`;
    (bytes, the good members' names)."""
    members, names = [], []
    for i in range(goods):
        name, data = good_docx(["文东", "建新", "甸柳"][i % 3], first + i)
        members.append(raw_member(name, data))
        names.append(name)
    return raw_zip(members[:1] + [bad] + members[1:]), names


def zip_bad_crc() -> dict:
    return raw_member("校验错误.docx", _docx_bytes(sample_spec()), crc=0x12345678)


def zip_damaged_deflate() -> dict:
    return raw_member("压缩流损坏.docx", _docx_bytes(sample_spec()), damage=True)


def zip_deflate64() -> dict:
    """Method 9 (deflate64, written by Windows Explorer for large folders): Python cannot inflate."""
    return raw_member("增强压缩.docx", _docx_bytes(sample_spec()), method=9)


def zip_name_mismatch() -> dict:
    return raw_member("目录中的名字.docx", _docx_bytes(sample_spec()), local_name="本地头的名字.docx".encode())


ZIP_MEMBERS = {  # member name -> (maker, reason it gets)
    "校验错误.docx": (zip_bad_crc, "corrupt"),
    "压缩流损坏.docx": (zip_damaged_deflate, "corrupt"),
    "增强压缩.docx": (zip_deflate64, "unsupported"),
    "目录中的名字.docx": (zip_name_mismatch, "corrupt"),
}

UNSAFE_MEMBERS = ["../../逃逸.docx", "/etc/绝对路径.docx", ".隐藏.docx", "__MACOSX/._说明.docx",
                  "资料\\..\\..\\反斜杠逃逸.docx"]


def sparse_xlsx() -> bytes:
    """An xlsx with two cells, A1 and XFD1048576: 17 billion cells to a naive reader."""
    from fulian.samples.bad import sample_sheet
    from fulian.samples.office import write_xlsx

    with tempfile.TemporaryDirectory() as tmp:
        data = write_xlsx(Path(tmp) / "x.xlsx", sample_sheet()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>1</t></is></c></row></sheetData>'
    xml = xml.replace(b"</sheetData>", far, 1)
    xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml)
    return _rewrite_zip(data, {"xl/worksheets/sheet1.xml": xml})


def many_page_scan(pages: int = 4) -> bytes:
    """An image-only PDF of small pages: every page wants OCR (cheap ones, for tests)."""
    from PIL import Image, ImageDraw

    from fulian.samples.scans import write_scan_pdf

    images = []
    for n in range(pages):
        img = Image.new("L", (300, 150), 255)
        ImageDraw.Draw(img).rectangle((20 + n, 20, 120, 60), fill=0)
        images.append(img)
    with tempfile.TemporaryDirectory() as tmp:
        return write_scan_pdf(Path(tmp) / "x.pdf", images, dpi=72).read_bytes()


def sparse_xls() -> bytes:
    """A BIFF8 .xls with cells in A1 and IV65536: 16.7 million cells to calamine (1.2 GB)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("台账")
    sheet.write(0, 0, "解放路街道妇联台账")
    sheet.write(65535, 255, 1)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def declared_xls() -> bytes:
    """A small ordinary .xls whose DIMENSIONS record claims 65536 rows × 256 columns."""
    from fulian.samples.bad import sample_sheet
    from fulian.samples.office import write_xls

    with tempfile.TemporaryDirectory() as tmp:
        return set_xls_dimensions(write_xls(Path(tmp) / "x.xls", sample_sheet()).read_bytes(), 65536, 256)


def set_xls_dimensions(data: bytes, rows: int, cols: int) -> bytes:
    """The .xls with every sheet's DIMENSIONS record (BIFF8) rewritten to rows × cols."""
    import olefile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.xls"
        path.write_bytes(data)
        with olefile.OleFileIO(str(path), write_mode=True) as ole:
            stream = bytearray(ole.openstream("Workbook").read())
            pos, sheets = 0, 0
            while pos + 4 <= len(stream):
                kind, size = struct.unpack_from("<HH", stream, pos)
                if kind == 0x0200 and size == 14:
                    struct.pack_into("<IIHH", stream, pos + 4, 0, rows, 0, cols)
                    sheets += 1
                pos += 4 + size
            assert sheets, "no DIMENSIONS record found"
            ole.write_stream("Workbook", bytes(stream))
        return path.read_bytes()


def repeated_ods(rows: int = 1_048_576, cols: int = 16_384) -> bytes:
    """An .ods of a few hundred bytes whose one row of one number is repeated `rows` × `cols`
    times (calamine expands repeats: 2,000 × 2,000 took 258 MB)."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="台账"><table:table-row>'
               '<table:table-cell office:value-type="string"><text:p>解放路街道妇联台账</text:p>'
               f'</table:table-cell></table:table-row><table:table-row table:number-rows-repeated="{rows}">'
               f'<table:table-cell table:number-columns-repeated="{cols}" office:value-type="float" '
               'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buf.getvalue()
