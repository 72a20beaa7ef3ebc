"""Readers on real files of every format: locations, flattened headers, merged cells, OCR."""

from __future__ import annotations

import io
import quopri
import re
from pathlib import Path

import pytest
from docx.oxml import parse_xml

from extract.readers import read, read_many
from extract.readers.ocr import normalise_line
from extract.readers.pdf_reader import text_is_garbage
from extract.sniff import sniff
from fulian.samples import bad, legacy, office, pdfs
from fulian.samples.layout import register_font
from fulian.samples.spec import DocSpec, SheetSpec, TableSpec, Workbook
from schemas.extraction import ExtractError

# A two-row header: 指标 merged down, 2013年 merged across 本期|同期.
TABLE = TableSpec(header=[["指标", "2013年", None], [None, "本期", "同期"]],
                  rows=[["培训妇女（人）", 326, 280], ["维权接访（件）", 12, 9]],
                  merges=[(0, 0, 1, 0), (0, 1, 0, 2)])
FLAT = ["指标", "2013年/本期", "2013年/同期"]
SPEC = DocSpec(title="泉城路街道妇联2013年工作总结", doc_number="泉妇发〔2013〕5号",
               body=["今年以来，街道妇联培训妇女326人。", TABLE, "下一步，继续做好维权工作。"],
               header="泉城路街道妇联", footer="历下区妇联印发", signature=["2013年12月20日"])
SHEET = SheetSpec(name="表一", table=TABLE, title="泉城路街道2013年统计监测表",
                  notes_before=["填报单位：泉城路街道妇联"], notes_after=["填报人：王某"])


# Excel 2003 XML, what many reporting systems export under an .xls name.
SPREADSHEET_ML = """<?xml version="1.0" encoding="UTF-8"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="统计表"><Table>
<Row><Cell ss:MergeAcross="2"><Data ss:Type="String">泉城路街道2013年统计监测表</Data></Cell></Row>
<Row><Cell ss:MergeDown="1"><Data ss:Type="String">指标</Data></Cell>
 <Cell ss:MergeAcross="1"><Data ss:Type="String">2013年</Data></Cell></Row>
<Row><Cell ss:Index="2"><Data ss:Type="String">本期</Data></Cell>
 <Cell><Data ss:Type="String">同期</Data></Cell></Row>
<Row><Cell><Data ss:Type="String">培训妇女（人）</Data></Cell><Cell><Data ss:Type="Number">326</Data>
 </Cell><Cell><Data ss:Type="Number">280</Data></Cell></Row>
</Table></Worksheet></Workbook>""".encode()


def kind_of(data: bytes, name: str = "x") -> str:
    found = sniff(data, name, max_unzipped=500 << 20, max_ratio=200)
    assert found.kind, found
    return found.kind


def assert_merged_table(table, first_cell: str) -> None:
    assert list(table.frame.columns) == FLAT
    assert table.header_rows == 2
    assert table.frame.iloc[0].tolist() == ["培训妇女（人）", "326", "280"]
    assert table.cell_location(0, 1) == first_cell


def test_docx_blocks_tables_headers_and_title(tmp_path):
    data = office.write_docx(tmp_path / "a.docx", SPEC).read_bytes()
    result = read(data, kind_of(data))
    by_text = {b.text: b for b in result.blocks}
    assert by_text["泉妇发〔2013〕5号"].location == "第1段"
    assert by_text["泉城路街道妇联2013年工作总结"].kind == "title"
    assert result.title == "泉城路街道妇联2013年工作总结"
    assert by_text["今年以来，街道妇联培训妇女326人。"].location == "第3段"
    assert by_text["下一步，继续做好维权工作。"].location == "第4段"  # after the table
    assert by_text["泉城路街道妇联"].kind == "header"
    assert by_text["历下区妇联印发"].kind == "footer"
    assert_merged_table(result.tables[0], "表1第3行第2列")
    assert by_text["本期"].location == "表1第2行第2列"


