"""Ruled tables on a page image: the grid of ruling lines, with merged cells.

Horizontal and vertical rules are found by morphological opening with long thin kernels
(characters are too short to survive it), on the deskewed page. A table is a connected
set of rules with at least two of each direction; a cell boundary that is missing between
two grid slots (no ink along it) makes them one merged cell, as in the source form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

MIN_COVER = 0.55  # share of a boundary that must be inked to count as a rule there


@dataclass
class RuledGrid:
    xs: list[float]  # column boundaries, left to right
    ys: list[float]  # row boundaries, top to bottom
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    owner: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # slot -> anchor

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def slot(self, x: float, y: float) -> tuple[int, int] | None:
        """The anchor cell (row, col) holding the point, None outside the grid."""
        if not (self.xs[0] <= x < self.xs[-1] and self.ys[0] <= y < self.ys[-1]):
            return None
        c = int(np.searchsorted(self.xs, x, side="right")) - 1
        r = int(np.searchsorted(self.ys, y, side="right")) - 1
        return self.owner.get((r, c), (r, c))


def estimate_tilt(gray: np.ndarray, limit: float = 5.0) -> float:
    """Degrees (counter-clockwise) that set the page's lines level: the angle at which the
    ink's row profile is sharpest (text lines and rules alike; any engine, any content)."""
    import cv2

    small = cv2.resize(gray, (gray.shape[1] // 2, gray.shape[0] // 2), interpolation=cv2.INTER_AREA)
    ink = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                15, 15)
    ys, xs = np.nonzero(ink)
    if len(xs) < 200:
        return 0.0
    if len(xs) > 60_000:  # a sample tells the angle as well as every pixel
        pick = np.random.default_rng(0).choice(len(xs), 60_000, replace=False)
        xs, ys = xs[pick], ys[pick]
    xs = xs - small.shape[1] / 2

    def sharpness(angle: float) -> float:
        rad = np.radians(angle)
        rows = np.rint(ys * np.cos(rad) - xs * np.sin(rad)).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        return float((counts.astype(np.float64) ** 2).sum())

    best = max(np.arange(-limit, limit + 0.01, 0.25), key=sharpness)
    best = max(np.arange(best - 0.25, best + 0.26, 0.05), key=sharpness)
    return float(best) if abs(best) >= 0.1 else 0.0


def find_grids(gray: np.ndarray, text_height: float) -> list[RuledGrid]:
    """Ruled tables of a greyscale page (uint8, dark ink on light paper), top to bottom.

    A rule is a straight run of ink longer than any stroke of a character: kernels are
    sized from the height of the page's text boxes (never from the page, which may be a
    cropped picture), so a rule one table row long still counts.
    """
    import cv2

    h, w = gray.shape
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                31, 15)
    across = max(25, round(2.5 * text_height), w // 40)
    down = max(15, round(1.2 * text_height))
    horiz = _open(ink, (across, 1))
    vert = _open(ink, (1, down))
    both = cv2.dilate(horiz | vert, np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(both)
    grids = []
    for i in range(1, count):
        x, y, bw, bh = stats[i, :4]
        if bw < 2 * across or bh < down:
            continue
        grid = _grid(horiz[y:y + bh, x:x + bw], vert[y:y + bh, x:x + bw], x, y, (across, down))
        if grid is not None:
            grids.append(grid)
    return sorted(grids, key=lambda g: g.ys[0])


def _open(ink: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    import cv2

    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, size)
    opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
    # close the small breaks that noise and JPEG leave in a printed rule
    return cv2.morphologyEx(opened, cv2.MORPH_CLOSE, cv2.getStructuringElement(
        cv2.MORPH_RECT, (size[0] // 3 or 1, size[1] // 3 or 1)))


def _peaks(profile: np.ndarray, least: float) -> list[float]:
    """Centres of runs where the profile reaches `least`: one per rule."""
    on = profile >= least
    out, start = [], None
    for i, flag in enumerate(on):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            out.append((start + i - 1) / 2)
            start = None
    if start is not None:
        out.append((start + len(on) - 1) / 2)
    return out


def _grid(horiz: np.ndarray, vert: np.ndarray, x0: int, y0: int,
          kernels: tuple[int, int]) -> RuledGrid | None:
    # every run left in the masks is a rule at least a kernel long
    ys = _peaks((horiz > 0).sum(axis=1), kernels[0])
    xs = _peaks((vert > 0).sum(axis=0), kernels[1])
    if len(ys) < 2 or len(xs) < 2:
        return None
    # Rules reaching past the outermost crossing ones: an open-sided table's outer column.
    cols = np.flatnonzero((horiz > 0).sum(axis=0) >= 1)
    rows = np.flatnonzero((vert > 0).sum(axis=1) >= 1)
    xs = _with_ends(xs, float(cols[0]), float(cols[-1]), 20)
    ys = _with_ends(ys, float(rows[0]), float(rows[-1]), 20)
    if len(ys) < 3 and len(xs) < 3:
        return None  # a single box: a framed note, not a table
    grid = RuledGrid(xs=[x0 + v for v in xs], ys=[y0 + v for v in ys])
    _merges(grid, horiz, vert, x0, y0)
    return grid


def _with_ends(cuts: list[float], first: float, last: float, tolerance: float) -> list[float]:
    if cuts[0] - first > tolerance:
        cuts = [first, *cuts]
    if last - cuts[-1] > tolerance:
        cuts = [*cuts, last]
    return cuts


def _covered(mask: np.ndarray, fixed: float, a: float, b: float, vertical: bool) -> bool:
    """Is the boundary at `fixed` inked over most of (a, b)? Ends trimmed: rules cross there."""
    pad = (b - a) * 0.15
    lo, hi = int(a + pad), int(b - pad)
    if hi <= lo:
        return True
    k = int(round(fixed))
    band = mask[lo:hi, max(0, k - 3):k + 4] if vertical else mask[max(0, k - 3):k + 4, lo:hi]
    line = band.max(axis=1 if vertical else 0) > 0
    return bool(line.mean() >= MIN_COVER)


def _merges(grid: RuledGrid, horiz: np.ndarray, vert: np.ndarray, x0: int, y0: int) -> None:
    xs = [v - x0 for v in grid.xs]
    ys = [v - y0 for v in grid.ys]
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(rows) for c in range(cols)}

    def find(a: tuple[int, int]) -> tuple[int, int]:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not _covered(vert, xs[c + 1], ys[r], ys[r + 1], True):
                union((r, c), (r, c + 1))
            if r + 1 < rows and not _covered(horiz, ys[r + 1], xs[c], xs[c + 1], False):
                union((r, c), (r + 1, c))
    spans: dict[tuple[int, int], list[int]] = {}
    for slot in parent:
        root = find(slot)
        span = spans.setdefault(root, [slot[0], slot[1], slot[0], slot[1]])
        span[0], span[1] = min(span[0], slot[0]), min(span[1], slot[1])
        span[2], span[3] = max(span[2], slot[0]), max(span[3], slot[1])
    for span in spans.values():
        r0, c0, r1, c1 = span
        if (r0, c0) != (r1, c1):
            grid.merges.append((r0, c0, r1, c1))
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                grid.owner[(r, c)] = (r0, c0)
