"""Legacy Word .doc files, made by LibreOffice from HTML in one soffice call per batch.

HTML (not a python-docx file) is the source because a docx table saved as .doc
by LibreOffice lost its table structure in trials; HTML tables survive.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from pathlib import Path

from fulian.samples.spec import DocSpec, TableSpec

SOFFICE_TIMEOUT = 300.0


class ConversionError(RuntimeError):
    """LibreOffice did not produce an expected output file."""


def _html_table(table: TableSpec) -> str:
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    hidden: set[tuple[int, int]] = set()
    for r1, c1, r2, c2 in table.merges:
        spans[(r1, c1)] = (r2 - r1 + 1, c2 - c1 + 1)
        hidden.update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
    rows = []
    for r, values in enumerate(table.grid):
        cells = []
        for c in range(table.width):
            if (r, c) in hidden and (r, c) not in spans:
                continue
            value = values[c] if c < len(values) else None
            rs, cs = spans.get((r, c), (1, 1))
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            cells.append(f"<td{attrs}>{html.escape('' if value is None else str(value))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1" cellspacing="0" cellpadding="4">' + "".join(rows) + "</table>"


def doc_html(spec: DocSpec) -> str:
    """The document as simple HTML that LibreOffice Writer imports faithfully."""
    esc = html.escape
    parts = ['<html><head><meta charset="utf-8"><title></title></head><body>']
    if spec.header:
        parts.append(f'<div title="header"><p>{esc(spec.header)}</p></div>')
    if spec.doc_number:
        parts.append(f'<p align="center">{esc(spec.doc_number)}</p>')
    if spec.title_style in ("title", "heading"):
        parts.append(f'<h1 align="center">{esc(spec.title)}</h1>')
    else:
        parts.append(f'<p align="center"><b>{esc(spec.title)}</b></p>')
    for item in spec.body:
        if isinstance(item, TableSpec):
            parts.append(_html_table(item))
        else:
            parts.append(f"<p>{esc(item)}</p>")
    parts.extend(f'<p align="right">{esc(line)}</p>' for line in spec.signature)
    if spec.footer:
        parts.append(f'<div title="footer"><p>{esc(spec.footer)}</p></div>')
    parts.append("</body></html>")
    return "\n".join(parts)


def soffice_convert(sources: list[Path], target: str, outdir: Path) -> None:
    """One headless LibreOffice call with a private profile (parallel calls must not share one)."""
    profile = Path(tempfile.mkdtemp(prefix="fulian-soffice-"))
    try:
        cmd = ["soffice", "--headless", "--norestore",
               f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", target, "--outdir", str(outdir), *map(str, sources)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=SOFFICE_TIMEOUT)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def write_docs(items: list[tuple[Path, DocSpec]]) -> list[Path]:
    """Write many .doc files with a single soffice call (start-up, ≈1 s, dominates)."""
    if not items:
        return []
    with tempfile.TemporaryDirectory(prefix="fulian-doc-") as tmp:
        sources = []
        for i, (_, spec) in enumerate(items):  # numbered names: targets may share a stem
            src = Path(tmp) / f"{i:05d}.html"
            src.write_text(doc_html(spec), encoding="utf-8")
            sources.append(src)
        outdir = Path(tmp) / "out"
        soffice_convert(sources, "doc:MS Word 97", outdir)
        for i, (path, _) in enumerate(items):
            made = outdir / f"{i:05d}.doc"
            if not made.exists():
                raise ConversionError(f"soffice produced no .doc for {path}")
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(made), path)
    return [path for path, _ in items]


def write_doc(path: Path, spec: DocSpec) -> Path:
    """A single legacy .doc (prefer write_docs for many: soffice start-up dominates)."""
    return write_docs([(path, spec)])[0]
