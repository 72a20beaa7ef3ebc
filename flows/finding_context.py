"""Each finding with the neighbourhood of its cell or the sentence of its number (issue 12).

Thin: the archive gives the documents' bytes and kinds, extract/neighbourhood.py finds the
cells around each location, the findings carry what was found into the reports. A document
is read once however many findings it has; kinds that would need LibreOffice or OCR to read
again are left without a neighbourhood (the report still names the cell).
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from archive.analysis import document_kinds
from archive.store import Archive
from extract.neighbourhood import first_location, neighbourhoods
from schemas.extraction import table_of
from schemas.findings import Finding

READ_AGAIN = ("xlsx", "xls", "ods", "csv", "docx", "txt", "html")


def with_context(archive: Archive, findings: list[Finding], values: pd.DataFrame | None = None
                 ) -> list[Finding]:
    """The findings, each with `context` filled where its document and location allow."""
    snippets = _snippets(values)
    out: list[Finding] = []
    todo: dict[str, list[int]] = defaultdict(list)
    for f in findings:
        loc = first_location(f.location)
        sentence = None if table_of(loc) else snippets.get((f.sha256, loc, f.indicator))
        if sentence:  # a value stated in text: the sentence it was stated in
            f = f.model_copy(update={"context": {"sentence": sentence}})
        elif f.sha256 and loc and not f.context:
            todo[f.sha256].append(len(out))
        out.append(f)
    kinds = document_kinds(archive, set(todo))
    from extract.readers import read
    from schemas.extraction import ExtractError

    for sha, positions in sorted(todo.items()):
        if kinds.get(sha) not in READ_AGAIN:
            continue
        try:
            result = read(archive.blobs.read(sha), kinds[sha])
        except (ExtractError, OSError):
            continue  # the finding still names its cell; fixity reports a missing blob
        found = neighbourhoods(result, [first_location(out[i].location) for i in positions])
        for i in positions:
            ctx = found.get(first_location(out[i].location))
            if ctx:
                out[i] = out[i].model_copy(update={"context": ctx})
    return out


def _snippets(values: pd.DataFrame | None) -> dict[tuple[str, str, str], str]:
    if values is None or not len(values) or "snippet" not in values:
        return {}
    return {(sha, loc, code): snip for sha, loc, code, snip in
            zip(values["sha256"], values["location"], values["code"], values["snippet"], strict=True)
            if snip}
