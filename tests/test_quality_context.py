"""The offline report shows each finding amid its neighbourhood (issue 12).

A real .xlsx monitoring table (tests/realtables' 泉城路 with its defects planted by hand, laid
out with merged headers and a 备注 column) and a real .docx summary go through extraction, the
archive and the quality flow's own function; the HTML it writes is read back.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from openpyxl import Workbook, load_workbook

from archive.store import Archive
from flows.analysis import quality_for_year
from tests.test_archive import archive, ingest  # noqa: F401  (fixture)
from tests.test_quality_stated_rates import item, summary

PLANTED = Path(__file__).parent / "realtables" / "planted" / "quanchenglu_2023.csv"
NOTE = "<b>据卫健委</b> & 快报"  # written by a unit: must arrive escaped, never as markup


def monitoring_table() -> bytes:
    rows = list(csv.reader(PLANTED.open(encoding="utf-8")))
    wb = Workbook()
    ws = wb.active
    ws.title = "监测表"
    ws.append([rows[0][0]])
    ws.merge_cells("A1:E1")
    ws.append(["指标", "单位", "备注", "2023年", ""])
    ws.merge_cells("D2:E2")
    ws.append(["", "", "", "本期", "上年同期"])
    for label, measure, now, before in (r[:4] for r in rows[3:]):
        cells = [float(v) if re.fullmatch(r"-?\d+(\.\d+)?", v) else v for v in (now, before)]
        ws.append([label, measure, NOTE if label == "婴儿死亡率" else "", *cells])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_report_shows_the_cell_amid_its_neighbours(archive: Archive) -> None:  # noqa: F811
    ingest(archive, [item(monitoring_table(), "泉城路2023两规监测表.xlsx"),
                     item(summary("全年举办家政培训班5期，培训妇女230人，实现就业196人，就业率达95%。"),
                          "泉城路2023工作总结.docx")])
    outcome = quality_for_year(archive, 2023, force=True)
    scale = next(f for f in outcome.findings if f["kind"] == "wrong_unit_scale")
    assert scale["location"] == "监测表!D9"
    ctx = scale["context"]
    assert (ctx["label"], ctx["cell"], ctx["above"], ctx["below"], ctx["right"], ctx["left"]) == (
        "婴儿死亡率", "0.252", "5", "3.52", "2.44", NOTE), ctx
    assert "本期" in ctx["header"]

    html = Path(outcome.html).read_text(encoding="utf-8")
    assert "<b>据卫健委" not in html and "&lt;b&gt;据卫健委&lt;/b&gt; &amp; 快报" in html
    grid = re.search(r'行：婴儿死亡率　列：[^<]*本期</div><table class="ctx">(.*?)</table>', html)
    assert grid, "the 婴儿死亡率 finding has no neighbourhood grid"
    assert re.search(r"<td>5</td>.*<td>&lt;b&gt;.*<td class=\"here\">0\.252</td><td>2\.44</td>"
                     r".*<td>3\.52</td>", grid.group(1))
    # the rate stated against its counts: the sentence, the rate marked
    assert "全年举办家政培训班5期，培训妇女230人，实现就业196人，就业率达<mark>95</mark>%。" in html
    # offline and inert: nothing loaded, nothing run, and a policy saying so
    assert not re.search(r"<script|(src|href)\s*=|https?://|@import|url\(", html)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html

    sheet = load_workbook(outcome.xlsx).active
    header = [c.value for c in sheet[1]]
    col = header.index("上下文")
    texts = [row[col] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any(t and t.startswith("行：婴儿死亡率；列：") and "上：5；下：3.52" in t for t in texts), texts
