"""The OCR engine: offline models from the wheel, Tesseract fallback, pool sizing, confidence."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from extract.document import Block, ReadResult
from extract.ocr_confidence import value_score
from extract.pipeline import extract_read
from extract.readers import ocr_engine
from extract.readers.ocr import read_image
from extract.readers.ocr_engine import WORKER_MEMORY, engine_params, model_dir, ocr_workers
from extract.readers.ocr_layout import normalise_line
from fulian.samples.layout import FONT_PATH
from schemas.extraction import Hints

ROOT = Path(__file__).resolve().parents[1]


def _line_png(text: str) -> bytes:
    img = Image.new("L", (1100, 160), 255)
    ImageDraw.Draw(img).text((40, 50), text, font=ImageFont.truetype(FONT_PATH, 44, index=0),
                             fill=0)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def test_engine_uses_the_wheels_models_without_the_angle_classifier() -> None:
    params = engine_params(2000, 1280, "cpu")
    assert params["Global.use_cls"] is False
    assert Path(params["Det.model_path"]).parent == model_dir() == \
        Path(params["Rec.model_path"]).parent
    assert Path(params["Det.model_path"]).name == "PP-OCRv6_det_small.onnx"
    assert Path(params["Rec.model_path"]).name == "PP-OCRv6_rec_small.onnx"
    assert params["EngineConfig.onnxruntime.intra_op_num_threads"] == 1
    assert params["EngineConfig.onnxruntime.inter_op_num_threads"] == 1
    assert not any(k.endswith(("use_cuda", "use_dml")) for k in engine_params(2000, 1280, "cpu"))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare(1)")
def test_an_image_is_read_with_no_network_at_all(tmp_path: Path) -> None:
    """In a network namespace with no interface: any download would fail the read."""
    (tmp_path / "line.png").write_bytes(_line_png("共培训妇女1326人，合格率98.5%"))
    script = ("import sys; from extract.readers.ocr import read_image;"
              "from extract.readers.ocr_engine import active_engine;"
              "r = read_image(open(sys.argv[1], 'rb').read());"
              "print(active_engine(), r.warnings, r.text)")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode:
        pytest.skip("no permission for a network namespace here")
    out = subprocess.run(["unshare", "-n", sys.executable, "-c", script, str(tmp_path / "line.png")],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "rapidocr [] 共培训妇女1326人，合格率98.5%"


@pytest.mark.slow
def test_tesseract_reads_when_the_engine_cannot_load(monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(ocr_engine, "DET_MODEL", "missing_det.onnx")
    ocr_engine.reset()
    try:
        with caplog.at_level(logging.WARNING, logger="extract.readers.ocr_engine"):
            result = read_image(_line_png("培训妇女326人"))
        assert "rapidocr cannot load" in caplog.text and "Tesseract" in caplog.text
        assert result.warnings == ["ocr_fallback_tesseract"]
        assert result.text == "培训妇女326人"
    finally:
        monkeypatch.undo()
        ocr_engine.reset()


@pytest.mark.slow
def test_tesseract_by_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FULIAN_OCR_ENGINE", "tesseract")
    ocr_engine.reset()
    try:
        assert ocr_engine.active_engine() == "tesseract"
        result = read_image(_line_png("培训妇女326人"))
        assert result.text == "培训妇女326人" and result.warnings == []  # asked for: no warning
    finally:
        monkeypatch.undo()
        ocr_engine.reset()


def test_workers_are_sized_by_the_memory_an_engine_needs() -> None:
    assert ocr_workers(8 * WORKER_MEMORY, cpus=2) == 2
    assert ocr_workers(int(2.5 * WORKER_MEMORY), cpus=4) == 2
    assert ocr_workers(WORKER_MEMORY // 2, cpus=4) == 1  # always one, however tight
    assert ocr_engine.available_memory() > 0


def test_ocr_text_normalisation() -> None:
    assert normalise_line("填 报 单 位 : 泉 城 路 街 道 妇 联") == "填报单位：泉城路街道妇联"
    assert normalise_line("培 训 妇 女 326 人") == "培训妇女326人"
    assert normalise_line("at 12:30 pm (est)") == "at 12:30 pm (est)"
    assert normalise_line("案件处结率(%)") == "案件处结率（%）"
    assert normalise_line("建新街道二一三年工作总结") == "建新街道二〇一三年工作总结"


def test_a_doubtful_digit_lowers_the_values_confidence() -> None:
    line = "2013年，建新街道妇联共培训妇女520人，举办招聘会3场。"
    scores = [1.0] * len(line)
    scores[line.index("520") + 1] = 0.41  # the 2 of 520 barely recognised
    chars = list(zip(line, scores, strict=True))
    assert value_score(chars, 520) == 0.41 and value_score(chars, 3) == 1.0
    assert value_score(chars, 1234) == 0.41  # no such number: the weakest numeral counts

    where = "第1页第2行@100,80,900,95"
    result = ReadResult(kind="pdf_scanned", ocr=True, pages=1,
                        blocks=[Block("建新街道妇联2013年工作总结", "第1页第1行@300,40,700,60",
                                      page=1), Block(line, where, page=1)],
                        ocr_scores={where: chars})
    ext = extract_read(result, Hints(name="总结.pdf"), "0" * 64)
    found = {v.code: v for v in ext.indicators}
    assert found["dev.women_trained"].value == 520
    assert found["dev.women_trained"].evidence.confidence <= 0.41
    assert found["dev.job_fairs"].evidence.confidence > 0.9
    assert found["dev.women_trained"].evidence.location == where
