"""Write a document's content in a chosen format; .doc files are batched for LibreOffice."""

from __future__ import annotations

from pathlib import Path

from fulian.samples import legacy, office, pdfs
from fulian.samples.spec import DocSpec, SheetSpec, Workbook
from fulian.samples.tables import sheet_as_doc

Content = DocSpec | SheetSpec | Workbook
# kind -> suffix of the file it produces
KINDS = {"docx": ".docx", "doc": ".doc", "pdf": ".pdf", "scan": ".pdf", "xlsx": ".xlsx", "xls": ".xls",
         "csv": ".csv", "csv-bom": ".csv", "csv-gbk": ".csv", "png": ".png", "jpg": ".jpg"}


def as_doc(content: Content) -> DocSpec:
    if isinstance(content, DocSpec):
        return content
    sheet = content.sheets[0] if isinstance(content, Workbook) else content
    return sheet_as_doc(sheet)


def csv_rows(content: Content) -> list[list]:
    """A sheet as CSV rows: title and notes as one-cell rows around the grid."""
    if isinstance(content, DocSpec):
        return [[content.title], *[[p] for p in content.body if isinstance(p, str)], *[[s] for s in content.signature]]
    sheet = content.sheets[0] if isinstance(content, Workbook) else content
    head = [[sheet.title]] if sheet.title else []
    return [*head, *[[n] for n in sheet.notes_before], *sheet.table.grid, *[[n] for n in sheet.notes_after]]


class Renderer:
    """Writes files at once, except .doc which wait for `flush()` (one soffice call per folder)."""

    def __init__(self) -> None:
        self.pending_docs: list[tuple[Path, DocSpec]] = []

    def write(self, path: Path, content: Content, kind: str) -> Path:
        if kind == "doc":
            path.parent.mkdir(parents=True, exist_ok=True)
            self.pending_docs.append((path, as_doc(content)))
            return path
        if kind in ("xlsx", "xls") and not isinstance(content, DocSpec):
            return (office.write_xlsx if kind == "xlsx" else office.write_xls)(path, content)
        if kind.startswith("csv"):
            encoding = {"csv": "utf-8", "csv-bom": "utf-8-sig", "csv-gbk": "gb18030"}[kind]
            return office.write_csv(path, csv_rows(content), encoding)
        doc = as_doc(content)
        writer = {"docx": office.write_docx, "pdf": pdfs.write_text_pdf, "scan": pdfs.write_scanned_pdf,
                  "png": pdfs.write_page_image, "jpg": pdfs.write_page_image}[kind]
        return writer(path, doc)

    def flush(self) -> None:
        if self.pending_docs:
            legacy.write_docs(self.pending_docs)
            self.pending_docs = []
