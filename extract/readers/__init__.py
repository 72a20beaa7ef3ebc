"""One small interface over every format: `read(data, kind)` with `kind` from `sniff`.

Formats our libraries cannot parse directly (doc, rtf, odt, Office 2003 XML, and xls/ods
that calamine rejects) go through LibreOffice to docx/xlsx first. `read_many` converts
all such files of a batch in one soffice call, which is where the time goes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from extract.document import ReadResult
from extract.legacy import convert_many
from extract.readers.docx_reader import read_docx
from extract.readers.html_reader import read_html
from extract.readers.ocr import read_image
from extract.readers.ofd_reader import read_ofd
from extract.readers.pdf_reader import read_pdf
from extract.readers.sheet_reader import read_sheets
from extract.readers.text_reader import read_csv, read_txt
from schemas.extraction import ExtractError

log = logging.getLogger(__name__)

# Kinds read after conversion: kind -> (extension LibreOffice is given, target format).
CONVERTED: dict[str, tuple[str, str]] = {
    "doc": ("doc", "docx"),
    "rtf": ("rtf", "docx"),
    "odt": ("odt", "docx"),
    "wordml": ("xml", "docx"),
    "spreadsheetml": ("xml", "xlsx"),
}
# Kinds read directly, falling back to conversion when the direct reader fails.
FALLBACK: dict[str, tuple[str, str]] = {"xls": ("xls", "xlsx"), "ods": ("ods", "xlsx")}

READERS: dict[str, Callable[[bytes], ReadResult]] = {
    "docx": read_docx,
    "xlsx": lambda data: read_sheets(data, "xlsx"),
    "xls": lambda data: read_sheets(data, "xls"),
    "ods": lambda data: read_sheets(data, "ods"),
    "pdf": read_pdf,
    "image": read_image,
    "csv": read_csv,
    "txt": read_txt,
    "html": read_html,
    "ofd": read_ofd,
}
SUPPORTED_KINDS = tuple(READERS) + tuple(CONVERTED)


def read(data: bytes, kind: str, *, convert_timeout: float = 60.0) -> ReadResult:
    """Read bytes of a detected kind; raises ExtractError when the file is unreadable."""
    outcome = read_many([(data, kind)], convert_timeout=convert_timeout)[0]
    if isinstance(outcome, ExtractError):
        raise outcome
    return outcome


def read_many(items: list[tuple[bytes, str]], *,
              convert_timeout: float = 60.0) -> list[ReadResult | ExtractError]:
    """Read (bytes, kind) items, in order, each a ReadResult or that file's ExtractError.

    Conversions for the whole batch share soffice calls (one per target format).
    """
    values: list[ReadResult | ExtractError | None] = [None] * len(items)
    for i, (data, kind) in enumerate(items):
        if kind in READERS:
            values[i] = _direct(data, kind)
        elif kind not in CONVERTED:
            values[i] = ExtractError("unsupported", f"no reader for kind {kind!r}")
    retry = [i for i, (_, kind) in enumerate(items) if kind in CONVERTED or (
        kind in FALLBACK and isinstance(values[i], ExtractError)
        and values[i].reason == "corrupt")]
    _convert_and_read(items, retry, values, convert_timeout)
    return values  # type: ignore[return-value]


def _convert_and_read(items: list[tuple[bytes, str]], indices: list[int],
                      values: list, timeout: float) -> None:
    routes = {**FALLBACK, **CONVERTED}
    for target in ("docx", "xlsx"):
        batch = [i for i in indices if routes[items[i][1]][1] == target]
        if not batch:
            continue
        converted = convert_many([(items[i][0], routes[items[i][1]][0]) for i in batch],
                                 target, timeout)
        for i, out in zip(batch, converted, strict=True):
            kind = items[i][1]
            if isinstance(out, ExtractError):
                # A direct reader's own error says more than LibreOffice's failure.
                values[i] = values[i] if isinstance(values[i], ExtractError) else out
                continue
            result = _direct(out, target)
            if isinstance(result, ReadResult):
                result.kind = kind
                result.warnings.append("converted_by_libreoffice")
            values[i] = result


def _direct(data: bytes, kind: str) -> ReadResult | ExtractError:
    try:
        return READERS[kind](data)
    except ExtractError as exc:
        return exc
    except (MemoryError, KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - parsers raise dozens of types on damaged
        # input, and Rust-backed ones (calamine) raise pyo3's PanicException, which is not
        # an Exception subclass.
        log.warning("reader %s failed", kind, exc_info=True)
        return ExtractError("corrupt", f"{kind} reader failed: {type(exc).__name__}: {exc}")
