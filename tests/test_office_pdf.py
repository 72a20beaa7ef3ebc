"""A Word file saved as PDF by an office suite (CID fonts, header, signature), as units send them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from extract.pipeline import extract_document
from schemas.extraction import Hints

pytestmark = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")

BODY = [
    "2013年，在区妇联的正确领导下，燕山街道妇联紧紧围绕街道党工委中心工作，扎实开展各项工作。",
    "一是加强组织建设。辖区18个社区全部建立妇联组织，建立率达100%，在两新组织中新建妇女组织4个。",
    "二是促进妇女就业创业。举办妇女专场招聘会2场，提供就业岗位300余个；开展家政、电商等技能培训8期，"
    "培训妇女436人，比上年增加56人；帮助71名妇女实现就业；扶持9名妇女创业。",
    "三是维护妇女儿童合法权益。全年受理妇女来信来访来电38件，办结37件，处结率97.4%。",
    "2014年，我们计划培训妇女500人，力争帮助80名妇女就业。",
    "燕山街道妇女联合会", "2013年12月30日",
]


def test_office_pdf_summary(tmp_path: Path) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "历下区燕山街道妇联"
    document.add_paragraph("燕山街道妇联2013年工作总结").style = "Title"
    for text in BODY:
        document.add_paragraph(text)
    document.save(tmp_path / "总结.docx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "总结.docx")],
                   check=True, capture_output=True, timeout=180)
    ext = extract_document((tmp_path / "总结.pdf").read_bytes(), Hints(name="总结.pdf"), "0" * 64)
    assert (ext.detected_type, ext.unit, ext.period, ext.doc_type) == ("pdf", "yanshan", "2013", "work_summary")
    values = {v.code: v.value for v in ext.indicators}
    assert values["dev.women_trained"] == 436 and values["dev.women_employed"] == 71
    assert values["rights.cases_closed"] == 37 and values["rights.case_closure_rate"] == 97.4
    assert values["org.two_new_women_orgs_new"] == 4
