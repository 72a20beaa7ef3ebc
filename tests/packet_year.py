"""A year of realistic documents of 解放路 and 文东 streets, through the real reading,
extraction and archive (sniff → read → extract → record; no Prefect: the flows add only
batching around these same calls).

What is in it, and what the scorecard must make of it (see tests/test_packets.py):
- 解放路 sends a 2013 summary (培训妇女300人) and then a corrected one (修订版, 326人, 安置就业40人,
  受理45件办结44件, 专场招聘会2场, 家庭教育实践活动3次); only the corrected one counts;
- info reports for January to October, two each, February short, April late;
- a two-plans table where a part exceeds its whole (one error finding);
- no 春蕾女童登记表, no 信访报表: deductions; no provincial news in any document: 无资料;
- 文东 sends only a summary.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from archive.digests import bare, digest_both
from archive.intake import Received, record_batch, store_blobs
from archive.store import Archive
from connectors.base import receipt_key
from extract.pipeline import extract_document
from fulian.samples.office import write_docx, write_xlsx
from fulian.samples.spec import DocSpec, SheetSpec, TableSpec
from schemas.extraction import Hints
from schemas.settings import Settings

CST = timezone(timedelta(hours=8))


def _received(data: bytes, path: str, unit: str, at: datetime) -> Received:
    sha, sm3 = digest_both([data])
    when = at.replace(tzinfo=CST).astimezone(UTC).isoformat()
    name = path.rsplit("/", 1)[-1]
    ext = extract_document(data, Hints(name=name, source_path=path, claimed_unit=unit, received_at=when),
                           bare(sha))
    return Received(receipt=receipt_key(path, when, len(data)), source="cli", source_uri=f"file:///{path}",
                    source_path=path, original_name=name, received_at=when, size=len(data),
                    sha256=bare(sha), sm3=bare(sm3), data=data, kind=ext.detected_type,
                    claimed_unit=unit, extraction=ext)


def summary(street: str, body: list[str], date: str) -> DocSpec:
    return DocSpec(title=f"{street}街道妇联2013年工作总结", body=body,
                   signature=[f"{street}街道妇女联合会", date])


FIRST = ["按照每年培训妇女300人以上的要求，我街道积极开展技能培训。",
         "全年共培训妇女300人。"]
CORRECTED = ["按照每年培训妇女300人以上的要求，我街道积极开展技能培训。",
             "全年开展培训12期，共培训妇女326人，安置就业40人。",
             "举办妇女专场招聘会2场。",
             "受理来信来访45件，办结44件。",
             "家长学校全年组织家庭教育实践活动3次。"]
WENDONG = ["全年共培训妇女350人，安置就业60人。", "举办妇女专场招聘会1场。",
           "全年扶持妇女创业6人，创业带头人李红（身份证号370102198503071234，电话13812345678）。"]


def self_evaluation() -> SheetSpec:
    """解放路's 自评表: 8 for information (区评 5.25: flagged), 6 for training (equal),
    4 for provincial news (区评 无资料: flagged)."""
    header = [["项目", "考评内容", "分值", "自评", "区评", "考评方式说明"]]
    rows = [["宣传教育", "每月上报信息不少于2条", 8, 8, None, ""],
            ["妇女发展", "培训妇女300人以上", 6, 6, None, ""],
            ["宣传教育", "省级新闻宣传报道不少于1篇", 4, 4, None, ""]]
    return SheetSpec(name="自评表", title="解放路街道妇联2013年度基层妇联工作考评自评表",
                     notes_before=["填报单位：解放路街道妇联"], table=TableSpec(header=header, rows=rows))


def info(street: str, month: int, n: int) -> DocSpec:
    return DocSpec(title=f"{street}街道妇联2013年{month}月工作信息（第{n}期）",
                   body=[f"{month}月{n + 3}日，{street}街道妇联组织辖区妇女开展“巾帼志愿服务”活动，"
                         f"参加妇女{20 + n}人。"],
                   signature=[f"{street}街道妇联", f"2013年{month}月{n + 5}日"])


def two_plans_sheet() -> SheetSpec:
    header = [["指标名称", "计量单位", "2013年", "2012年"]]
    rows = [["城镇单位从业人员数", "人", 5200, 5100], ["城镇单位女性从业人员数", "人", 5600, 2400],
            ["婴儿死亡率", "‰", 3.1, 3.3]]
    return SheetSpec(name="监测表", title="解放路街道2013年妇女儿童发展规划统计监测表",
                     notes_before=["填报单位：解放路街道妇联"], table=TableSpec(header=header, rows=rows))


def documents(tmp) -> list[tuple[str, str, datetime, bytes]]:  # noqa: ANN001
    """(path, unit, received local time, bytes) of the fixture year."""
    out = []

    def add(path: str, unit: str, at: datetime, spec: DocSpec | SheetSpec) -> None:
        file = tmp / path.replace("/", "_")
        writer = write_xlsx if isinstance(spec, SheetSpec) else write_docx
        out.append((path, unit, at, writer(file, spec).read_bytes()))

    for month in range(1, 11):
        for n in (1, 2):
            if month == 2 and n == 2:
                continue  # February: one of two → short
            at = datetime(2013, month, 20) if not (month == 4 and n == 2) else datetime(2013, 5, 20)
            add(f"解放路街道妇联/{month}月信息{n}.docx", "jiefanglu", at, info("解放路", month, n))
    add("解放路街道妇联/2013年工作总结.docx", "jiefanglu", datetime(2014, 1, 6),
        summary("解放路", FIRST, "2014年1月6日"))
    add("解放路街道妇联/2013年工作总结（修订版）.docx", "jiefanglu", datetime(2014, 1, 8),
        summary("解放路", CORRECTED, "2014年1月8日"))
    add("解放路街道妇联/两规监测表.xlsx", "jiefanglu", datetime(2014, 1, 20), two_plans_sheet())
    add("解放路街道妇联/2013年度考评自评表.xlsx", "jiefanglu", datetime(2014, 1, 15), self_evaluation())
    add("文东街道妇联/2013年工作总结.docx", "wendong", datetime(2014, 1, 9),
        summary("文东", WENDONG, "2014年1月9日"))
    return out


def ingest_year(archive: Archive, tmp) -> dict[str, str]:  # noqa: ANN001
    """Archive the fixture year in order of arrival; the status of each path."""
    items = [_received(data, path, unit, at) for path, unit, at, data in
             sorted(documents(tmp), key=lambda d: d[2])]
    store_blobs(archive.blobs, items, sync=False)
    statuses = {}
    for item in items:  # one batch per arrival, as nights would bring them
        with archive.db.writer() as s:
            log = archive.audit(s)
            (outcome,) = record_batch(s, log, [item], "test")
            log.flush()
        statuses[item.source_path] = outcome.status
    return statuses


AS_OF = datetime(2014, 2, 28, 23, 59, 59, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="module")
def year_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("packets-home")
    return {"FULIAN_HOME": str(home), "FULIAN_DATABASE_URL": f"sqlite:///{home / 'fulian.db'}",
            "FULIAN_ACTOR": "统计员小李"}


@pytest.fixture(scope="module")
def year_archive(year_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """One archived fixture year per test module: tests read it and build packets from it."""
    with pytest.MonkeyPatch.context() as mp:
        for k, v in year_env.items():
            mp.setenv(k, v)
        archive = Archive(Settings())
        ingest_year(archive, tmp_path_factory.mktemp("packet-docs"))
        yield archive
        archive.close()