def test_docx_text_box_and_heading_styles(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("一、组织建设", level=1)
    paragraph = document.add_paragraph("正文")
    paragraph._p.append(parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
        "<w:p><w:r><w:t>文本框里的说明</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>"
        "</w:pict></w:r>"))
    buf = io.BytesIO()
    document.save(buf)
    result = read(buf.getvalue(), "docx")
    kinds = {b.text: (b.kind, b.location) for b in result.blocks}
    assert kinds["一、组织建设"] == ("heading", "第1段")
    assert kinds["正文"] == ("paragraph", "第2段")  # the box text is not glued to it
    assert kinds["文本框里的说明"] == ("paragraph", "文本框第1段")


@pytest.mark.parametrize("writer", [office.write_xlsx, office.write_xls])
def test_spreadsheets_flatten_merged_headers_and_keep_cell_addresses(tmp_path, writer):
    suffix = ".xlsx" if writer is office.write_xlsx else ".xls"
    data = writer(tmp_path / f"a{suffix}", SHEET).read_bytes()
    result = read(data, kind_of(data))
    assert_merged_table(result.tables[0], "表一!B5")
    assert result.tables[0].location == "表一"
    locations = {b.text: (b.location, b.kind) for b in result.blocks}
    assert locations["泉城路街道2013年统计监测表"] == ("表一!A1", "title")
    assert locations["填报单位：泉城路街道妇联"] == ("表一!A2", "paragraph")
    assert locations["同期"] == ("表一!C4", "table_cell")
    assert result.title == "泉城路街道2013年统计监测表"


