"""Sample and fixture generator: realistic federation files in every format, bad inputs,
the demo inbox, a bulk set for benchmarks and a corpus with ground truth.

Modules: spec (format-free content), office (docx/xlsx/xls/csv), legacy (.doc via
LibreOffice), layout + pdfs (text PDF, scanned PDF, page images), bad (rejects),
text/phrasing/people (Chinese wording), documents/tables (content with ground truth),
demo, bulk, corpus. Names below import lazily: `import fulian.samples` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "write_demo_inbox": "demo", "demo_roles": "demo",
    "generate_bulk": "bulk",
    "build_corpus": "corpus", "load_corpus": "corpus", "write_manifest": "corpus", "CorpusItem": "corpus",
    "write_bad_inputs": "bad",
    "write_docx": "office", "write_xlsx": "office", "write_xls": "office", "write_csv": "office",
    "write_doc": "legacy", "write_docs": "legacy",
    "write_text_pdf": "pdfs", "write_scanned_pdf": "pdfs", "write_page_image": "pdfs",
    "DocSpec": "spec", "SheetSpec": "spec", "TableSpec": "spec", "Workbook": "spec",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(name)
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
