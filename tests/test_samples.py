"""The sample generator: every writer's output opens with the real library, bad inputs are bad."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from pathlib import Path

import docx
import msoffcrypto
import olefile
import openpyxl
import pypdfium2 as pdfium
import pytest
from python_calamine import CalamineWorkbook

from fulian.samples import bad, legacy, office, pdfs
from fulian.samples.spec import DocSpec, SheetSpec, TableSpec

TWO_PLANS = TableSpec(
    header=[["指标名称", "计量单位", "2013年", None], [None, None, "本期", "上年同期"]],
    rows=[["孕产妇住院分娩率", "%", "99.8%", "99.5"], ["活产数", "人", 1234, "—"],
          ["婴儿死亡率", "‰", "２.３", "暂无"]],
    merges=[(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3)])

SPEC = DocSpec(
    title="泉城路街道妇联2013年工作总结", doc_number="泉妇字〔2013〕5号", header="泉城路街道妇联",
    body=["今年以来，街道妇联共培训妇女326人，帮助58名妇女实现就业，" * 4, TWO_PLANS,
          "受理来信来访来电45件，办结44件。"],
    signature=["泉城路街道妇联", "2013年12月20日"])

SHEET = SheetSpec(name="监测表", table=TWO_PLANS, title="泉城路街道2013年妇女儿童发展规划统计监测表",
                  notes_after=["填报单位：泉城路街道妇联", "填报日期：2014年1月10日"])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pdf_text(path: Path) -> str:
    document = pdfium.PdfDocument(path)
    return "".join(page.get_textpage().get_text_range() for page in document)


def test_docx_has_title_body_table_header_signature(tmp_path: Path) -> None:
    path = office.write_docx(tmp_path / "a.docx", SPEC)
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "泉妇字〔2013〕5号" and texts[1] == SPEC.title
    assert document.paragraphs[1].style.name == "Title"
    assert texts[-2:] == ["泉城路街道妇联", "2013年12月20日"]
    assert document.sections[0].header.paragraphs[0].text == "泉城路街道妇联"
    rows = [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert rows[0] == ["指标名称", "计量单位", "2013年", "2013年"]  # merged cell spans two columns
    assert rows[1][2:] == ["本期", "上年同期"] and rows[2] == ["孕产妇住院分娩率", "%", "99.8%", "99.5"]


def test_writers_are_deterministic(tmp_path: Path) -> None:
    for name, write, content in (("a.docx", office.write_docx, SPEC), ("b.xlsx", office.write_xlsx, SHEET),
                                 ("c.xls", office.write_xls, SHEET), ("d.pdf", pdfs.write_text_pdf, SPEC)):
        first = digest(write(tmp_path / name, content))
        assert digest(write(tmp_path / f"again-{name}", content)) == first, name


def test_xlsx_keeps_merges_and_text_numbers(tmp_path: Path) -> None:
    path = office.write_xlsx(tmp_path / "b.xlsx", SHEET)
    ws = openpyxl.load_workbook(path)["监测表"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:D1", "A2:A3", "B2:B3", "C2:D2"} <= merged
    assert ws["A1"].value == SHEET.title and ws["C4"].value == "99.8%" and ws["C5"].value == 1234
    assert ws["C6"].value == "２.３" and ws["A7"].value == "填报单位：泉城路街道妇联"


def test_xls_opens_with_calamine(tmp_path: Path) -> None:
    path = office.write_xls(tmp_path / "b.xls", SHEET)
    assert olefile.isOleFile(str(path))
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == SHEET.title and rows[1][:3] == ["指标名称", "计量单位", "2013年"]
    assert rows[3] == ["孕产妇住院分娩率", "%", "99.8%", "99.5"] and rows[4][2] == 1234


def test_legacy_doc_is_ole_and_keeps_its_table(tmp_path: Path) -> None:
    paths = legacy.write_docs([(tmp_path / "x" / "一.doc", SPEC), (tmp_path / "x" / "二.doc", SPEC),
                               (tmp_path / "y" / "三.doc", SPEC)])
    assert all(olefile.isOleFile(str(p)) for p in paths)
    legacy.soffice_convert([paths[0]], "docx", tmp_path / "back")
    back = docx.Document(str(tmp_path / "back" / "一.docx"))
    assert SPEC.title in [p.text for p in back.paragraphs]
    assert len(back.tables) == 1 and back.tables[0].rows[2].cells[0].text == "孕产妇住院分娩率"


def test_text_pdf_has_chinese_text(tmp_path: Path) -> None:
    text = pdf_text(pdfs.write_text_pdf(tmp_path / "a.pdf", SPEC))
    for snippet in ("泉城路街道妇联2013年工作总结", "共培训妇女326人", "孕产妇住院分娩率", "2013年12月20日"):
        assert snippet in text.replace("\r\n", "").replace("\n", ""), snippet


def test_scanned_pdf_and_images_have_no_text(tmp_path: Path) -> None:
    path = pdfs.write_scanned_pdf(tmp_path / "s.pdf", SPEC, dpi=150)
    document = pdfium.PdfDocument(path)
    assert len(document) >= 1 and pdf_text(path).strip() == ""
    assert len(list(document[0].get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]))) == 1
    from PIL import Image
    for name in ("p.png", "p.jpg"):
        img = Image.open(pdfs.write_page_image(tmp_path / name, SPEC, dpi=100))
        assert img.size[0] > 700 and img.getextrema()[0] < 60  # dark text on light paper


def test_csv_encodings(tmp_path: Path) -> None:
    for encoding in office.CSV_ENCODINGS:
        raw = office.write_csv(tmp_path / f"{encoding}.csv", TWO_PLANS, encoding).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
        assert "孕产妇住院分娩率" in raw.decode(encoding)
    with pytest.raises(UnicodeDecodeError):
        (tmp_path / "gb18030.csv").read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return bad.write_bad_inputs(tmp_path_factory.mktemp("bad"))


@pytest.mark.xdist_group("samples_bad")
def test_zip_bomb_declares_a_gigabyte_but_is_small(bad_inputs: dict[str, Path]) -> None:
    path = bad_inputs["zip_bomb"]
    assert path.suffix == ".docx" and path.stat().st_size < 5 * 1024 * 1024
    with zipfile.ZipFile(path) as zf:
        assert sum(i.file_size for i in zf.infolist()) >= 10**9
        with zf.open("word/document.xml") as member:
            assert member.read(10 << 20) == bytes(10 << 20)  # a real deflate stream of zeros


@pytest.mark.xdist_group("samples_bad")
@pytest.mark.slow
def test_zip_bomb_crc_is_valid(bad_inputs: dict[str, Path]) -> None:
    with zipfile.ZipFile(bad_inputs["zip_bomb"]) as zf:
        assert zf.testzip() is None


@pytest.mark.xdist_group("samples_bad")
def test_encrypted_inputs_need_a_password(bad_inputs: dict[str, Path]) -> None:
    with pytest.raises(pdfium.PdfiumError, match="password"):
        pdfium.PdfDocument(bad_inputs["encrypted_pdf"])
    assert len(pdfium.PdfDocument(bad_inputs["encrypted_pdf"], password=bad.PASSWORD)) == 1
    for key in ("encrypted_docx", "encrypted_xlsx"):
        with bad_inputs[key].open("rb") as fh:
            assert msoffcrypto.OfficeFile(fh).is_encrypted(), key
        assert not zipfile.is_zipfile(bad_inputs[key])


@pytest.mark.xdist_group("samples_bad")
def test_broken_inputs_fail_with_the_real_readers(bad_inputs: dict[str, Path]) -> None:
    assert bad_inputs["empty"].stat().st_size == 0
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(bad_inputs["corrupt_pdf"])
    for key in ("truncated_docx", "random_xlsx"):
        with pytest.raises(Exception):  # noqa: B017 - python-docx/openpyxl raise various types
            docx.Document(str(bad_inputs[key])) if key.endswith("docx") else openpyxl.load_workbook(
                bad_inputs[key])
    assert bad_inputs["truncated_docx"].read_bytes()[:2] == b"PK"


@pytest.mark.xdist_group("samples_bad")
def test_mislabelled_long_name_and_plain_zip(bad_inputs: dict[str, Path]) -> None:
    mislabelled = bad_inputs["mislabelled_pdf"]
    assert mislabelled.suffix == ".docx" and mislabelled.read_bytes().startswith(b"%PDF-")
    long_name = bad_inputs["long_name_docx"]
    assert len(long_name.stem) >= 80 and docx.Document(str(long_name)).paragraphs
    assert len(bad.long_chinese_name(200)) == 205
    with zipfile.ZipFile(bad_inputs["plain_zip"]) as zf:
        assert "[Content_Types].xml" not in zf.namelist() and zf.namelist()


# ---------------------------------------------------------------- demo inbox

@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    from fulian.samples.demo import write_demo_inbox

    inbox = tmp_path_factory.mktemp("demo") / "inbox"
    return inbox, write_demo_inbox(inbox)


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


@pytest.mark.xdist_group("samples_demo")
def test_demo_inbox_shape(demo: tuple[Path, list[Path]]) -> None:
    from schemas.units import load_registry

    inbox, paths = demo
    assert 15 <= len(paths) <= 25 and all(p.is_file() for p in paths)
    assert sorted(paths) == sorted(p for p in inbox.rglob("*") if p.is_file())
    suffixes = {p.suffix for p in paths}
    assert {".docx", ".doc", ".pdf", ".xlsx", ".xls", ".csv", ".jpg"} <= suffixes
    streets = {u.code for p in paths for _, u, _ in load_registry().find_all(str(p.relative_to(inbox)))}
    assert len(streets) >= 5
    assert any(p.parent == inbox for p in paths) and any(p.parent != inbox for p in paths)
    scanned = [p for p in paths if "扫描件" in p.name]
    assert scanned and pdf_text(scanned[0]).strip() == ""


@pytest.mark.xdist_group("samples_demo")
def test_demo_duplicate_and_correction(demo: tuple[Path, list[Path]]) -> None:
    _, paths = demo
    by_hash: dict[str, list[Path]] = {}
    for p in paths:
        by_hash.setdefault(digest(p), []).append(p)
    twins = [group for group in by_hash.values() if len(group) > 1]
    assert len(twins) == 1 and len({p.parent for p in twins[0]}) == 2
    revised = next(p for p in paths if "修订版" in p.name)
    original = revised.with_name(revised.name.replace("（修订版）", ""))
    old, new = docx_text(original).splitlines(), docx_text(revised).splitlines()
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert 1 <= len(changed) <= 4  # the women-trained figure (and the plan/table derived from it)
    digits = re.compile(r"\d+")
    assert all(digits.sub("#", a) == digits.sub("#", b) for a, b in changed)
    assert "培训" in changed[0][0]


@pytest.mark.xdist_group("samples_demo")
def test_demo_roles_point_at_the_special_files(demo: tuple[Path, list[Path]]) -> None:
    from fulian.samples.demo import demo_roles

    inbox, paths = demo
    roles = demo_roles(inbox)
    assert set(roles.values()) <= set(paths)
    assert roles["duplicate_original"].read_bytes() == roles["duplicate_copy"].read_bytes()
    assert roles["correction_original"].read_bytes() != roles["correction_revised"].read_bytes()


@pytest.mark.xdist_group("samples_demo")
def test_demo_bad_and_unknown_files(demo: tuple[Path, list[Path]]) -> None:
    from schemas.units import load_registry

    _, paths = demo
    pdfs_ = [p for p in paths if p.suffix == ".pdf"]
    errors = []
    for p in pdfs_:
        try:
            pdfium.PdfDocument(p)
        except pdfium.PdfiumError as exc:
            errors.append(str(exc))
    assert sum("password" in e.lower() for e in errors) == 1 and len(errors) == 2
    unknown = next(p for p in paths if p.name.startswith("新建"))
    assert load_registry().find_all(unknown.name + docx_text(unknown)) == []


# ---------------------------------------------------------------- bulk

def test_bulk_files_are_distinct_and_open(tmp_path: Path) -> None:
    from fulian.samples.bulk import generate_bulk

    paths = generate_bulk(tmp_path, n=80, seed=3)
    assert len(paths) == 80 and len({digest(p) for p in paths}) == 80
    assert {p.suffix for p in paths} == {".docx", ".xlsx", ".pdf", ".csv"}
    for p in paths:
        if p.suffix == ".docx":
            assert docx.Document(str(p)).paragraphs[0].text
        elif p.suffix == ".xlsx":
            assert openpyxl.load_workbook(p).active.max_row > 2
            assert CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).to_python()
        elif p.suffix == ".pdf":
            assert "妇" in pdf_text(p)
        else:
            raw = p.read_bytes()
            assert any(_decodes(raw, enc) for enc in office.CSV_ENCODINGS)
    assert generate_bulk(tmp_path / "again", n=5, seed=3)[0].read_bytes() == paths[0].read_bytes()


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        return "表" in raw.decode(encoding)
    except UnicodeDecodeError:
        return False


# ---------------------------------------------------------------- corpus with ground truth

@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list:
    from fulian.samples.corpus import build_corpus

    return build_corpus(tmp_path_factory.mktemp("corpus"))


def file_text(path: Path, fmt: str) -> str:
    """All text a reader can get without OCR or LibreOffice, NFKC-normalised, line breaks removed."""
    import unicodedata

    if fmt == "docx":
        document = docx.Document(str(path))
        text = docx_text(path) + document.sections[0].header.paragraphs[0].text
    elif fmt == "pdf":
        text = pdf_text(path)
    elif fmt in ("xlsx", "xls"):
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        text = "\n".join("|".join(f"{c:g}" if isinstance(c, float) else str(c) for c in r) for r in sheet)
    elif fmt == "csv":
        raw = path.read_bytes()
        try:
            decoded = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            decoded = raw.decode("gb18030")
        text = "\n".join("|".join(row) for row in csv.reader(io.StringIO(decoded)))
    else:
        return ""
    return unicodedata.normalize("NFKC", text).replace("\r\n", "").replace("\n", "|")


def renderings(value: float) -> set[str]:
    from fulian.samples.text import cn_number

    out = {f"{value:g}"}
    if float(value).is_integer():
        out |= {cn_number(int(value)), f"{int(value):,}"} | ({"两"} if value == 2 else set())
    return out


def stated(code: str, value: float, text: str) -> bool:
    """The value is written in the text in one of the ways people write numbers."""
    if code == "org.federation_coverage" and value == 100 and "全覆盖" in text:
        return True
    return any(r in text for r in renderings(value))


@pytest.mark.xdist_group("samples_corpus")
def test_corpus_size_formats_and_manifest(corpus: list) -> None:
    from fulian.samples.corpus import load_corpus

    assert 80 <= len(corpus) <= 120
    formats = {i.format for i in corpus}
    assert formats == {"docx", "doc", "pdf", "pdf_scanned", "xlsx", "xls", "csv"}
    assert {i.doc_type for i in corpus} == set(__import__("schemas.extraction").extraction.DOC_TYPES)
    folder = corpus[0].path.parents[len(Path(corpus[0].source_path).parts) - 1]
    assert load_corpus(folder) == corpus
    assert all(i.path.is_file() for i in corpus)
    assert {i.unit_place for i in corpus} == {"folder", "file name", "title", "header", "signature"}
    periods = {i.period for i in corpus}
    assert {"2013", "2013-H1"} <= periods and any("-Q" in p for p in periods)
    assert any(len(p) == 7 and "-Q" not in p and "-H" not in p for p in periods)


@pytest.mark.xdist_group("samples_corpus")
def test_corpus_units_are_where_the_manifest_says(corpus: list) -> None:
    from schemas.units import load_registry

    reg = load_registry()
    for item in corpus:
        if item.new_community:
            assert item.unit is None and item.community_parent in reg.units
            assert item.new_community.startswith(reg.get(item.community_parent).base)
        else:
            assert item.unit in reg.units, item.source_path
        parts = Path(item.source_path).parts
        if item.unit_place == "folder":
            assert len(parts) == 2 and (parts[0] == item.new_community or reg.by_name(parts[0]).code == item.unit)
        elif item.unit_place == "file name":
            assert reg.find_all(parts[-1]) and item.unit in (None, *(u.code for _, u, _ in reg.find_all(parts[-1])))
        else:
            assert not reg.find_all(parts[-1]), item.source_path
            text = file_text(item.path, item.format)
            if text:  # the content itself names the author
                named = {u.code for _, u, _ in reg.find_all(text)}
                # a community is named by its place (大明湖街道百花洲社区), with or without 妇联
                community = (item.new_community or "-").removesuffix("妇联")
                assert item.unit in named or community in text, item.source_path


@pytest.mark.xdist_group("samples_corpus")
def test_corpus_indicator_values_are_written_in_the_documents(corpus: list) -> None:
    checked = 0
    for item in corpus:
        text = file_text(item.path, item.format)
        if not text or not item.indicators:
            continue
        for code, value in item.indicators.items():
            if isinstance(value, bool):
                assert ("单独建" in text) or ("独立核算" in text), item.source_path
                continue
            if code == "child.family_education_activities" and item.doc_type == "parent_school_record":
                continue  # counted rows, checked below
            if code == "child.chunlei_girls" and item.doc_type == "chunlei_register":
                continue
            assert stated(code, value, text), (item.source_path, code, value)
            checked += 1
    assert checked > 200


@pytest.mark.xdist_group("samples_corpus")
def test_corpus_doc_files_round_trip_with_their_values(corpus: list, tmp_path: Path) -> None:
    """Legacy .doc files: converted back by LibreOffice, they still state every value."""
    import unicodedata

    docs = [i for i in corpus if i.format == "doc"]
    assert len(docs) >= 5 and all(olefile.isOleFile(str(i.path)) for i in docs)
    staged = []
    for n, item in enumerate(docs):
        staged.append(tmp_path / f"{n}.doc")
        staged[-1].write_bytes(item.path.read_bytes())
    legacy.soffice_convert(staged, "docx", tmp_path / "back")
    for n, item in enumerate(docs):
        back = tmp_path / "back" / f"{n}.docx"
        text = file_text(back, "docx")
        title = unicodedata.normalize("NFKC", item.title).replace(" ", "")
        assert title in text.replace(" ", ""), item.source_path
        for code, value in item.indicators.items():
            if not isinstance(value, bool):
                assert stated(code, value, text), (item.source_path, code, value)


@pytest.mark.xdist_group("samples_corpus")
def test_corpus_counted_rows_and_pii(corpus: list) -> None:
    from fulian.samples.people import valid_id

    ids = re.compile(r"\b\d{17}[\dX]\b")
    for item in corpus:
        text = file_text(item.path, item.format)
        if item.doc_type in ("chunlei_register", "single_mother_register"):
            assert item.pii
            found = ids.findall(text)
            if text:
                assert found and all(valid_id(n) for n in found), item.source_path
            if item.doc_type == "chunlei_register" and text:
                assert len(found) == item.indicators["child.chunlei_girls"]
        else:
            assert not item.pii and not ids.findall(text)
        if item.doc_type == "parent_school_record" and item.format in ("xlsx", "xls"):
            rows = CalamineWorkbook.from_path(str(item.path)).get_sheet_by_index(0).to_python()
            numbered = [r for r in rows if isinstance(r[0], float) and r[0] >= 1]
            assert len(numbered) == item.indicators["child.family_education_activities"]


@pytest.mark.xdist_group("samples_corpus")
def test_corpus_two_plans_rows_cover_both_years(corpus: list) -> None:
    import unicodedata

    tables = [i for i in corpus if i.doc_type == "two_plans_statistics"]
    assert len(tables) >= 12
    assert any(v is None for i in tables for *_, v in i.two_plans)  # —, 暂无, / cells
    for item in tables:
        years = {year for _, _, year, _ in item.two_plans}
        units = {unit for unit, _, _, _ in item.two_plans}
        if item.unit == "lixia":  # a district roll-up: one year, one column per street
            assert len(units) == 4 and len(years) == 1
        else:
            assert units == {item.unit} and len(years) == 2
        text = file_text(item.path, item.format)
        if text and item.format != "pdf":
            cells = {unicodedata.normalize("NFKC", c).replace(",", "").rstrip("%") for c in re.split(r"\|", text)}
            for *_, value in item.two_plans:
                if value is not None:
                    assert renderings(value) & cells, (item.source_path, value)