def test_xlsx_percent_cells_and_hidden_sheets(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "监测"
    ws.append(["指标", "目标", "2013年"])
    ws.append(["生育保险参保率", "≥95", 0.963])
    ws["C2"].number_format = "0.0%"
    book.create_sheet("下拉列表").sheet_state = "hidden"
    book["下拉列表"]["A1"] = "泉城路街道"
    buf = io.BytesIO()
    book.save(buf)
    result = read(buf.getvalue(), "xlsx")
    assert result.tables[0].frame.iloc[0].tolist() == ["生育保险参保率", "≥95", "96.3%"]
    assert [t.location for t in result.tables] == ["监测"]


def test_multi_sheet_workbook(tmp_path):
    other = SheetSpec(name="表二", table=TableSpec(header=[["社区", "人数"]], rows=[["芙蓉街", 12]]))
    data = office.write_xlsx(tmp_path / "b.xlsx", Workbook([SHEET, other])).read_bytes()
    result = read(data, "xlsx")
    assert [t.location for t in result.tables] == ["表一", "表二"]
    assert result.tables[1].cell_location(0, 1) == "表二!B2"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_infers_the_two_row_header_it_lost(tmp_path, encoding):
    data = office.write_csv(tmp_path / "a.csv", TABLE, encoding=encoding).read_bytes()
    result = read(data, kind_of(data, "a.csv"))
    table = result.tables[0]
    assert list(table.frame.columns) == FLAT
    assert table.cell_location(1, 2) == "C4"


def test_txt_lines():
    result = read("第一行\n\n  第三行  \n".encode("gb18030"), "txt")
    assert [(b.text, b.location) for b in result.blocks] == [("第一行", "第1行"), ("第三行", "第3行")]


def test_html_saved_as_xls_with_spans_and_gb2312():
    html = ("<html><head><meta http-equiv=Content-Type content='text/html; charset=gb2312'>"
            "<title>统计表</title></head><body><p>泉城路街道\n妇联</p>"
            "<table><tr><td rowspan=2>指标</td><td colspan=2>2013年</td></tr>"
            "<tr><td>本期</td><td>同期</td></tr><tr><td>培训妇女（人）</td><td>326</td>"
            "<td>280</td></tr></table></body></html>").encode("gb18030")
    result = read(html, kind_of(html, "统计表.xls"))
    assert list(result.tables[0].frame.columns) == FLAT
    assert result.tables[0].cell_location(0, 2) == "表1第3行第3列"
    assert result.blocks[0].text == "泉城路街道妇联"  # a source line break is no space
    assert result.title == "统计表"


def test_mht_saved_as_doc():
    body = quopri.encodestring("<html><body><p>文东街道妇联工作信息</p></body></html>".encode())
    mht = (b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="XX"\r\n\r\n--XX\r\n'
           b'Content-Type: text/html; charset="utf-8"\r\nContent-Transfer-Encoding: '
           b"quoted-printable\r\n\r\n" + body + b"\r\n--XX--\r\n")
    result = read(mht, kind_of(mht, "信息.doc"))
    assert result.blocks[0].text == "文东街道妇联工作信息"


def test_text_pdf_paragraphs_by_page(tmp_path):
    data = pdfs.write_text_pdf(tmp_path / "a.pdf", SPEC).read_bytes()
    result = read(data, kind_of(data))
    assert result.kind == "pdf" and not result.ocr and result.pages == 1
    found = {b.text: b.location for b in result.blocks}
    assert found["今年以来，街道妇联培训妇女326人。"].startswith("第1页第")
    assert "泉城路街道妇联2013年工作总结" in found  # the title is not glued to the body
    kinds = {b.text: (b.kind, b.location) for b in result.blocks}
    assert kinds["泉城路街道妇联"] == ("header", "第1页页眉")  # a running head, not the title
    footer = next(b for b in result.blocks if b.kind == "footer")
    assert footer.text.startswith("历下区妇联印发") and footer.location == "第1页页脚"
    assert "培训妇女（人） 326 280" in found  # table rows are not run together


def _ruled_pdf(path: Path) -> bytes:
    """A ruled table drawn with real merged cells: 指标 spans two rows, 2013年 two columns."""
    from reportlab.pdfgen import canvas

    font = register_font()
    pdf = canvas.Canvas(str(path), pagesize=(595, 842))
    pdf.setFont(font, 11)
    x, y, h = [72, 202, 302, 402], 700, 24
    boxes = [(0, 0, 1, 0, "指标"), (0, 1, 0, 2, "2013年"), (1, 1, 1, 1, "本期"),
             (1, 2, 1, 2, "同期"), (2, 0, 2, 0, "培训妇女（人）"), (2, 1, 2, 1, "326"),
             (2, 2, 2, 2, "280")]
    for r0, c0, r1, c1, text in boxes:
        left, right = x[c0], x[c1 + 1]
        top, bottom = y - r0 * h, y - (r1 + 1) * h
        pdf.rect(left, bottom, right - left, top - bottom)
        pdf.drawString(left + 4, bottom + 8, text)
    pdf.showPage()
    pdf.save()
    return path.read_bytes()


def test_pdf_ruled_table_with_merged_cells(tmp_path):
    result = read(_ruled_pdf(tmp_path / "t.pdf"), "pdf")
    table = result.tables[0]
    assert list(table.frame.columns) == FLAT
    assert table.frame.iloc[0].tolist() == ["培训妇女（人）", "326", "280"]
    assert table.cell_location(0, 1) == "第1页表1第3行第2列"


def test_garbage_text_detection():
    assert text_is_garbage("", 0)
    assert text_is_garbage("(cid:123)(cid:456) 妇联", 10)
    assert text_is_garbage("\ufffd" * 30 + "妇联", 32)
    assert text_is_garbage("".join(chr(0xE000 + i) for i in range(40)), 40)
    assert not text_is_garbage("泉城路街道妇联2013年培训妇女326人，维权接访12件。" * 2, 60)
    assert not text_is_garbage("Annual report of the women's federation, 2013.", 45)


def test_ocr_normalisation():
    assert normalise_line("填 报 单 位 : 泉 城 路 街 道 妇 联") == "填报单位：泉城路街道妇联"
    assert normalise_line("培 训 妇 女 326 人") == "培训妇女326人"
    assert normalise_line("at 12:30 pm") == "at 12:30 pm"


def test_scanned_pdf_is_read_by_ocr(tmp_path):
    spec = DocSpec(title="文东街道妇联工作信息", body=["街道妇联组织开展家庭教育讲座。"])
    data = pdfs.write_scanned_pdf(tmp_path / "scan.pdf", spec, seed=1).read_bytes()
    result = read(data, kind_of(data))
    assert result.kind == "pdf_scanned" and result.ocr
    lines = {b.text: b.location for b in result.blocks}
    assert lines.get("文东街道妇联工作信息", "").startswith("第1页第"), lines


def test_legacy_formats_convert_in_one_batch(tmp_path):
    doc = legacy.write_doc(tmp_path / "a.doc", SPEC).read_bytes()
    rtf = (b"{\\rtf1\\ansi\\ansicpg936{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}"
           b"\\f0 \\'c5\\'e0\\'d1\\'b5\\'b8\\'be\\'c5\\'ae\\par}")  # 培训妇女 in GBK
    broken = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048)
    wordml = ('<?xml version="1.0" encoding="UTF-8"?><?mso-application progid="Word.Document"?>'
              '<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml">'
              "<w:body><w:p><w:r><w:t>文东街道妇联工作信息</w:t></w:r></w:p></w:body>"
              "</w:wordDocument>").encode()
    results = read_many([(doc, "doc"), (rtf, "rtf"), (broken, "doc"),
                         (SPREADSHEET_ML, kind_of(SPREADSHEET_ML, "统计表.xls")),
                         (wordml, kind_of(wordml, "信息.doc"))])
    assert results[0].kind == "doc" and "converted_by_libreoffice" in results[0].warnings
    assert list(results[0].tables[0].frame.columns) == FLAT
    assert any(b.text == "泉城路街道妇联2013年工作总结" for b in results[0].blocks)
    assert results[1].text == "培训妇女"
    assert isinstance(results[2], ExtractError) and results[2].reason == "corrupt"
    assert results[3].kind == "spreadsheetml"
    assert list(results[3].tables[0].frame.columns) == FLAT
    assert results[3].tables[0].cell_location(0, 1) == "统计表!B4"
    assert results[4].kind == "wordml" and results[4].text == "文东街道妇联工作信息"


