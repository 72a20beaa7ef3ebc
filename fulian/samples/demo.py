"""The demo inbox: about twenty files as a district federation really receives them.

Folders named after units, loose files, every format, one exact duplicate, one
corrected resubmission, one corrupt file, one encrypted PDF and one file whose
unit nobody can tell.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from fulian.samples import bad
from fulian.samples import documents as d
from fulian.samples import tables as t
from fulian.samples.render import Renderer
from fulian.samples.spec import DocSpec

YEAR = 2013
ALL_PLACES = {"title", "header", "signature"}
PLANTED = {"wp.hospital_delivery_rate": 100.8, "wp.female_employment_share": 62.5}
# Files with a special role, relative to the inbox: what the archive must do with them.
ROLES: dict[str, str] = {
    "duplicate_original": "泉城路街道妇联/泉城路街道妇联2013年工作总结.docx",
    "duplicate_copy": "待整理/泉城路总结(1).docx",  # same bytes: stored once
    "correction_original": "千佛山街道妇联/千佛山街道妇联2013年工作总结.docx",
    "correction_revised": "千佛山街道妇联/千佛山街道妇联2013年工作总结（修订版）.docx",  # supersedes it
    "corrupt": "东关街道妇联/东关街道妇联2013年工作总结.pdf",  # quarantine: corrupt
    "encrypted": "姚家街道妇联/信访维权统计报表.pdf",  # quarantine: encrypted
    "unknown_unit": "新建 Microsoft Word 文档.docx",  # needs_review: no unit anywhere
    "new_community": "泉城路街道芙蓉街社区妇联/芙蓉街社区妇联2013年工作总结.doc",
    "scanned": "甸柳街道妇联2013年工作总结（扫描件）.pdf",
}


def _unknown_unit_doc() -> DocSpec:
    """Generic name, no unit anywhere: the archive cannot place it without a person."""
    return DocSpec(title="关于开展“三八”节系列活动的情况汇报",
                   body=["为庆祝“三八”国际劳动妇女节，我们组织开展了趣味运动会、健康知识讲座等系列活动，"
                         "辖区妇女群众积极参与，取得了良好效果。",
                         "下一步，我们将继续丰富活动形式，增强妇联组织的凝聚力。"],
                   signature=["2013年3月12日"], title_style="plain")


def _plan(inbox: Path) -> list[tuple[Path, object, str]]:
    """(path, content, kind) for every generated file, in a fixed order."""
    r = random.Random(2013)
    qcl, jfl = d.street_author("quanchenglu"), d.street_author("jiefanglu", 1)
    dmh, dl = d.street_author("daminghu"), d.street_author("dianliu")
    ys, wd, qfs = d.street_author("yanshan", 2), d.street_author("wendong"), d.street_author("qianfoshan")
    zy, jx, ld = d.street_author("zhiyuan"), d.street_author("jianxin"), d.street_author("longdong")
    fr = d.community_author("quanchenglu", "芙蓉街社区")
    f = {"qcl": inbox / "泉城路街道妇联", "jfl": inbox / "解放路街道妇联", "dmh": inbox / "大明湖街道妇联",
         "qfs": inbox / "千佛山街道妇联", "jx": inbox / "建新街道妇联", "zy": inbox / "智远街道妇联",
         "fr": inbox / "泉城路街道芙蓉街社区妇联"}
    return [
        (f["qcl"] / "泉城路街道妇联2013年工作总结.docx",
         d.work_summary(r, qcl, YEAR, ALL_PLACES, part="芙蓉街社区").content, "docx"),
        (f["qcl"] / "2013年妇女儿童发展规划统计监测表.xlsx",  # planted: a rate above 100%, a share off its parts
         t.two_plans_table(r, qcl, YEAR, {"title"}, overrides=PLANTED).content, "xlsx"),
        (f["qcl"] / "11月份工作信息.doc", d.info_report(r, qcl, YEAR, 11, {"signature"}).content, "doc"),
        (f["qcl"] / "济南日报报道.pdf", d.news_clipping(r, qcl, YEAR, 9).content, "pdf"),
        (f["jfl"] / "解放路街道2013年上半年工作总结.pdf", d.work_summary(r, jfl, YEAR, ALL_PLACES, half=True).content, "pdf"),
        (f["jfl"] / "春蕾女童登记表.xlsx", t.chunlei_register(r, jfl, YEAR, {"header"}).content, "xlsx"),
        (f["jfl"] / "信访统计报表（第三季度）.xls", t.petition_report(r, jfl, YEAR, 3, {"title"}).content, "xls"),
        (f["dmh"] / "工作总结.docx", d.work_summary(r, dmh, YEAR, set()).content, "docx"),
        (f["dmh"] / "家长学校活动记录.docx", t.parent_school_record(r, dmh, YEAR, {"header"}).content, "docx"),
        (f["dmh"] / "两规统计表.csv", t.two_plans_table(r, dmh, YEAR, {"title"}, layout="years").content, "csv-gbk"),
        (inbox / "甸柳街道妇联2013年工作总结（扫描件）.pdf",
         d.work_summary(r, dl, YEAR, ALL_PLACES, styles=("arabic",)).content, "scan"),
        (inbox / "燕山街道妇联单亲特困母亲家庭台账.xls", t.single_mother_register(r, ys, YEAR, {"title"}).content, "xls"),
        (inbox / "2013年度工作总结.docx", d.work_summary(r, wd, YEAR, {"signature"}).content, "docx"),
        (f["zy"] / "11月工作动态.docx", d.info_report(r, zy, YEAR, 11, ALL_PLACES).content, "docx"),
        (f["jx"] / "家长学校活动记录.csv", t.parent_school_record(r, jx, YEAR, {"header"}).content, "csv-bom"),
        (inbox / "龙洞街道妇联剪报.jpg", d.news_clipping(r, ld, YEAR, 6).content, "jpg"),
        (f["fr"] / "芙蓉街社区妇联2013年工作总结.doc", d.work_summary(r, fr, YEAR, ALL_PLACES).content, "doc"),
        (inbox / "新建 Microsoft Word 文档.docx", _unknown_unit_doc(), "docx"),
        (f["qfs"] / "两规监测表2012-2013.docx",
         t.sheet_as_doc(t.two_plans_table(r, qfs, YEAR, {"title"}, layout="merged").content), "docx"),
    ]


def _correction(folder: Path) -> tuple[Path, Path]:
    """An annual summary and its corrected resubmission with one number changed."""
    rng_seed, qfs = 77, d.street_author("qianfoshan")
    values = d.pick_values(random.Random(rng_seed), small=False, share=1.0)
    original = d.work_summary(random.Random(rng_seed), qfs, YEAR, ALL_PLACES, values=dict(values))
    values["dev.women_trained"] = float(values["dev.women_trained"]) + 12
    revised = d.work_summary(random.Random(rng_seed), qfs, YEAR, ALL_PLACES, values=values)
    r = Renderer()
    first = r.write(folder / "千佛山街道妇联2013年工作总结.docx", original.content, "docx")
    second = r.write(folder / "千佛山街道妇联2013年工作总结（修订版）.docx", revised.content, "docx")
    return first, second


def demo_roles(inbox: Path) -> dict[str, Path]:
    """The special files of a demo inbox by role (see ROLES)."""
    return {role: inbox / rel for role, rel in ROLES.items()}


def write_demo_inbox(inbox: Path) -> list[Path]:
    """Fill `inbox` with the demo files (≈22) and return their paths, in a fixed order."""
    inbox.mkdir(parents=True, exist_ok=True)
    renderer = Renderer()
    paths = [renderer.write(path, content, kind) for path, content, kind in _plan(inbox)]  # type: ignore[arg-type]
    renderer.flush()
    paths.extend(_correction(inbox / "千佛山街道妇联"))
    duplicate = inbox / "待整理" / "泉城路总结(1).docx"
    duplicate.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(paths[0], duplicate)
    paths.append(duplicate)
    paths.append(bad.write_corrupt_pdf(inbox / "东关街道妇联" / "东关街道妇联2013年工作总结.pdf"))
    paths.append(bad.write_encrypted_pdf(inbox / "姚家街道妇联" / "信访维权统计报表.pdf",
                                         t.sheet_as_doc(t.petition_report(
                                             random.Random(9), d.street_author("yaojia"), YEAR, 4,
                                             {"title"}).content)))
    return paths
