"""Content sniffing on real files of every kind, good and bad (fixtures from fulian.samples)."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest

from extract.sniff import Sniffed, decode_text, sniff
from fulian.samples import bad, office, pdfs
from fulian.samples.spec import DocSpec, SheetSpec, TableSpec
from schemas.extraction import REJECT_REASONS

LIMITS = {"max_unzipped": 500 << 20, "max_ratio": 200.0}
SPEC = DocSpec(title="泉城路街道妇联2013年工作总结", body=["今年以来，培训妇女326人。"])
TABLE = TableSpec(header=[["序号", "姓名", "金额"]], rows=[[1, "王某", 500], [2, "李某", 800]])


def check(data: bytes, name: str) -> Sniffed:
    found = sniff(data, name, **LIMITS)
    assert found.reason is None or found.reason in REJECT_REASONS
    assert (found.kind is None) == (found.reason is not None)
    return found


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory) -> dict[str, Path]:
    return bad.write_bad_inputs(tmp_path_factory.mktemp("bad"))


@pytest.mark.parametrize(("key", "reason"), [
    ("empty", "empty"),
    ("truncated_docx", "corrupt"),
    ("corrupt_pdf", "corrupt"),
    ("encrypted_pdf", "encrypted"),
    ("encrypted_docx", "encrypted"),
    ("encrypted_xlsx", "encrypted"),
    ("zip_bomb", "archive_bomb"),
    ("random_xlsx", "unsupported"),  # no known signature at all: not a damaged xlsx
    ("plain_zip", "unsupported"),
])
def test_bad_inputs_are_rejected_with_their_reason(bad_files, key, reason):
    path = bad_files[key]
    assert check(path.read_bytes(), path.name).reason == reason


def test_zip_bomb_inflates_past_a_gibibyte_and_is_caught_from_the_directory(bad_files):
    data = bad_files["zip_bomb"].read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sum(i.file_size for i in zf.infolist()) >= 1 << 30
    assert bad_files["zip_bomb"].suffix == ".docx"
    assert "uncompressed" in check(data, "x.docx").detail


def test_ratio_bomb_under_the_size_limit_is_caught():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", bytes(50 << 20))  # 50 MB of zeros, ratio ≈ 1000
    found = sniff(buf.getvalue(), "x.docx", max_unzipped=500 << 20, max_ratio=200)
    assert found.reason == "archive_bomb" and "ratio" in found.detail


def test_overlapping_entries_are_a_bomb():
    """Many directory records pointing at one compressed body (a non-recursive bomb)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<w:document/>" * 10)
    data = bytearray(buf.getvalue())
    cd = data.index(b"PK\x01\x02")
    eocd = data.index(b"PK\x05\x06")
    record = bytes(data[cd:eocd])
    copies = b"".join(record.replace(b"word/document.xml", f"word/d{n:07d}.xml".encode())
                      for n in range(5))
    tail = bytearray(data[eocd:])
    tail[8:10] = tail[10:12] = (5).to_bytes(2, "little")
    tail[12:16] = len(copies).to_bytes(4, "little")
    bomb = bytes(data[:cd]) + copies + bytes(tail)
    assert sniff(bomb, "x.docx", **LIMITS).reason == "archive_bomb"


def test_real_documents_get_their_kind_whatever_their_name(tmp_path, bad_files):
    docx = office.write_docx(tmp_path / "a.docx", SPEC).read_bytes()
    xlsx = office.write_xlsx(tmp_path / "a.xlsx", SheetSpec(name="S", table=TABLE)).read_bytes()
    xls = office.write_xls(tmp_path / "a.xls", SheetSpec(name="S", table=TABLE)).read_bytes()
    pdf = pdfs.write_text_pdf(tmp_path / "a.pdf", SPEC).read_bytes()
    png = pdfs.write_page_image(tmp_path / "a.png", SPEC, dpi=50).read_bytes()
    jpg = pdfs.write_page_image(tmp_path / "a.jpg", SPEC, dpi=50).read_bytes()
    assert check(docx, "总结.pdf").kind == "docx"
    assert check(xlsx, "台账.doc").kind == "xlsx"
    assert check(xls, "台账.xlsx").kind == "xls"
    assert check(pdf, "信息.docx").kind == "pdf"
    assert check(bad_files["mislabelled_pdf"].read_bytes(), "其实是PDF.docx").kind == "pdf"
    assert check(png, "a.txt").kind == "image"
    assert check(jpg, "a.doc").kind == "image"