def test_unreadable_inputs_raise_extract_errors(tmp_path):
    encrypted = bad.write_encrypted_pdf(tmp_path / "e.pdf").read_bytes()
    truncated = bad.write_truncated_docx(tmp_path / "t.docx").read_bytes()
    with pytest.raises(ExtractError) as err:
        read(encrypted, "pdf")
    assert err.value.reason == "encrypted"
    with pytest.raises(ExtractError) as err:
        read(truncated, "docx")
    assert err.value.reason == "corrupt"
    with pytest.raises(ExtractError) as err:
        read(b"x", "pptx")
    assert err.value.reason == "unsupported"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pdf_paragraphs_rejoin_exactly_as_written(tmp_path, seed):
    """Wrapped lines rejoin into the written paragraphs: no space inside 64人, hanging
    punctuation at the margin, indented first lines, centred titles."""
    import random

    from fulian.samples.documents import Author, work_summary

    author = Author(name="泉城路街道妇联", unit="quanchenglu")
    spec = work_summary(random.Random(seed), author, 2013, {"title", "signature", "body"}).content
    result = read(pdfs.write_text_pdf(tmp_path / "w.pdf", spec).read_bytes(), "pdf")
    by_page: dict[int, set[str]] = {}
    for block in result.blocks:
        by_page.setdefault(block.page, set()).add(block.text)
    texts = set().union(*by_page.values())
    whole = "".join(b.text for b in result.blocks)
    written = [p for p in spec.body if isinstance(p, str) and p]
    for paragraph in written:
        # a paragraph broken by a page end is checked as text, not as one block
        assert paragraph in texts or paragraph in whole, paragraph
    assert sum(p in texts for p in written) >= len(written) - (result.pages or 1) + 1


def test_image_is_read_by_ocr(tmp_path):
    spec = DocSpec(title="历下区妇联工作简报", body=["各街道妇联认真做好维权工作。"])
    data = pdfs.write_page_image(tmp_path / "a.png", spec, dpi=200, seed=2).read_bytes()
    result = read(data, kind_of(data, "a.doc"))
    assert result.kind == "image" and result.ocr
    assert "历下区妇联工作简报" in [b.text for b in result.blocks]
    # the location names the line and its box (‰ of page width and height)
    assert re.fullmatch(r"第1行@\d+,\d+,\d+,\d+", result.blocks[0].location)


