"""OFD (GB/T 33190-2016), the fixed-layout format Chinese government offices send instead of PDF.

An OFD file is a zip: OFD.xml names each document's root (Doc_0/Document.xml), which lists
its pages (Pages/Page_0/Content.xml). A page's text is in TextObject elements (a Boundary box
in millimetres, one or more TextCode runs placed by X/Y inside it), possibly nested in
PageBlocks and layers. Text is put in reading order (top to bottom, then left to right) and
returned as lines located by page, like a PDF's text layer; text objects laid out in rows and
columns are also rebuilt as tables (extract/readers/ofd_tables.py). Fonts, templates,
annotations and signatures are not needed for the words and are ignored.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from extract.document import Block, ReadResult
from extract.readers.ofd_tables import page_tables
from schemas.extraction import ExtractError

_LINE_TOLERANCE = 0.6  # runs whose baselines differ by less than this share of the font size share a line


@dataclass
class _Run:
    x: float
    y: float
    size: float
    text: str


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse(archive: zipfile.ZipFile, path: str) -> ET.Element:
    try:
        raw = archive.read(path.lstrip("/"))
    except KeyError as exc:
        raise ExtractError("corrupt", f"OFD part missing: {path}") from exc
    if b"<!DOCTYPE" in raw[:2048] or b"<!ENTITY" in raw:  # no DTDs: no entity expansion bombs
        raise ExtractError("corrupt", f"OFD part declares a DTD: {path}")
    try:
        return ET.fromstring(raw)
    except ET.ParseError as exc:
        raise ExtractError("corrupt", f"OFD part is not XML: {path}: {exc}") from exc


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el.iter() if _local(c.tag) == name]


def _text_of(el: ET.Element, name: str) -> str | None:
    found = next((c for c in el.iter() if _local(c.tag) == name), None)
    return found.text.strip() if found is not None and found.text else None


def _numbers(value: str | None) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", value or "")]


def _runs(page: ET.Element) -> list[_Run]:
    runs = []
    for obj in _children(page, "TextObject"):
        box = _numbers(obj.get("Boundary")) or [0.0, 0.0]
        size = (_numbers(obj.get("Size")) or [3.5])[0]
        for code in (c for c in obj if _local(c.tag) == "TextCode"):
            text = "".join(code.itertext())
            if text.strip():
                x = box[0] + (_numbers(code.get("X")) or [0.0])[0]
                y = box[1] + (_numbers(code.get("Y")) or [0.0])[0]
                runs.append(_Run(x, y, size, text))
    return runs


def _line_runs(runs: list[_Run]) -> list[list[_Run]]:
    """Runs grouped by baseline, top to bottom; within a line, left to right."""
    lines: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: (r.y, r.x)):
        if lines and abs(lines[-1][0].y - run.y) < _LINE_TOLERANCE * max(run.size, 1.0):
            lines[-1].append(run)
        else:
            lines.append([run])
    return [sorted(line, key=lambda r: r.x) for line in lines]


def _page_paths(archive: zipfile.ZipFile, doc_root: str) -> list[str]:
    document = _parse(archive, doc_root)
    base = posixpath.dirname(doc_root.lstrip("/"))
    paths = []
    for page in _children(document, "Page"):
        loc = page.get("BaseLoc")
        if loc:
            paths.append(loc.lstrip("/") if loc.startswith("/") else posixpath.normpath(posixpath.join(base, loc)))
    return paths


def read_ofd(data: bytes) -> ReadResult:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ExtractError("corrupt", f"OFD is not a readable zip: {exc}") from exc
    with archive:
        root = _parse(archive, "OFD.xml")
        doc_roots = [d.text.strip() for d in _children(root, "DocRoot") if d.text and d.text.strip()]
        if not doc_roots:
            raise ExtractError("corrupt", "OFD.xml names no DocRoot")
        result = ReadResult(kind="ofd", title=_text_of(root, "Title"))
        number = 0
        for doc_root in doc_roots:
            for path in _page_paths(archive, doc_root):
                number += 1
                grouped = _line_runs(_runs(_parse(archive, path)))
                lines = ["".join(r.text for r in line).strip() for line in grouped]
                result.blocks += [Block(t, f"第{number}页第{i}行", page=number)
                                  for i, t in enumerate((t for t in lines if t), start=1)]
                result.tables += page_tables(grouped, number)  # text objects laid out as a table
        result.pages = number
    if not result.blocks:
        result.warnings.append("ofd_no_text")  # a scanned OFD holds images: not read here
    return result
