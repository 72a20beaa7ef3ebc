"""Which unit a document belongs to, from the strongest evidence."""

import pytest

from extract.who import identify
from schemas.units import load_registry

REG = load_registry()


def who(**kw):
    base = dict(claimed=None, source_path=None, name="a.docx", title=None, header=[], signature=[], body="")
    base.update(kw)
    return identify(REG, **base)


@pytest.mark.parametrize("kw,unit,evidence", [
    (dict(title="泉城路街道妇联2013年工作总结"), "quanchenglu", "title"),
    (dict(title="解放路街道妇女联合会二〇一三年工作总结"), "jiefanglu", "title"),
    (dict(name="甸柳街道办事处2013年总结.docx"), "dianliu", "file name"),
    (dict(source_path="收件/千佛山街道/2013/总结.docx"), "qianfoshan", "folder"),
    (dict(claimed="yanshan"), "yanshan", "channel"),
    (dict(signature=["2014年1月10日", "燕山街道妇联"]), "yanshan", "signature"),
    (dict(header=["姚家街道妇联"]), "yaojia", "header"),
    (dict(title="历下区妇联2013年工作总结"), "lixia", "title"),
])
def test_unit_from_each_source(kw: dict, unit: str, evidence: str) -> None:
    w = who(**kw)
    assert (w.unit, w.evidence, w.problems) == (unit, evidence, [])


def test_new_community_belongs_to_itself_not_its_street() -> None:
    w = who(title="泉城路街道芙蓉街社区妇联2013年工作总结")
    assert w.unit is None and w.problems == ["new_community"]
    assert w.new_community["name"] == "芙蓉街社区妇联" and w.new_community["parent"] == "quanchenglu"


def test_new_community_named_alone_takes_street_from_folder() -> None:
    w = who(title="燕子山社区妇联上半年工作总结", source_path="燕山街道/燕子山社区妇联上半年工作总结.docx")
    assert w.unit is None and w.new_community["parent"] == "yanshan"
    assert w.new_community["name"] == "燕子山社区妇联"


def test_community_in_signature_with_street_folder() -> None:
    w = who(title="2013年工作总结", source_path="文东街道/总结.doc", signature=["文东街道山大路社区妇联"])
    assert w.new_community and w.new_community["parent"] == "wendong"


@pytest.mark.parametrize("body", [
    "我们与泉城路街道联合举办招聘会，并报区妇联。",
    "在历下区妇联的指导下，配合泉城路街道妇联开展活动。",
])
def test_units_merely_mentioned_are_not_the_author(body: str) -> None:
    w = who(title="2013年工作总结", signature=["东关街道妇联", "2013年12月30日"], body=body)
    assert w.unit == "dongguan"
    assert who(title="2013年工作总结", body=body).unit is None


def test_body_subject_as_last_resort() -> None:
    w = who(title="工作总结", body="今年以来，智远街道妇联积极开展培训。与泉城路街道联合举办招聘会，报历下区妇联。")
    assert (w.unit, w.evidence) == ("zhiyuan", "body")


def test_conflicting_strong_evidence() -> None:
    w = who(claimed="jiefanglu", title="泉城路街道妇联2013年工作总结")
    assert w.unit is None and w.problems == ["unit_conflict"]
    w = who(name="龙洞街道总结.docx", signature=["建新街道妇联"])
    assert w.unit is None and "unit_conflict" in w.problems


def test_street_folder_holding_a_known_level_is_compatible() -> None:
    w = who(source_path="泉城路街道/a.docx", signature=["泉城路街道妇联"])
    assert w.unit == "quanchenglu" and w.problems == []


def test_unknown() -> None:
    assert who(title="工作总结", body="全年培训妇女326人。").problems == ["unit_unknown"]


def test_ocr_misread_street_is_matched_only_when_approximate_and_unique() -> None:
    kw = dict(title="2012年工作总结", header=["旬柳街道妇女联合会"])
    assert who(**kw).problems == ["unit_unknown"]
    w = who(**kw, approximate=True)
    assert w.unit == "dianliu" and "approximate" in w.evidence
    assert who(title="工作总结", header=["干佛山街道妇联"], approximate=True).unit == "qianfoshan"
    assert who(title="工作总结", header=["某某街道妇联"], approximate=True).problems == ["unit_unknown"]


@pytest.mark.parametrize("title", ["泉城路街道办芙蓉街社区2013年工作总结", "历下区泉城路街道办事处芙蓉街社区居委会工作总结"])
def test_community_after_street_office(title: str) -> None:
    w = who(title=title)
    assert w.new_community["name"] == "芙蓉街社区妇联" and w.new_community["parent"] == "quanchenglu"


def test_community_folder_inside_street_folder() -> None:
    w = who(source_path="上报/泉城路街道/芙蓉街社区/总结.docx", title="2013年工作总结")
    assert w.unit is None and w.new_community["name"] == "芙蓉街社区妇联"
    assert w.new_community["parent"] == "quanchenglu" and w.evidence == "folder"