def test_conversion_kills_a_stalled_soffice_and_carries_on(tmp_path, monkeypatch):
    """A file that hangs LibreOffice costs only itself: the rest convert in a new call."""
    from extract import legacy

    fake = tmp_path / "soffice"
    fake.write_text(
        "#!/bin/sh\n"
        'while [ "$1" != "--outdir" ]; do shift; done; out="$2"; shift 2\n'
        'for f in "$@"; do\n'
        '  if grep -q HANG "$f"; then sleep 30; fi\n'
        '  b=$(basename "$f"); cp "$f" "$out/${b%.*}.docx"\n'
        "done\n")
    fake.chmod(0o755)
    monkeypatch.setattr(legacy, "SOFFICE", str(fake))
    monkeypatch.setattr(legacy, "STARTUP_GRACE", 0.0)
    out = legacy.convert_many([(b"one", "doc"), (b"HANG", "doc"), (b"three", "doc")], "docx",
                              timeout=1.0)
    assert out[0] == b"one" and out[2] == b"three"
    assert isinstance(out[1], ExtractError) and out[1].reason == "timeout"


def test_pdf_without_unicode_map_falls_back_to_ocr(tmp_path):
    """A subset font without /ToUnicode (common in official PDFs) yields control-character
    soup from the text layer: the page must be OCRed instead."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    spec = DocSpec(title="文东街道妇联工作信息", body=["街道妇联组织开展家庭教育讲座。"])
    reader = PdfReader(pdfs.write_text_pdf(tmp_path / "a.pdf", spec))
    writer = PdfWriter()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font.get_object().pop(NameObject("/ToUnicode"), None)
        writer.add_page(page)
    buf = io.BytesIO()
    writer.write(buf)
    result = read(buf.getvalue(), "pdf")
    assert result.ocr and result.kind == "pdf_scanned"
    assert "文东街道妇联工作信息" in [b.text for b in result.blocks]


def test_ocr_turns_a_page_scanned_sideways():
    from extract.readers.ocr import ocr_lines

    spec = DocSpec(title="文东街道妇联工作信息", body=["街道妇联组织开展家庭教育讲座，参加群众80余人。" * 3])
    page = pdfs.render_pages(spec, dpi=300, seed=1)[0]
    top = page.crop((0, 0, page.width, page.height // 4))  # the text; blank paper costs time
    assert "文东街道妇联工作信息" in ocr_lines(top.rotate(90, expand=True))


def test_csv_quoted_line_breaks_and_image_bombs():
    data = '单位,情况说明\n泉城路,"第一行\n第二行"\n文东,无\n'.encode()
    table = read(data, "csv").tables[0]
    assert table.frame.iloc[0].tolist() == ["泉城路", "第一行第二行"]
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, "PNG")  # 400 M pixels in a few kilobytes
    with pytest.raises(ExtractError) as err:
        read(buf.getvalue(), "image")
    assert err.value.reason == "archive_bomb"


def test_calamine_panic_on_a_cut_xls_is_a_corrupt_file(tmp_path):
    """calamine (Rust) panics on some damaged files; pyo3's PanicException is no Exception."""
    from extract.readers.sheet_reader import read_sheets

    data = office.write_xls(tmp_path / "a.xls", SHEET).read_bytes()
    with pytest.raises(ExtractError) as err:
        read_sheets(data[:4096], "xls")
    assert err.value.reason == "corrupt"


