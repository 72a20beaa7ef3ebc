"""A large set of distinct, valid documents for the ingest benchmark.

Content comes from the same builders as the corpus; docx/xlsx go through the fast
writers (package built once, body swapped), PDFs through reportlab, CSV directly.
Every file is unique: each carries its own serial number in a natural place.
"""

from __future__ import annotations

import random
from pathlib import Path

from fulian.samples import documents as d
from fulian.samples import office, pdfs
from fulian.samples import tables as t
from fulian.samples.fast import FastDocx, FastXlsx
from fulian.samples.render import csv_rows
from fulian.samples.spec import DocSpec, SheetSpec
from fulian.samples.text import COMMUNITIES, base, streets

KIND_WEIGHTS = (("docx", 45), ("xlsx", 25), ("pdf", 20), ("csv", 10))
PLACES = ("title", "header", "signature", "body")


def _author(rng: random.Random) -> d.Author:
    street = rng.choice(streets())
    if rng.random() < 0.2:
        return d.community_author(street, rng.choice(COMMUNITIES[street]))
    return d.street_author(street, rng.randint(0, 3))


def _narrative(rng: random.Random, author: d.Author, show: set[str], serial: int) -> DocSpec:
    roll = rng.random()
    if roll < 0.6:
        spec = d.work_summary(rng, author, 2013, show, half=rng.random() < 0.2).content
    elif roll < 0.9:
        spec = d.info_report(rng, author, 2013, rng.randint(1, 12), show).content
    else:
        spec = d.news_clipping(rng, author, 2013, rng.randint(1, 12)).content
    assert isinstance(spec, DocSpec)
    spec.doc_number = spec.doc_number or f"{base(author.parent or author.unit or 'lixia')}妇字〔2013〕{serial}号"
    return spec


def _sheet(rng: random.Random, author: d.Author, show: set[str], serial: int) -> SheetSpec:
    builders = [
        lambda: t.two_plans_table(rng, author, 2013, show, layout=rng.choice(["merged", "years", "years_rev", "plain"])),
        lambda: t.petition_report(rng, author, 2013, rng.randint(1, 4), show),
        lambda: t.chunlei_register(rng, author, 2013, show),
        lambda: t.single_mother_register(rng, author, 2013, show),
        lambda: t.parent_school_record(rng, author, 2013, show),
    ]
    sheet = rng.choice(builders)().content
    assert isinstance(sheet, SheetSpec)
    sheet.notes_after.append(f"表号：LX-2013-{serial:05d}")
    return sheet


def generate_bulk(folder: Path, n: int = 2000, seed: int = 1) -> list[Path]:
    """Write `n` distinct documents (≈45% docx, 25% xlsx, 20% text PDF, 10% csv) under `folder`."""
    rng = random.Random(seed)
    fast_docx, fast_xlsx = FastDocx(), FastXlsx()
    kinds = [k for k, _ in KIND_WEIGHTS]
    weights = [w for _, w in KIND_WEIGHTS]
    paths = []
    for i in range(n):
        author = _author(rng)
        show = set(rng.sample(PLACES, k=rng.randint(1, 3)))
        kind = rng.choices(kinds, weights)[0]
        sub = folder / (author.name if rng.random() < 0.7 else "未分类")
        if kind in ("docx", "pdf"):
            spec = _narrative(rng, author, show, i + 1)
            path = sub / f"{i + 1:05d}_{spec.title[:30]}.{kind}"
            paths.append(fast_docx.write(path, spec) if kind == "docx" else pdfs.write_text_pdf(path, spec))
        else:
            sheet = _sheet(rng, author, show, i + 1)
            path = sub / f"{i + 1:05d}_{(sheet.title or sheet.name)[:30]}.{kind}"
            encoding = rng.choice(office.CSV_ENCODINGS)
            paths.append(fast_xlsx.write(path, sheet) if kind == "xlsx"
                         else office.write_csv(path, csv_rows(sheet), encoding))
    return paths
