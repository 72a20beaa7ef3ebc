"""Reading order from OCR boxes: lines, paragraphs and ruled tables of one page.

The engine gives text boxes in image coordinates on a page that may be tilted. The tilt is
measured on the page image (the angle at which its ink lines up best) and undone for the
boxes and the image alike, then:
boxes sharing a baseline become lines, lines become paragraphs by indentation, line
spacing and short last lines, and the characters inside a ruled grid become its cells,
so a scanned form gives a table with (page, row, column) locations like a spreadsheet.
Every block's location names the page and its box (‰ of page width and height), and each
character keeps the recogniser's score for the values read from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from extract.document import Block, Table
from extract.readers.grid import CJK, Grid, cell_blocks, to_table
from extract.readers.ocr_engine import OcrBox
from extract.readers.ocr_rules import RuledGrid, estimate_tilt, find_grids

Chars = list[tuple[str, float]]
_IS_CJK = re.compile(rf"[{CJK}]")
_FULLWIDTH = {":": "：", ",": "，", ";": "；", "?": "？", "!": "！"}


@dataclass
class Piece:
    """A box's characters in deskewed page coordinates: (char, score, x-centre, y-centre)."""

    chars: list[tuple[str, float, float, float]]
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1.0)


@dataclass
class PageText:
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    scores: dict[str, Chars] = field(default_factory=dict)  # location -> chars of its text


def normalise_chars(chars: Chars) -> Chars:
    """Spaces that OCR puts between Chinese characters go; ASCII :,;?! and brackets next to
    Chinese turn full-width (as typed text has them); runs of spaces become one; a year's
    〇, which recognisers drop (二一三年), is put back. Scores stay with their characters."""
    out: Chars = []
    bracket = False  # an opening bracket was made full-width: so is its closing one
    for i, (ch, score) in enumerate(chars):
        nxt = next((c for c, _ in chars[i + 1:] if not c.isspace()), "")
        prev = out[-1][0] if out else ""
        if ch.isspace():
            if prev and nxt and not prev.isspace() and not (_IS_CJK.match(prev) or _IS_CJK.match(nxt)):
                out.append((" ", score))
            continue
        if ch in _FULLWIDTH and prev and _IS_CJK.match(prev):
            ch = _FULLWIDTH[ch]
        elif ch == "(" and ((prev and _IS_CJK.match(prev)) or (nxt and _IS_CJK.match(nxt))):
            ch, bracket = "（", True
        elif ch == ")" and (bracket or (prev and _IS_CJK.match(prev))):
            ch, bracket = "）", False
        out.append((ch, score))
    return _year_zero(out)


_DIGITS_CN = "〇零一二三四五六七八九"
_DROPPED_ZERO = re.compile(rf"(?<![{_DIGITS_CN}])二(?=[{_DIGITS_CN}]{{2}}年)")


def _year_zero(chars: Chars) -> Chars:
    """二一三年 is 二〇一三年 with its thin 〇 lost: no year is written with three digits."""
    text = "".join(c for c, _ in chars)
    for m in reversed(list(_DROPPED_ZERO.finditer(text))):
        at = m.end()
        chars = [*chars[:at], ("〇", min(chars[at - 1][1], chars[at][1])), *chars[at:]]
    return chars


def normalise_line(text: str) -> str:
    return "".join(c for c, _ in normalise_chars([(ch, 1.0) for ch in text]))


def page_text(boxes: list[OcrBox], image: Image.Image, prefix: str) -> PageText:
    """Blocks and tables of one page; `prefix` names the page in locations ("第2页", "图1")."""
    if not boxes:
        return PageText()
    gray = np.asarray(image.convert("L"))
    angle = estimate_tilt(gray)
    matrix = _rotation(angle, gray.shape[1], gray.shape[0])
    if matrix is not None:
        import cv2

        gray = cv2.warpAffine(gray, matrix, (gray.shape[1], gray.shape[0]), borderValue=255)
    size = (gray.shape[1], gray.shape[0])
    pieces = [_piece(b, matrix) for b in boxes]
    grids = find_grids(gray, float(np.median([p.height for p in pieces])))
    out = PageText()
    ordered: list[tuple[float, list[Block], Table | None, dict[str, Chars]]] = []
    loose = pieces
    for n, grid in enumerate(grids, 1):
        inside, loose = _split(loose, grid)
        if not inside:
            continue
        ordered.append((grid.ys[0], *_table(inside, grid, f"{prefix}表{n}", size)))
    lines = _lines(loose)
    for first, paragraph in _paragraphs(lines):
        block, chars = _paragraph_block(paragraph, first, prefix, size)
        ordered.append((min(p.y0 for line in paragraph for p in line), [block], None,
                        {block.location: chars}))
    for _, blocks, table, scores in sorted(ordered, key=lambda item: item[0]):
        out.blocks.extend(blocks)
        out.scores.update(scores)
        if table is not None:
            out.tables.append(table)
    return out


