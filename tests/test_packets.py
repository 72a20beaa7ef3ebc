# ruff: noqa: F811  (module fixtures imported from tests.packet_year are parameters here)
"""Annual review packets from a fixture year archived through the real pipeline.

Scores are computed by hand from tests/packet_year.py and schemas/scorecard.yaml:
解放路 (street, 2013, as of 2014-02-28):
  info reports  8 − 0.5 × 5 missing items (Feb 1, Nov 2, Dec 2) − 0.25 × 1 late (Apr)   = 5.25
  招聘会 2 场 (target 1–2)                                                               = 4
  培训 326 人 ≥ 300 (the corrected summary; the first said 300)                           = 6
  安置就业 40 / 50 × 5                                                                    = 4
  处结率 44/45 = 97.78% / 98 × 6                                                          = 5.99
  家庭教育实践活动 3 / 4 × 6                                                              = 4.5
  两规统计监测表 on time                                                                  = 5
  两规数据质量: 1 error (part exceeds whole; absent rows are 未报 warnings) 5 − 1     = 4
  工作总结: yearly ok, H1 missing: 5 − 2.5                                                = 2.5
  petition reports, registers, parent-school records: none sent                          = 0
  total                                                                                   41.24
文东: 招聘会 1 场 4 + 培训 350 人 6 + 就业 60 人 5 + 创业 6 人 5 + 工作总结 2.5 = 22.5.
解放路's 自评表 claims 8 for information (区评 5.25: flagged, margin 1), 6 for training (equal),
4 for provincial news (区评 无资料: flagged).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from archive.queries_data import indicator_rows
from archive.store import Archive
from flows.packet_inputs import year_inputs
from flows.packets import Options, build_packets
from packets.scoring import score_unit
from schemas.scorecard import ScorecardError, load_scorecard
from tests.conftest import run_cli
from tests.packet_year import AS_OF, year_archive, year_env  # noqa: F401 (fixtures)

SEED = Path(__file__).resolve().parents[1] / "docs" / "sources" / "lixia-fulian-2013-12.txt"


pytestmark = pytest.mark.xdist_group("packets")


def _payload(built, suffix: str) -> Path:  # noqa: ANN001
    return next((built.files[0] / "data").glob(f"*{suffix}"))


def _scorecard(path: Path) -> dict[str, dict]:
    ws = openpyxl.load_workbook(path)["考评表"]
    header = [c.value for c in ws[1]]
    return {row[0] if row[0] == "合计" else row[1]: dict(zip(header, row, strict=True))
            for row in ws.iter_rows(min_row=2, values_only=True)}


def test_scores_evidence_and_no_data(year_archive: Archive, tmp_path: Path) -> None:
    built = {b.scope: b for b in build_packets(year_archive, 2013, Options(tmp_path / "out"), as_of=AS_OF)}
    assert not [b for b in built.values() if b.error]
    assert (built["jiefanglu"].total, built["wendong"].total) == (41.24, 22.5)
    xlsx = _payload(built["jiefanglu"], ".xlsx")
    rows = _scorecard(xlsx)
    scores = {k: r["区评"] for k, r in rows.items()}
    assert scores["每月上报信息不少于2条"] == 5.25
    assert scores["培训妇女300人以上"] == 6 and rows["培训妇女300人以上"]["数值"] == 326
    assert scores["安置就业50人以上"] == 4
    assert scores["信访案件处结率达98%以上"] == 5.99
    assert scores["每年至少组织4次家庭教育实践活动"] == 4.5
    assert scores["两规统计数据质量（每个错误扣1分）"] == 4
    assert scores["按时报送全年及上半年工作总结"] == 2.5
    assert rows["合计"]["区评"] == 41.24 and rows["合计"]["分值"] == 100
    # No data is not zero: said as 无资料, with the document that was due.
    news = rows["省级新闻宣传报道不少于1篇"]
    assert news["区评"] == "无资料" and "工作总结" in news["说明"] and "修订版" in news["说明"]
    assert "2013年上半年" in rows["按时报送全年及上半年工作总结"]["说明"]
    # 自评 beside 区评: flagged beyond the margin, with the claim's own evidence
    info = rows["每月上报信息不少于2条"]
    assert info["自评"] == 8 and info["自评差异"] == "自评高于区评2.75分（允许差1分）"
    assert rows["培训妇女300人以上"]["自评"] == 6 and not rows["培训妇女300人以上"]["自评差异"]
    assert "区评无资料" in news["自评差异"]
    claim = [r for r in openpyxl.load_workbook(xlsx)["证据"].iter_rows(values_only=True)
             if r[1] == "每月上报信息不少于2条" and r[2] == "自评"]
    assert claim and claim[0][3].endswith("考评自评表.xlsx") and claim[0][5:7] == ("自评表!D4", "自评8分")
    # personal data: the ID and phone in 文东's summary appear masked, never in full
    text = _payload(built["wendong"], ".json").read_text(encoding="utf-8")
    assert "370102********1234" in text and "138****5678" in text
    assert "370102198503071234" not in text and "13812345678" not in text


def test_superseded_summary_not_counted_and_evidence_followable(year_archive: Archive,
                                                              tmp_path: Path) -> None:
    built = {b.scope: b for b in build_packets(year_archive, 2013, Options(tmp_path / "out"),
                                               unit="jiefanglu", as_of=AS_OF)}
    xlsx = _payload(built["jiefanglu"], ".xlsx")
    wb = openpyxl.load_workbook(xlsx)
    ref = _scorecard(xlsx)["培训妇女300人以上"]["证据"]
    assert re.fullmatch(r"证据表第\d+(–\d+)?项", ref)
    column = [c.value for c in wb["考评表"][1]].index("证据") + 1
    link = next(c for c in wb["考评表"].iter_rows(min_col=column, max_col=column) if c[0].value == ref)[0]
    link = link.hyperlink.location
    evidence = wb["证据"][link.split("!")[1]].row
    row = [c.value for c in wb["证据"][evidence]]
    assert row[1] == "培训妇女300人以上" and row[3].endswith("（修订版）.docx")
    assert "326" in row[6] and len(row[4]) == 64
    documents = {c.value for c in wb["证据"]["D"]}
    assert "解放路街道妇联/2013年工作总结.docx" not in documents  # the superseded first version
    index = {r[1]: r for r in wb["文件目录"].iter_rows(min_row=2, values_only=True)}
    first = index["解放路街道妇联/2013年工作总结.docx"]
    assert first[2] == "已被替代（不计）" and first[8] == "解放路街道妇联/2013年工作总结（修订版）.docx"
    assert len(index) == 23 and {r[9] for r in index.values()} == {"一致"}
    assert all(len(r[6]) == 64 and len(r[7]) == 64 for r in index.values())  # SHA-256 and SM3
    actions = {r[3] for r in wb["审计记录"].iter_rows(min_row=2, values_only=True)}
    assert {"submission.recorded", "submission.superseded"} <= actions
    ws = wb["考评表"]
    assert ws.freeze_panes == "A2" and int(ws.page_setup.paperSize) == 9  # A4
    assert isinstance(ws["E9"].value, int | float)  # scores are numbers, not text


def test_review_and_confidence_make_values_unverified(year_archive: Archive) -> None:
    card = load_scorecard()
    inputs = year_inputs(year_archive, 2013, AS_OF).by_unit["jiefanglu"]
    by_code = {r["code"]: r for r in inputs.values}
    by_code["dev.women_trained"]["review"] = "pending"
    by_code["dev.women_employed"]["confidence"] = 0.6
    by_code["dev.job_fairs"]["review"] = "rejected"
    by_code["child.family_education_activities"].update(
        review="corrected", original_value=3, value=4, corrected_by="王芳", correction_reason="漏计一次")
    lines = {line.key: line for line in score_unit(card, inputs, 2013).lines}
    trained = lines["indicator:dev.women_trained"]
    assert (trained.status, trained.score) == ("unverified", None) and "审核" in trained.note
    assert lines["indicator:dev.women_employed"].status == "unverified"
    assert "0.60" in lines["indicator:dev.women_employed"].note
    fairs = lines["indicator:dev.job_fairs"]
    assert fairs.status == "no_data" and "驳回" in fairs.note
    family = lines["indicator:child.family_education_activities"]
    assert family.score == 6 and "原值3" in family.note and "王芳" in family.note


def test_district_ranking_and_deterministic_bytes(year_archive: Archive, tmp_path: Path) -> None:
    first = build_packets(year_archive, 2013, Options(tmp_path / "a"), as_of=AS_OF)
    second = build_packets(year_archive, 2013, Options(tmp_path / "b"), as_of=AS_OF)
    for x, y in zip(first, second, strict=True):
        assert x.files[1].read_bytes() == y.files[1].read_bytes(), x.scope  # the ZIPs
        assert x.sha256 == y.sha256 and x.sha256 is not None
    district = next(b for b in first if b.scope == "district")
    data = json.loads(_payload(district, ".json").read_text())
    ranking = [r for r in data["sections"]["ranking"]["rows"] if r["level"] == "街道妇联"]
    assert [(r["rank"], r["code"], r["total"]) for r in ranking[:2]] == [(1, "jiefanglu", 41.24),
                                                                      (2, "wendong", 22.5)]
    assert ranking[0]["grade"] == "不合格" and len(ranking) == 13
    # ties (nothing sent: 0) are ordered by the documented rule, ending with the unit code
    zeros = [r["code"] for r in ranking if r["total"] == 0]
    assert zeros == sorted(zeros)


def test_cli_packet_for_one_unit(year_archive: Archive, year_env: dict, tmp_path: Path) -> None:
    out = tmp_path / "cli"
    proc = run_cli("packet", "--year", "2013", "--unit", "解放路", "--as-of", "2014-02-28",
                   "--out", str(out), "--format", "json", env=year_env)
    (row,) = json.loads(proc.stdout)
    assert (row["scope"], row["total"], row["grade"], row["error"]) == ("jiefanglu", 41.24, "不合格", None)
    assert all(Path(f).exists() for f in row["files"]) and len(row["sha256"]) == 64
    bad = run_cli("packet", "--year", "2013", "--unit", "历下区妇联", check=False, env=year_env)
    assert bad.returncode == 2 and "没有这一级的评分项目" in bad.stderr


def test_scorecard_lines_quote_the_seed_and_bad_files_list_every_problem(tmp_path: Path) -> None:
    seed = SEED.read_text(encoding="utf-8")
    card = load_scorecard()
    for level, lines in card.levels.items():
        for line in lines:
            for part in line.basis.split("……"):
                assert part in seed, (level, line.content, part)
    bad = tmp_path / "bad.yaml"
    bad.write_text("grades: [{name: 合格, min: 0}]\nlevels:\n  street:\n"
                   "    - {item: 组织建设, content: x, points: 60, from: {indicator: no.such}, method: proportional, basis: 某某}\n"
                   "    - {item: 组织建设, content: y, points: 30, from: {completeness: chunlei_register}, method: per_missing, basis: 某某}\n",
                   encoding="utf-8")
    with pytest.raises(ScorecardError) as err:
        load_scorecard(str(bad))
    problems = err.value.problems
    assert any("90, not 100" in p for p in problems)
    assert any("unknown indicator no.such" in p for p in problems)
    assert any("per_item" in p for p in problems)


def test_indicator_rows_contract_keys_default(year_archive: Archive) -> None:
    """Until the extraction helper adds review keys, rows without them count as reviewed ok."""
    rows = indicator_rows(year_archive, 2013, unit="jiefanglu")
    card = load_scorecard()
    inputs = year_inputs(year_archive, 2013, AS_OF).by_unit["jiefanglu"]
    assert len(inputs.values) == len(rows)
    sheet = score_unit(card, inputs, 2013)
    assert sheet.total == 41.24
