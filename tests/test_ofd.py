"""OFD documents (GB/T 33190) are read: text objects in reading order, pages as locations."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from extract.pipeline import extract_document
from extract.readers import read
from extract.sniff import sniff
from schemas.extraction import ExtractError, Hints

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def text_object(oid: int, x: float, y: float, text: str, size: float = 4.2) -> str:
    return (f'<ofd:TextObject ID="{oid}" Boundary="{x} {y} 170 {size * 1.5}" Font="2" Size="{size}">'
            f'<ofd:TextCode X="0" Y="{size}">{text}</ofd:TextCode></ofd:TextObject>')


def page(objects: list[str]) -> bytes:
    body = "".join(objects)
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {NS}><ofd:Content><ofd:Layer ID="1">'
            f'<ofd:PageBlock ID="90">{body}</ofd:PageBlock></ofd:Layer></ofd:Content></ofd:Page>').encode()


def ofd(pages: list[bytes], title: str | None = "泉城路街道妇联工作简报") -> bytes:
    doc_info = f"<ofd:DocInfo><ofd:Title>{title}</ofd:Title></ofd:DocInfo>" if title else ""
    listing = "".join(f'<ofd:Page ID="{i + 10}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    parts = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {NS} Version="1.0" DocType="OFD">'
                   f"<ofd:DocBody>{doc_info}<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {NS}><ofd:CommonData>'
                              f"<ofd:MaxUnitID>99</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297"
                              f"</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages>{listing}"
                              f"</ofd:Pages></ofd:Document>",
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            z.writestr(name, content)
        for i, content in enumerate(pages):
            z.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", content)
    return buf.getvalue()


SAMPLE = ofd([
    page([text_object(5, 25, 60, "4月9日，泉城路街道妇联举办家政技能培训班，"),  # written out of order
          text_object(3, 60, 30, "泉城路街道妇联举办家政技能培训班"),
          text_object(6, 25, 68, "辖区42名下岗妇女参加培训。"),
          text_object(4, 25, 45, "发布时间：2013年4月10日")]),
    page([text_object(7, 120, 40, "泉城路街道妇联"),
          text_object(8, 120, 48, "2013年4月10日")]),
])


def test_sniffed_and_read_in_reading_order() -> None:
    found = sniff(SAMPLE, "简报.ofd", max_unzipped=500 << 20, max_ratio=200)
    assert (found.kind, found.reason) == ("ofd", None)
    result = read(SAMPLE, "ofd")
    assert result.pages == 2 and result.title == "泉城路街道妇联工作简报"
    assert [b.text for b in result.blocks][:3] == [
        "泉城路街道妇联举办家政技能培训班", "发布时间：2013年4月10日", "4月9日，泉城路街道妇联举办家政技能培训班，"]
    assert result.blocks[-1].location == "第2页第2行" and result.blocks[-1].page == 2


def test_runs_on_one_baseline_join_left_to_right() -> None:
    data = ofd([page([text_object(2, 80, 30, "工作总结"), text_object(1, 25, 30, "泉城路街道妇联2013年")])])
    assert [b.text for b in read(data, "ofd").blocks] == ["泉城路街道妇联2013年工作总结"]


def test_extraction_from_an_ofd_item() -> None:
    ext = extract_document(SAMPLE, Hints(name="简报.ofd"), hashlib.sha256(SAMPLE).hexdigest())
    assert (ext.detected_type, ext.unit, ext.doc_type, ext.period) == ("ofd", "quanchenglu", "info_report", "2013-04")
    trained = [i for i in ext.indicators if i.code == "dev.women_trained"]
    assert trained and trained[0].value == 42 and trained[0].evidence.location.startswith("第1页")


@pytest.mark.parametrize(("mangle", "detail"), [
    (lambda parts: parts.pop("Doc_0/Pages/Page_0/Content.xml"), "missing"),
    (lambda parts: parts.update({"OFD.xml": b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'}), "DTD"),
    (lambda parts: parts.update({"Doc_0/Document.xml": b"<ofd:Document"}), "not XML"),
])
def test_broken_ofd_is_corrupt_with_a_reason(mangle, detail: str) -> None:  # noqa: ANN001
    with zipfile.ZipFile(io.BytesIO(SAMPLE)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    mangle(parts)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, content in parts.items():
            z.writestr(name, content)
    with pytest.raises(ExtractError) as err:
        read(buf.getvalue(), "ofd")
    assert err.value.reason == "corrupt" and detail in err.value.message


def cell(oid: int, x: float, y: float, text: str, size: float = 3.5) -> str:
    """A table cell's text object as converters write it: a box of the cell's width."""
    return (f'<ofd:TextObject ID="{oid}" Boundary="{x} {y} 28 {size * 1.5}" Font="2" Size="{size}">'
            f'<ofd:TextCode X="1" Y="{size}">{text}</ofd:TextCode></ofd:TextObject>')


COLUMNS = (20, 80, 110, 140)  # 指标名称 | 计量单位 | 2013年 | 2012年, in millimetres
TABLE_ROWS = [
    ("指标名称", "计量单位", "2013年", "2012年"),
    ("一、妇女与健康", "", "", ""),  # an area heading: one cell inside the table
    ("孕产妇死亡率", "1/10万", "0", "12.5"),
    ("孕产妇住院分娩率", "%", "99.96", "99.8"),
    ("村委会主任中女性比例", "%", "—", "—"),
    ("婴儿死亡率", "‰", "2.31", "2.6"),
]


def table_page(rows=TABLE_ROWS) -> bytes:  # noqa: ANN001
    objects = [text_object(1, 25, 20, "泉城路街道2013年妇女儿童发展规划统计监测表"),
               text_object(2, 25, 30, "填报单位：泉城路街道妇联")]
    oid = 10
    for r, row in enumerate(rows):
        for x, text in zip(COLUMNS, row, strict=True):
            if text:
                objects.append(cell(oid, x, 42 + 8 * r, text))
                oid += 1
    objects.append(text_object(oid, 25, 42 + 8 * len(rows) + 6, "填报人：王敏    审核人：李娜"))
    return page(objects)


def test_text_objects_in_rows_and_columns_are_a_table() -> None:
    result = read(ofd([table_page()], title=None), "ofd")
    assert len(result.tables) == 1
    table = result.tables[0]
    assert table.location == "第1页表1"
    assert list(table.frame.columns) == ["指标名称", "计量单位", "2013年", "2012年"]
    assert table.frame.iloc[2].tolist() == ["孕产妇住院分娩率", "%", "99.96", "99.8"]
    assert table.cell_location(2, 2) == "第1页表1第4行第3列"
    # the lines are still read as text too, in reading order
    assert [b.text for b in result.blocks][:2] == ["泉城路街道2013年妇女儿童发展规划统计监测表", "填报单位：泉城路街道妇联"]


def test_a_two_plans_table_in_an_ofd_gives_rows_like_other_formats() -> None:
    data = ofd([table_page()], title=None)
    ext = extract_document(data, Hints(name="两规统计监测表.ofd", source_path="泉城路街道妇联/两规统计监测表.ofd"),
                           hashlib.sha256(data).hexdigest())
    assert ext.doc_type == "two_plans_statistics"
    got = {(r.code, r.year): (r.value, r.location) for r in ext.two_plans}
    assert got[("wp.maternal_mortality", 2012)] == (12.5, "第1页表1第3行第4列")
    assert got[("wp.hospital_delivery_rate", 2013)] == (99.96, "第1页表1第4行第3列")
    assert got[("cp.infant_mortality", 2013)][0] == 2.31
    assert got[("wp.village_director_women_share", 2013)][0] is None  # "—": said, no number


def test_running_text_and_a_signature_are_no_table() -> None:
    """Lines with one text object each (SAMPLE), and a line whose runs touch, give no table."""
    assert read(SAMPLE, "ofd").tables == []
    touching = page([f'<ofd:TextObject ID="{i}" Boundary="{25 + 4.2 * 10 * k} {40 + 8 * i} 60 6" Size="4.2">'
                     f'<ofd:TextCode X="0" Y="4.2">{"妇联举办家政技能培训"}</ofd:TextCode></ofd:TextObject>'
                     for i in range(4) for k in range(2)])
    assert read(ofd([touching]), "ofd").tables == []
