"""A fixture year through the whole pipeline: completeness statuses, indicators, quality findings.

Units miss months, send too few, send late, resubmit a corrected summary and send a duplicate;
each outcome is asserted exactly, from what `fulian` prints as JSON.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from fulian.samples.office import write_docx, write_xlsx
from fulian.samples.spec import DocSpec, SheetSpec, TableSpec
from tests.conftest import run_cli

pytestmark = [pytest.mark.xdist_group("prefect"), pytest.mark.slow]
CST = timezone(timedelta(hours=8))


def stamp(path: Path, when: datetime) -> Path:
    ts = when.replace(tzinfo=CST).timestamp()
    os.utime(path, (ts, ts))
    return path


def info(folder: Path, street: str, month: int, n: int, when: datetime) -> Path:
    spec = DocSpec(title=f"{street}街道妇联2013年{month}月工作信息（第{n}期）",
                   body=[f"{month}月{n + 3}日，{street}街道妇联组织辖区妇女开展“巾帼志愿服务”活动，"
                         f"参加妇女{20 + n}人。"],
                   signature=[f"{street}街道妇联", f"2013年{month}月{n + 5}日"])
    return stamp(write_docx(folder / f"{month}月信息{n}.docx", spec), when)


def summary(folder: Path, name: str, trained: int, when: datetime) -> Path:
    spec = DocSpec(title="解放路街道妇联2013年工作总结",
                   body=["按照每年培训妇女300人以上的要求，我街道积极开展技能培训。",
                         f"全年开展培训12期，共培训妇女{trained}人，比去年的280人有所增加。",
                         "受理来信来访45件，办结44件。明年计划培训400人。"],
                   signature=["解放路街道妇女联合会", "2014年1月6日"])
    return stamp(write_docx(folder / name, spec), when)


def two_plans(folder: Path, when: datetime) -> Path:
    header = [["指标名称", "计量单位", "2013年", "2012年"]]
    rows = [["城镇单位从业人员数", "人", 5200, 5100], ["城镇单位女性从业人员数", "人", 5600, 2400],
            ["婴儿死亡率", "‰", 3.1, 3.3], ["出生人口性别比", "女=100", 108.2, 107.5]]
    sheet = SheetSpec(name="监测表", title="解放路街道2013年妇女儿童发展规划统计监测表",
                      notes_before=["填报单位：解放路街道妇联"], table=TableSpec(header=header, rows=rows))
    return stamp(write_xlsx(folder / "两规监测表.xlsx", sheet), when)


@pytest.fixture
def year_env(prefect_api: str, tmp_path: Path) -> dict:
    home = tmp_path / "home"
    return {"FULIAN_HOME": str(home), "FULIAN_DATABASE_URL": f"sqlite:///{home / 'fulian.db'}",
            "PREFECT_API_URL": prefect_api, "FULIAN_WORKERS": "2"}


def test_fixture_year(year_env: dict, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    jfl = drop / "解放路街道妇联"
    jfl.mkdir(parents=True)
    info(jfl, "解放路", 1, 1, datetime(2013, 1, 20))
    jan2 = info(jfl, "解放路", 1, 2, datetime(2013, 2, 5, 23, 0))  # last hour of the deadline day
    (drop / "重复").mkdir()
    (drop / "重复" / "copy.docx").write_bytes(jan2.read_bytes())
    stamp(drop / "重复" / "copy.docx", datetime(2013, 2, 7))
    info(jfl, "解放路", 2, 1, datetime(2013, 2, 25))  # February: one of two → short
    info(jfl, "解放路", 4, 1, datetime(2013, 4, 20))  # April: two, one after May 5 → late
    info(jfl, "解放路", 4, 2, datetime(2013, 5, 20))
    summary(jfl, "2013年工作总结.docx", 300, datetime(2014, 1, 6))
    summary(jfl, "2013年工作总结（修订版）.docx", 326, datetime(2014, 1, 8))
    two_plans(jfl, datetime(2014, 1, 20))

    run_cli("ingest", str(drop), env=year_env)
    subs = {r["source_path"]: r for r in json.loads(
        run_cli("submissions", "--format", "json", env=year_env).stdout)}
    assert subs["重复/copy.docx"]["status"] == "duplicate"
    assert subs["解放路街道妇联/2013年工作总结.docx"]["status"] == "superseded"
    assert subs["解放路街道妇联/2013年工作总结（修订版）.docx"]["status"] == "accepted"

    cells = json.loads(run_cli("completeness", "--year", "2013", "--unit", "解放路", "--format", "json",
                               env=year_env).stdout)
    status = {(c["doc_type"], c["period"]): (c["count"], c["on_time"], c["status"]) for c in cells}
    assert status[("info_report", "2013-01")] == (2, 2, "ok")
    assert status[("info_report", "2013-02")] == (1, 1, "short")
    assert status[("info_report", "2013-03")] == (0, 0, "missing")
    assert status[("info_report", "2013-04")] == (2, 1, "late")
    assert status[("work_summary", "2013")] == (1, 1, "ok")
    assert status[("two_plans_statistics", "2013")] == (1, 1, "ok")
    assert all(c["unit"] == "解放路街道妇联" for c in cells)

    values = json.loads(run_cli("indicators", "--year", "2013", "--unit", "解放路", "--format", "json",
                                env=year_env).stdout)
    trained = [v for v in values if v["code"] == "dev.women_trained"]
    assert [v["value"] for v in trained] == [326]  # the corrected summary's, not 300/280/400
    assert trained[0]["source_path"].endswith("（修订版）.docx") and "326" in trained[0]["evidence"]
    by_code = {(v["code"], v["period"]): v["value"] for v in values}
    assert by_code[("rights.cases_received", "2013")] == 45
    assert by_code[("rights.cases_closed", "2013")] == 44
    assert by_code[("cp.infant_mortality", "2013")] == 3.1
    earlier = json.loads(run_cli("indicators", "--year", "2012", "--format", "json", env=year_env).stdout)
    assert {(v["code"], v["period"], v["value"]) for v in earlier} >= {("cp.infant_mortality", "2012", 3.3)}

    findings = json.loads(run_cli("quality", "--year", "2013", "--format", "json", env=year_env).stdout)
    part = [f for f in findings if f["kind"] == "part_exceeds_whole"]
    assert [(f["indicator"], f["year"]) for f in part] == [("wp.urban_female_employees", 2013)]
    assert part[0]["source_path"].endswith("两规监测表.xlsx") and part[0]["location"]