def _rotation(angle: float, w: int, h: int) -> np.ndarray | None:
    if not angle:
        return None
    import cv2

    return cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)


def _apply(matrix: np.ndarray | None, quad: list[tuple[float, float]]) -> np.ndarray:
    pts = np.asarray(quad, dtype=float)
    if matrix is None:
        return pts
    return pts @ matrix[:, :2].T + matrix[:, 2]


def _piece(box: OcrBox, matrix: np.ndarray | None) -> Piece:
    pts = _apply(matrix, box.quad)
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    if box.chars:
        chars = []
        for ch, score, quad in box.chars:
            cx, cy = _apply(matrix, quad).mean(axis=0)
            chars.append((ch, score, float(cx), float(cy)))
    else:  # no character boxes: spread the text evenly over the box
        step = (x1 - x0) / max(len(box.text), 1)
        cy = (y0 + y1) / 2
        chars = [(ch, box.score, float(x0 + (k + 0.5) * step), float(cy))
                 for k, ch in enumerate(box.text)]
    return Piece(chars, float(x0), float(y0), float(x1), float(y1))


def _split(pieces: list[Piece], grid: RuledGrid) -> tuple[list[Piece], list[Piece]]:
    """Pieces with characters inside the grid (those characters only) and the rest."""
    inside, outside = [], []
    for p in pieces:
        held = [c for c in p.chars if grid.slot(c[2], c[3]) is not None]
        rest = [c for c in p.chars if grid.slot(c[2], c[3]) is None]
        if held:
            inside.append(Piece(held, p.x0, p.y0, p.x1, p.y1))
        if rest:
            outside.append(p if not held else _shrunk(p, rest))
    return inside, outside


def _shrunk(p: Piece, chars: list) -> Piece:
    xs = [c[2] for c in chars]
    half = p.height / 2
    return Piece(chars, min(xs) - half, p.y0, max(xs) + half, p.y1)