def test_owner_password_pdf_still_opens_and_is_not_rejected(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = pdfs.write_text_pdf(tmp_path / "a.pdf", SPEC).read_bytes()
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(plain)))
    writer.encrypt(user_password="", owner_password="owner-only")
    out = io.BytesIO()
    writer.write(out)
    assert check(out.getvalue(), "a.pdf").kind == "pdf"


def test_odt_and_ods_by_mimetype_and_pptx_unsupported():
    def package(mimetype: str | None, extra: dict[str, bytes]) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            if mimetype:
                zf.writestr("mimetype", mimetype)
            for name, content in extra.items():
                zf.writestr(name, content)
        return buf.getvalue()

    odt = package("application/vnd.oasis.opendocument.text", {"content.xml": b"<x/>"})
    ods = package("application/vnd.oasis.opendocument.spreadsheet", {"content.xml": b"<x/>"})
    pptx = package(None, {"[Content_Types].xml": b'<Types><Override ContentType="application/'
                          b'vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>'
                          b"</Types>"})
    assert check(odt, "a.doc").kind == "odt"
    assert check(ods, "a.xls").kind == "ods"
    assert check(pptx, "a.docx").reason == "unsupported"
    ofd = package(None, {"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"})
    found = check(ofd, "a.pdf")
    assert found.kind == "ofd" and "OFD" in found.detail  # read by extract/readers/ofd_reader.py


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_in_every_encoding_and_txt(tmp_path, encoding):
    path = office.write_csv(tmp_path / "a.csv", TABLE, encoding="utf-8")
    data = path.read_text("utf-8").encode(encoding)
    assert check(data, "a.csv").kind == "csv"
    assert check(data, "a.txt").kind == "csv"  # consistent columns: csv whatever the name
    prose = "泉城路街道妇联\n2013年工作总结\n今年以来，街道妇联培训妇女326人。\n".encode(encoding)
    assert check(prose, "a.csv").kind == "txt"


def test_prose_with_ascii_commas_is_text():
    prose = "今年,街道妇联培训妇女326人。\n下一步,继续做好维权工作。\n此外,开展讲座2次。\n"
    assert check(prose.encode(), "a.csv").kind == "txt"


def test_extension_breaks_the_tie_for_short_delimited_text():
    two_lines = "单位,人数\n".encode()
    assert check(two_lines, "a.csv").kind == "csv"
    assert check(two_lines, "a.txt").kind == "txt"


def test_html_mht_rtf_and_office_xml_disguised_as_office_files():
    html = ('<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta charset="gb2312">'
            "</head><body><table><tr><td>指标</td></tr></table></body></html>").encode("gb18030")
    mht = (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\n"
           b"Content-Type: text/html\r\n\r\n<html><body>x</body></html>\r\n--b--\r\n")
    rtf = b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}\\f0 hello}"
    spreadsheet = (b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
                   b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>')
    assert check(html, "统计表.xls").kind == "html"
    assert check(mht, "总结.doc").kind == "html"
    assert check(rtf, "总结.doc").kind == "rtf"
    assert check(spreadsheet, "统计表.xls").kind == "spreadsheetml"


def test_blank_and_binary_content():
    assert check(b" \r\n\t\x00" * 1000, "a.docx").reason == "empty"
    assert check(b"MZ\x90\x00" + random.Random(1).randbytes(4000), "setup.exe").reason == "unsupported"
    assert check(b"BMW 320i,blue\n" * 3, "a.txt").kind != "image"  # "BM" alone is not a bitmap


def test_decode_text_prefers_utf8_then_gb18030():
    assert decode_text("妇联".encode())[1] == "utf-8-sig"
    assert decode_text("妇联工作".encode("gb18030"))[1] == "gb18030"
    assert decode_text(random.Random(2).randbytes(2000)) is None


def test_damaged_ole_is_corrupt():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    assert check(data, "a.doc").reason == "corrupt"


def test_damaged_deflate_in_a_package_part_is_corrupt(tmp_path):
    data = bytearray(office.write_docx(tmp_path / "a.docx", SPEC).read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("[Content_Types].xml")
    body = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[body:body + 40] = bytes(range(200, 240))  # garbage inside the deflate stream
    assert check(bytes(data), "a.docx").reason == "corrupt"


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8"])
def test_text_with_a_few_damaged_bytes_is_still_text(encoding):
    data = bytearray(("泉城路街道妇联2013年工作总结。" * 400).encode(encoding))
    data[5001] = 0xFF  # one byte that is valid in no encoding we try
    found = check(bytes(data), "a.txt")
    assert found.kind == "txt" and found.detail.startswith(f"plain text ({encoding}")
    assert "damaged" in found.detail