def test_tables_stacked_on_one_sheet_are_separate(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "汇总"
    ws["A1"] = "泉城路街道2013年妇女工作统计"
    for row in (["社区", "人数"], ["芙蓉街", 12], ["司里街", 8]):
        ws.append(row)
    ws.append([])
    ws.append([])
    for row in (["项目", "金额（元）"], ["救助", 500], ["培训", 800]):
        ws.append(row)
    buf = io.BytesIO()
    book.save(buf)
    result = read(buf.getvalue(), "xlsx")
    assert [t.location for t in result.tables] == ["汇总", "汇总(表2)"]
    assert list(result.tables[1].frame.columns) == ["项目", "金额（元）"]
    assert result.tables[1].cell_location(1, 1) == "汇总!B9"
    assert result.tables[0].frame["人数"].tolist() == ["12", "8"]
    assert result.title == "泉城路街道2013年妇女工作统计"


def test_cell_text_never_uses_exponents_or_trailing_zeros():
    from extract.readers.sheet_reader import cell_text

    assert cell_text(370102198001011234) == "370102198001011234"  # an ID stored as a number
    assert cell_text(326.0) == "326"
    assert cell_text(0.1 + 0.2) == "0.3"
    assert cell_text(0.955, "0.0%") == "95.5%"


ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="统计表">
<table:table-row><table:table-cell table:number-columns-spanned="2" office:value-type="string">
<text:p>泉城路街道统计表</text:p></table:table-cell><table:covered-table-cell/></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>社区</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>人数</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>芙蓉街</text:p></table:table-cell>
<table:table-cell office:value-type="float" office:value="12"><text:p>12</text:p></table:table-cell>
</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"""


ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2"><manifest:file-entry manifest:full-path="/"
 manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def test_ods_is_read_directly():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        # written on one line as office suites do (calamine rejects pretty-printed content)
        zf.writestr("content.xml", ODS_CONTENT.replace("\n", ""), zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", ODS_MANIFEST, zipfile.ZIP_DEFLATED)
    data = buf.getvalue()
    result = read(data, kind_of(data, "统计表.xls"))
    assert result.kind == "ods" and "converted_by_libreoffice" not in result.warnings
    assert result.tables[0].frame.to_dict("records") == [{"社区": "芙蓉街", "人数": "12"}]
    assert result.tables[0].cell_location(0, 1) == "统计表!B3"
    assert result.title == "泉城路街道统计表"


def test_xls_percent_cells_keep_their_percent(tmp_path):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("监测")
    ws.write_merge(0, 0, 0, 2, "泉城路街道2013年两规监测表")
    for c, text in enumerate(["指标", "目标", "2013年"]):
        ws.write(1, c, text)
    ws.write(2, 0, "生育保险参保率")
    ws.write(2, 1, "≥95")
    ws.write(2, 2, 0.963, xlwt.easyxf(num_format_str="0.0%"))
    ws.write(3, 0, "培训妇女（人）")
    ws.write(3, 2, 326)
    book.save(str(tmp_path / "a.xls"))
    result = read((tmp_path / "a.xls").read_bytes(), "xls")
    frame = result.tables[0].frame
    assert frame["2013年"].tolist() == ["96.3%", "326"]
    assert result.tables[0].cell_location(0, 2) == "监测!C3"
    assert result.title == "泉城路街道2013年两规监测表"


def test_soffice_failing_on_its_own_is_tried_again_before_a_file_is_called_corrupt(tmp_path, monkeypatch):
    """soffice exits 81 the first time it sets up a fresh profile and may crash under memory
    pressure: a good .doc must not be quarantined for that (seen as a flaky `corrupt` under load).
    The real soffice sits behind a script that fails its first call only."""
    from extract import legacy as conv

    doc = legacy.write_doc(tmp_path / "a.doc", SPEC).read_bytes()
    broken = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048)
    marker = tmp_path / "failed-once"
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\nif [ ! -e {marker} ]; then touch {marker}; exit 81; fi\n"
                      f'exec {conv.SOFFICE} "$@"\n')
    script.chmod(0o755)
    monkeypatch.setattr(conv, "SOFFICE", str(script))
    good, bad_doc = conv.convert_many([(doc, "doc"), (broken, "doc")], "docx")
    assert marker.exists() and isinstance(good, bytes) and good[:2] == b"PK"
    assert isinstance(bad_doc, ExtractError) and bad_doc.reason == "corrupt"  # judged once soffice ran
