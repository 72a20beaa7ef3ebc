"""HTML and MHT: Word/Excel "save as web page" files, often renamed .doc/.xls.

Tables keep rowspan/colspan as merges; layout tables that only wrap other tables are
skipped in favour of the innermost ones.
"""

from __future__ import annotations

import email
import email.policy
import re

import lxml.html

from extract.document import Block, ReadResult
from extract.readers.grid import Grid, cell_blocks, clean_cell, join_cjk_gaps, to_table
from extract.sniff import decode_text
from schemas.extraction import ExtractError

TEXT_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "td", "th", "caption")
_NESTED_BLOCKS = "|".join(f".//{t}" for t in TEXT_TAGS + ("table",) if t not in ("td", "th"))
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CHARSET = re.compile(rb"charset=[\"']?([A-Za-z0-9_\-]+)", re.I)


def read_html(data: bytes) -> ReadResult:
    text = _html_text(data)
    try:
        root = lxml.html.document_fromstring(_XML_DECL.sub("", text) or "<html/>")
    except (ValueError, lxml.etree.ParserError) as exc:
        raise ExtractError("corrupt", f"HTML unreadable: {exc}") from exc
    for bad in root.xpath("//script|//style|//head/*[not(self::title)]"):
        bad.drop_tree()
    result = ReadResult(kind="html")
    title = root.findtext(".//title")
    result.title = clean_cell(title) if title and title.strip() else None
    _paragraphs(root, result)
    tables = [t for t in root.iter("table") if not t.xpath(".//table")]
    for n, table in enumerate(tables, 1):
        _table(table, f"表{n}", result)
    return result


def _html_text(data: bytes) -> str:
    if re.match(rb"\s*(MIME-Version|Content-Type)", data[:200], re.I):
        data = _mht_html(data)
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = "gb18030" if name in ("gb2312", "gbk", "x-gbk") else name
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass  # the declaration lies: fall back to detection
    decoded = decode_text(data)
    if decoded is None:
        raise ExtractError("corrupt", "HTML in no known encoding")
    return decoded[0]


def _mht_html(data: bytes) -> bytes:
    """The first text/html part of a MIME web archive, transfer encoding undone."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset and b"charset" not in payload[:2048].lower():
                payload = f'<meta charset="{charset}">'.encode() + payload
            return payload
    raise ExtractError("unsupported", "MHT archive without an HTML part")


def _paragraphs(root, result: ReadResult) -> None:
    n = 0
    for el in root.iter(*TEXT_TAGS):
        if el.tag in ("td", "th") or el.xpath("ancestor::table"):
            continue  # table text comes from the table cells
        if el.xpath(_NESTED_BLOCKS):
            continue  # a wrapper: its children are read on their own
        text = _element_text(el)
        if text:
            n += 1
            kind = "heading" if el.tag.startswith("h") else "paragraph"
            result.blocks.append(Block(text=text, location=f"第{n}段", kind=kind))


def _element_text(el) -> str:
    text = el.text_content()
    # Source line breaks are HTML whitespace; between Chinese characters they are nothing.
    return clean_cell(join_cjk_gaps(re.sub(r"\s*\n\s*", " ", text)))


def _table(table, location: str, result: ReadResult) -> None:
    grid = table_grid(table)

    def where(r: int, c: int) -> str:
        return f"{location}第{r + 1}行第{c + 1}列"

    built = to_table(grid, location, where)
    if built is not None:
        result.tables.append(built)
    result.blocks.extend(cell_blocks(grid, where, table_top=None))


def table_grid(table) -> Grid:
    """Lay rows out on a grid honouring rowspan/colspan (cells pushed right by spans above)."""
    taken: dict[tuple[int, int], bool] = {}
    rows: list[list[str]] = []
    merges: list[tuple[int, int, int, int]] = []
    for r, tr in enumerate(table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")):
        row: dict[int, str] = {}
        c = 0
        for cell in tr.xpath("./td|./th"):
            while taken.get((r, c)):
                c += 1
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            row[c] = _element_text(cell)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[(r + dr, c + dc)] = True
            if rowspan > 1 or colspan > 1:
                merges.append((r, c, r + rowspan - 1, c + colspan - 1))
            c += colspan
        width = max(row, default=-1) + 1
        rows.append([row.get(i, "") for i in range(width)])
    merges = [(r0, c0, min(r1, len(rows) - 1), c1) for r0, c0, r1, c1 in merges]
    return Grid(rows, merges)


def _span(cell, attr: str) -> int:
    try:
        return max(1, min(int(cell.get(attr, "1")), 1000))
    except ValueError:
        return 1
