"""OCR engines behind one call: `recognise(image) -> list[OcrBox]`.

The default engine is PP-OCRv6 (small detection and recognition models) run by rapidocr on
onnxruntime, with the model files that ship inside the rapidocr wheel: the paths are given
explicitly, so rapidocr never reaches its download code. The angle classifier stays off
(`use_cls=False`): it flips correct lines and loses them; whole pages turned 90°/180° are
handled at page level (extract/readers/ocr.py).

One engine per process, loaded on first use and reused for every page after; onnxruntime
runs one thread per process (parallelism comes from worker processes, as for Tesseract).
When rapidocr cannot load (missing package, broken model), the reason is logged once and
Tesseract reads the pages instead; `FULIAN_OCR_ENGINE=tesseract` asks for Tesseract always.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

log = logging.getLogger(__name__)

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
# Resident memory of one worker process with the engine loaded and a page in flight
# (measured by bench/ocr.py: models, onnxruntime arenas, page buffers, the parsers).
WORKER_MEMORY = 1_100 * 1024 * 1024
GPU_PROVIDERS = {"CUDAExecutionProvider": "use_cuda", "DmlExecutionProvider": "use_dml",
                 "CANNExecutionProvider": "use_cann", "CoreMLExecutionProvider": "use_coreml"}


@dataclass
class OcrBox:
    """One recognised piece of text: a line (rapidocr) or a word (Tesseract).

    `quad` is four (x, y) corners clockwise from top-left in image pixels; `chars` holds
    (text, score, quad) per character when the engine gives them, aligned with `text`.
    """

    text: str
    score: float  # 0..1
    quad: list[tuple[float, float]]
    chars: list[tuple[str, float, list[tuple[float, float]]]] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        xs, ys = [p[0] for p in self.quad], [p[1] for p in self.quad]
        return min(xs), min(ys), max(xs), max(ys)


@dataclass(frozen=True)
class OcrOptions:
    engine: str = "rapidocr"  # rapidocr | tesseract
    max_side: int = 2000  # longest side of a page image, pixels (recognition crops come from it)
    det_side: int = 1280  # longest side the text detector works on, pixels
    device: str = "auto"  # auto: a GPU execution provider when onnxruntime offers one | cpu
    max_pages: int = 200  # pages of one file OCR reads at most (0: no cap)


def options() -> OcrOptions:
    """OCR settings of this process (FULIAN_OCR_* or fulian.toml), read once."""
    return _options()


@lru_cache(maxsize=1)
def _options() -> OcrOptions:
    from schemas.settings import Settings

    s = Settings()
    return OcrOptions(engine=s.ocr_engine, max_side=s.ocr_max_side, det_side=s.ocr_det_side,
                      device=s.ocr_device, max_pages=s.ocr_max_pages)


def reset() -> None:
    """Forget the settings and the loaded engine (tests, a changed configuration)."""
    _options.cache_clear()
    _rapid_engine.cache_clear()


def active_engine(opts: OcrOptions | None = None) -> str:
    """The engine pages are read with here: "rapidocr", or "tesseract" by setting or fallback."""
    opts = opts or options()
    if opts.engine == "rapidocr" and _rapid_engine(opts.max_side, opts.det_side,
                                                   opts.device) is not None:
        return "rapidocr"
    return "tesseract"


def recognise(image: Image.Image, opts: OcrOptions | None = None) -> list[OcrBox]:
    """Text boxes of one page image, by the active engine."""
    opts = opts or options()
    if active_engine(opts) == "rapidocr":
        return _rapid_read(_rapid_engine(opts.max_side, opts.det_side, opts.device), image)
    from extract.readers.ocr_tesseract import tesseract_boxes

    return tesseract_boxes(image)


def model_dir() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).parent / "models"


def _providers_params(device: str) -> dict[str, bool]:
    """rapidocr switches for the first GPU execution provider onnxruntime offers."""
    if device == "cpu":
        return {}
    import onnxruntime

    available = onnxruntime.get_available_providers()
    for provider, switch in GPU_PROVIDERS.items():
        if provider in available:
            log.info("OCR runs on %s", provider)
            return {f"EngineConfig.onnxruntime.{switch}": True}
    return {}


def engine_params(max_side: int, det_side: int, device: str) -> dict:
    models = model_dir()
    return {
        "Global.use_cls": False,
        "Global.log_level": "error",
        "Global.max_side_len": max_side,
        # the detector sees the page at most det_side long (its time grows with pixels);
        # the recogniser still reads each line cut from the max_side image
        "Det.limit_type": "max",
        "Det.limit_side_len": det_side,
        "Global.return_word_box": True,
        "Global.model_root_dir": str(models),
        "Det.model_path": str(models / DET_MODEL),
        "Rec.model_path": str(models / REC_MODEL),
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        **_providers_params(device),
    }


@lru_cache(maxsize=1)
def _rapid_engine(max_side: int, det_side: int, device: str):  # noqa: ANN202 - RapidOCR or None
    try:
        import cv2
        from rapidocr import RapidOCR

        cv2.setNumThreads(1)  # OpenCV's own pool would fight the other workers for the cores
        for name in (DET_MODEL, REC_MODEL):
            if not (model_dir() / name).is_file():
                raise FileNotFoundError(f"{name} is not in the rapidocr package")
        engine = RapidOCR(params=engine_params(max_side, det_side, device))
        engine(np.full((64, 256, 3), 255, np.uint8))  # load both sessions now, not mid-page
        return engine
    except Exception as exc:  # noqa: BLE001 - any failure to load means: read with Tesseract
        log.warning("rapidocr cannot load (%s: %s); OCR falls back to Tesseract",
                    type(exc).__name__, exc)
        return None


def _rapid_read(engine, image: Image.Image) -> list[OcrBox]:  # noqa: ANN001
    out = engine(np.asarray(image.convert("RGB")))
    if getattr(out, "boxes", None) is None or out.txts is None:
        return []
    words = list(out.word_results) if out.word_results else []
    boxes = []
    for i, (quad, text, score) in enumerate(zip(out.boxes, out.txts, out.scores, strict=True)):
        chars = _chars(text, words[i] if i < len(words) else ())
        boxes.append(OcrBox(text=text, score=float(score),
                            quad=[(float(x), float(y)) for x, y in quad], chars=chars))
    return boxes


def _chars(text: str, words) -> list:  # noqa: ANN001
    """Per-character (text, score, quad) aligned with `text` (its spaces included), or []
    when the word results do not spell it."""
    chars = []
    for item in words:
        piece, score, quad = item[0], float(item[1]), item[2]
        if quad is None:
            return []
        quad = [(float(x), float(y)) for x, y in quad]
        chars.extend((ch, score, quad) for ch in piece if not ch.isspace())
    if "".join(c[0] for c in chars) != "".join(text.split()):
        return []
    out, k = [], 0
    for ch in text:
        if ch.isspace():
            if out:  # a space sits where the character before it ends
                out.append((" ", out[-1][1], out[-1][2]))
            continue
        out.append(chars[k])
        k += 1
    return out


def available_memory() -> int:
    """Bytes of memory the system can give without swapping (MemAvailable)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def ocr_workers(available_bytes: int, cpus: int | None = None) -> int:
    """Worker processes that fit: one per core, but no more than memory holds engines for."""
    cpus = cpus or os.cpu_count() or 1
    return max(1, min(cpus, available_bytes // WORKER_MEMORY))