def _lines(pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces sharing a baseline, each line left to right, lines top to bottom."""
    lines: list[list[Piece]] = []
    for p in sorted(pieces, key=lambda p: (p.y0 + p.y1) / 2):
        mid = (p.y0 + p.y1) / 2
        for line in reversed(lines[-3:]):
            top, bottom = min(q.y0 for q in line), max(q.y1 for q in line)
            overlap = min(bottom, p.y1) - max(top, p.y0)
            if overlap >= 0.5 * min(p.height, bottom - top) and top <= mid <= bottom and \
                    not any(_crosses(q, p) for q in line):
                line.append(p)
                break
        else:
            lines.append([p])
    for line in lines:
        line.sort(key=lambda p: (p.chars[0][2] if p.chars else p.x0))
    return sorted(lines, key=lambda line: min(p.y0 for p in line))


def _crosses(a: Piece, b: Piece) -> bool:
    """Do two pieces' characters overlap left to right (then they are not one line)?
    Box edges overlap anyway: the detector pads every box by about half its height."""
    if not a.chars or not b.chars:
        return False
    a0, a1 = min(c[2] for c in a.chars), max(c[2] for c in a.chars)
    b0, b1 = min(c[2] for c in b.chars), max(c[2] for c in b.chars)
    return min(a1, b1) - max(a0, b0) > -0.3 * min(a.height, b.height)


def _line_chars(line: list[Piece]) -> Chars:
    chars: Chars = []
    for i, p in enumerate(line):
        if i and p.x0 - line[i - 1].x1 > 0.8 * p.height:
            chars.append((" ", 1.0))
        chars.extend((c[0], c[1]) for c in p.chars)
    return normalise_chars(chars)


def _paragraphs(lines: list[list[Piece]]) -> list[tuple[int, list[list[Piece]]]]:
    """Lines grouped into paragraphs: (number of the first line on the page, lines).

    A line starts a paragraph when it is indented (from the margin or from the line
    above: a first line), stands apart (a wide gap above), is set
    in another size (a title), or follows a line that stopped short of the right margin
    (a paragraph's last line).
    """
    if not lines:
        return []
    lefts = np.array([min(p.x0 for p in line) for line in lines])
    rights = np.array([max(p.x1 for p in line) for line in lines])
    heights = np.array([np.median([p.height for p in line]) for line in lines])
    left, right = np.percentile(lefts, 10), np.percentile(rights, 90)
    out: list[tuple[int, list[list[Piece]]]] = []
    for i, line in enumerate(lines):
        h = heights[i]
        if out:
            gap = min(p.y0 for p in line) - max(p.y1 for p in lines[i - 1])
            resized = abs(h - heights[i - 1]) > 0.2 * max(h, heights[i - 1])  # title, heading
            indented = lefts[i] - left > 1.2 * h or lefts[i] - lefts[i - 1] > 1.2 * h
            new = indented or rights[i - 1] < right - 1.5 * h or gap > 1.2 * h or resized
            if not new:
                out[-1][1].append(line)
                continue
        out.append((i + 1, [line]))
    return out


def _where(prefix: str, what: str, box: tuple[float, float, float, float],
           size: tuple[int, int]) -> str:
    w, h = size
    x0, y0, x1, y1 = box
    return (f"{prefix}{what}@{round(1000 * x0 / w)},{round(1000 * y0 / h)},"
            f"{round(1000 * x1 / w)},{round(1000 * y1 / h)}")


def _paragraph_block(paragraph: list[list[Piece]], first: int, prefix: str,
                     size: tuple[int, int]) -> tuple[Block, Chars]:
    chars: Chars = []
    for line in paragraph:
        chars.extend(_line_chars(line))
    last = first + len(paragraph) - 1
    what = f"第{first}行" if last == first else f"第{first}-{last}行"
    pieces = [p for line in paragraph for p in line]
    box = (min(p.x0 for p in pieces), min(p.y0 for p in pieces),
           max(p.x1 for p in pieces), max(p.y1 for p in pieces))
    location = _where(prefix, what, box, size)
    page = _page_number(prefix)
    text = "".join(c for c, _ in chars)
    return Block(text=text, location=location, kind="paragraph", page=page), chars


def _page_number(prefix: str) -> int | None:
    found = re.search(r"\d+", prefix)
    return int(found.group()) if found else None


def _table(pieces: list[Piece], grid: RuledGrid, location: str, size: tuple[int, int],
           ) -> tuple[list[Block], Table | None, dict[str, Chars]]:
    rows, cols = len(grid.ys) - 1, len(grid.xs) - 1
    held: dict[tuple[int, int], list[tuple[str, float, float, float, float]]] = {}
    for p in pieces:
        for c in p.chars:
            slot = grid.slot(c[2], c[3])
            if slot is not None:
                held.setdefault(slot, []).append((*c, p.height))
    texts = [["" for _ in range(cols)] for _ in range(rows)]
    scores: dict[tuple[int, int], Chars] = {}
    for slot, chars in held.items():
        scores[slot] = _cell_chars(chars)
        texts[slot[0]][slot[1]] = "".join(c for c, _ in scores[slot])
    g = Grid(texts, grid.merges)

    def where(r: int, c: int) -> str:
        r0, c0, r1, c1 = next(((a, b, d, e) for a, b, d, e in grid.merges if (a, b) == (r, c)),
                              (r, c, r, c))
        box = (grid.xs[c0], grid.ys[r0], grid.xs[c1 + 1], grid.ys[r1 + 1])
        return _where(location, f"第{r + 1}行第{c + 1}列", box, size)

    table = to_table(g, location, where)
    located = {where(*slot): chars for slot, chars in scores.items()}
    page = _page_number(location)
    blocks = cell_blocks(g, where)
    for b in blocks:
        b.page = page
    return blocks, table, located


def _cell_chars(chars: list[tuple[str, float, float, float, float]]) -> Chars:
    """A cell's characters in reading order: visual lines top to bottom, each left to right.
    Each character is (text, score, x, y, height of the box it came from)."""
    lines: list[list[tuple[str, float, float, float, float]]] = []
    for c in sorted(chars, key=lambda c: c[3]):
        if lines and abs(c[3] - lines[-1][0][3]) < 0.5 * c[4]:
            lines[-1].append(c)
        else:
            lines.append([c])
    out: Chars = []
    for line in lines:
        out.extend((c[0], c[1]) for c in sorted(line, key=lambda c: c[2]))
    return normalise_chars(out)
