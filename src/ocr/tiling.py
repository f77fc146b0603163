"""Splitting pages into tiles that can be recognised apart, and keeping each line once.

Cuts go between text, where a row (or column) has no more edges than the page's blank
paper: text lines are never cut. Columns separated by a gutter running the whole
height are split first, so that each column is read as a whole, in order. Where no
blank row lies near a wanted cut (dense text, pictures, skew), neighbouring tiles
overlap by a couple of text lines, and each keeps only the lines whose centre lies on
its own side of the cut, so nothing is read twice and nothing is lost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import numpy.typing as npt

from . import preprocess
from ._tesseract import RawLine

__all__ = ["Tile", "plan_tiles", "join_pieces", "single_line_box", "LINE_MARGIN", "text_runs"]

MappedLine = tuple[RawLine, list[tuple[float, float, float, float]]]

GrayImage = npt.NDArray[np.uint8]

#: The margin a single line is read with, as a share of its text's height (0.1 to 0.2
#: read alike on rendered English and Russian lines; none or 0.3 read worse).
LINE_MARGIN = 0.15

# Fewer lines than this per tile: Tesseract's paragraph finding loses its footing, and
# the split saves little time.
_MIN_LINES_PER_TILE = 12


@dataclass(frozen=True, slots=True)
class Tile:
    """A rectangle of the page to recognise (``x0..x1``, ``y0..y1``, ends exclusive), the
    part of it whose words it keeps (``own_*``, page coordinates), and where it sits:
    ``group`` (a column of text, between gutters) and ``band`` (a row of tiles within
    it). Tiles of one band split text lines between them when a page is too wide."""

    x0: int
    y0: int
    x1: int
    y1: int
    own_x0: float
    own_y0: float
    own_x1: float
    own_y1: float
    group: int = 0
    band: int = 0

    def owns(self, x: float, y: float) -> bool:
        return self.own_x0 <= x < self.own_x1 and self.own_y0 <= y < self.own_y1


@dataclass(frozen=True, slots=True)
class _Cut:
    at: int        # where one tile's own region ends and the next one's begins
    overlap: int   # how far each tile reaches past ``at`` (0 at a blank cut)


def plan_tiles(pixels: GrayImage, *, parts: int = 1, max_side: int = 32767,
               max_pixels: int = 60_000_000) -> list[Tile]:
    """Tiles covering ``pixels``: at least ``parts`` where the text allows (for
    parallelism), and as many as needed for every tile to have sides of at most
    ``max_side`` and at most ``max_pixels`` pixels (Tesseract's limit, and memory).
    Returned in reading order: columns of text left to right, each top to bottom.
    """
    height, width = pixels.shape
    rows, columns = preprocess.edge_profiles(pixels)
    pitch = _pitch(rows)
    gutters = _gutters(pixels, columns, pitch=pitch) if parts > 1 else []
    groups = _edges(gutters, width)
    tiles: list[Tile] = []
    for group, ((gx0, gx1), (own_gx0, own_gx1)) in enumerate(groups):
        group_rows = rows if len(groups) == 1 else preprocess.edge_profiles(pixels[:, gx0:gx1])[0]
        # a column wider than Tesseract takes: cut through its lines, overlapping by
        # more than a long word, and join the pieces of each line again afterwards
        forced = math.ceil((gx1 - gx0) / max_side)
        column_cuts = [_Cut(gx0 + cut.at, cut.overlap) for cut in
                       _cuts(columns[gx0:gx1], forced, pitch=4 * pitch)] if forced > 1 else []
        widest = max(end - start for (start, end), _ in _edges(column_cuts, gx1 - gx0, gx0))
        required = max(math.ceil(height / max_side), math.ceil(height * widest / max_pixels))
        useful = max(1, len(text_runs(group_rows)) // _MIN_LINES_PER_TILE)
        count = max(required, min(math.ceil(parts / len(groups)), useful))
        row_cuts = _cuts(group_rows, count, pitch=_pitch(group_rows)) if count > 1 else []
        columns_here = (_edges(column_cuts, gx1 - gx0, gx0) if column_cuts
                        else [((gx0, gx1), (own_gx0, own_gx1))])
        for band, ((y0, y1), (own_y0, own_y1)) in enumerate(_edges(row_cuts, height)):
            for (x0, x1), (own_x0, own_x1) in columns_here:
                tiles.append(Tile(x0, y0, x1, y1, max(own_x0, own_gx0), own_y0,
                                  min(own_x1, own_gx1), own_y1, group, band))
    return tiles


def single_line_box(pixels: GrayImage) -> tuple[int, int, int, int] | None:
    """When the image is one line of text, cropped close (a single run of text rows over
    at least 40 % of its height), the box to read it in, ``(x0, y0, x1, y1)`` with ends
    exclusive: the text with a margin of :data:`LINE_MARGIN` of its height. Else None.

    Read as a raw line (psm 13), the margins count: Tesseract scales the whole image to
    its line height and reads blank paper at the ends as marks (a leading ``_``). Half
    the text's height of margin takes a rendered Russian line from 0.14 % CER (psm 7)
    to 2.0 %; cut to this margin it reads at 0.07 %.
    """
    rows, columns = preprocess.edge_profiles(pixels)
    active = rows > _blank_level(rows)
    changes = np.flatnonzero(np.diff(np.concatenate([[0], active.view(np.int8), [0]])))
    if len(changes) < 2:
        return None
    # slivers (dots, descenders) belong to the line: span from first to last text row
    top, bottom = int(changes[0]), int(changes[-1])
    if len(text_runs(rows)) != 1 or bottom - top < 0.4 * pixels.shape[0]:
        return None
    # the ink, marks above capitals too (too few edges to count as text rows; the text
    # rows are among them); where every column has as many edges as the quietest ones
    # (a pattern), the whole width
    inked_rows = np.flatnonzero(rows > _paper_level(rows))
    inked_columns = np.flatnonzero(columns > _paper_level(columns))
    top, bottom = min(top, int(inked_rows[0])), max(bottom, int(inked_rows[-1]) + 1)
    left, right = ((int(inked_columns[0]), int(inked_columns[-1]) + 1) if len(inked_columns)
                   else (0, pixels.shape[1]))
    margin = round(LINE_MARGIN * (bottom - top))
    height, width = pixels.shape
    return (max(0, left - margin), max(0, top - margin),
            min(width, right + margin), min(height, bottom + margin))


def _edges(cuts: list[_Cut], length: int, start: int = 0) -> list[tuple[tuple[int, int], tuple[float, float]]]:
    """For cuts along an axis (at positions from ``start``, which ``length`` follows):
    each piece's (start, end) with overlap, and the range it owns."""
    bounds = [_Cut(start, 0), *cuts, _Cut(start + length, 0)]
    pieces = []
    for before, after in zip(bounds[:-1], bounds[1:]):
        lo = max(start, before.at - before.overlap)
        hi = min(start + length, after.at + after.overlap)
        own = (float(before.at) if before.at > start else -math.inf,
               float(after.at) if after.at < start + length else math.inf)
        pieces.append(((lo, hi), own))
    return pieces


def _blank_level(profile: npt.NDArray[np.uint32]) -> float:
    """The edge count below which a row is blank: just above the page's paper, which
    sets the floor (noise gives paper edges too)."""
    low, high = np.percentile(profile, [5, 90])
    return float(low + 0.05 * (high - low)) + 0.5


def _paper_level(profile: npt.NDArray[np.uint32]) -> float:
    """The edge count above which a row (or column) holds any ink at all: the paper's."""
    return float(np.percentile(profile, 5)) + 0.5


def text_runs(profile: npt.NDArray[np.uint32]) -> list[tuple[int, int]]:
    """(start, end) of the runs of non-blank rows at least half as tall as the typical
    run: text lines (the slivers of descenders and dots are left out).

    Typical is the median weighted by height, the height of the run holding the middle
    non-blank row: on one line the slivers above it (accents, the tops of tall letters)
    can outnumber it, and a plain median would then take a sliver for the line."""
    active = profile > _blank_level(profile)
    changes = np.flatnonzero(np.diff(np.concatenate([[0], active.view(np.int8), [0]])))
    runs = list(zip(changes[::2].tolist(), changes[1::2].tolist()))
    if not runs:
        return runs
    heights = np.sort([end - start for start, end in runs])
    rows_below = np.cumsum(heights)
    typical = float(heights[np.searchsorted(rows_below, rows_below[-1] / 2)])
    return [(start, end) for start, end in runs if end - start >= typical / 2]


def _pitch(profile: npt.NDArray[np.uint32]) -> int:
    """Distance between consecutive text lines (median), 64 px if it cannot be told."""
    starts = [start for start, _ in text_runs(profile)]
    if len(starts) < 3:
        return 64
    return int(max(8, np.median(np.diff(starts))))


def _cuts(profile: npt.NDArray[np.uint32], pieces: int, *, pitch: int) -> list[_Cut]:
    """``pieces - 1`` cuts near the even split points: the middle of the longest blank
    run within half a piece of each point (when it is a gap between lines, a fifth of
    the line pitch or more), else an overlapping cut at the quietest row."""
    length = len(profile)
    blank = profile <= _blank_level(profile)
    cuts: list[_Cut] = []
    for i in range(1, pieces):
        target = round(i * length / pieces)
        reach = max(1, length // (4 * pieces))
        lo, hi = max(1, target - reach), min(length - 1, target + reach)
        window = blank[lo:hi]
        runs = np.flatnonzero(np.diff(np.concatenate([[0], window.view(np.int8), [0]])))
        starts, ends = runs[::2], runs[1::2]
        longest = int(np.argmax(ends - starts)) if len(starts) else -1
        if longest >= 0 and ends[longest] - starts[longest] >= max(2, pitch // 5):
            cuts.append(_Cut(lo + (int(starts[longest]) + int(ends[longest])) // 2, 0))
        else:  # no gap between lines here (only slivers between descenders, if any)
            quietest = lo + int(np.argmin(profile[lo:hi]))
            cuts.append(_Cut(quietest, overlap=2 * pitch))
    return cuts


def _gutters(pixels: GrayImage, columns: npt.NDArray[np.uint32], *, pitch: int) -> list[_Cut]:
    """Blank column runs crossing the whole page, at least a line pitch wide (word
    spaces that happen to line up are narrower), away from the margins, with a column
    of several lines of text on each side."""
    width = len(columns)
    blank = columns <= _blank_level(columns)
    runs = np.flatnonzero(np.diff(np.concatenate([[0], blank.view(np.int8), [0]])))
    middles = [(int(start) + int(end)) // 2 for start, end in zip(runs[::2], runs[1::2])
               if end - start >= max(8, pitch) and 0.15 * width < (start + end) / 2 < 0.85 * width]
    edges = [0, *middles, width]
    for left, right in zip(edges[:-1], edges[1:]):
        rows = preprocess.edge_profiles(pixels[:, left:right])[0]
        if len(text_runs(rows)) < _MIN_LINES_PER_TILE:
            return []
    return [_Cut(middle, 0) for middle in middles]


def join_pieces(tiles: Sequence[Tile], pieces: Sequence[list[MappedLine]]) -> list[MappedLine]:
    """The tiles' lines in reading order, with block and paragraph numbers made unique
    across the page. The pieces of a line cut between the tiles of a band are put back
    together (by vertical overlap, words in x order). A paragraph cut by a band
    boundary is joined again: when the first line below the cut follows the last line
    above it at the paragraph's usual line pitch (at most 1.3x the median) and starts in
    the same place."""
    bands: dict[tuple[int, int], list[list[MappedLine]]] = {}
    for tile, piece in zip(tiles, pieces):
        bands.setdefault((tile.group, tile.band), []).append(piece)
    merged = [(group, _merge_band(band_pieces)) for (group, _), band_pieces in bands.items()]
    pitches = [_box(b)[1] - _box(a)[1] for _, piece in merged for a, b in zip(piece, piece[1:])
               if a[0].paragraph == b[0].paragraph]
    pitch = float(np.median(pitches)) if pitches else 0.0
    joined: list[MappedLine] = []
    previous_group = -1
    for group, piece in merged:
        if not piece:
            continue
        block_shift = max((raw.block for raw, _ in joined), default=-1) + 1
        paragraph_shift = max((raw.paragraph for raw, _ in joined), default=-1) + 1
        if joined and pitch > 0 and group == previous_group:
            above, below = _box(joined[-1]), _box(piece[0])
            if 0 < below[1] - above[1] <= 1.3 * pitch and abs(below[0] - above[0]) <= pitch / 2:
                block_shift = joined[-1][0].block - piece[0][0].block
                paragraph_shift = joined[-1][0].paragraph - piece[0][0].paragraph
        joined.extend((raw._replace(block=raw.block + block_shift,
                                    paragraph=raw.paragraph + paragraph_shift), boxes)
                      for raw, boxes in piece)
        previous_group = group
    return joined


def _merge_band(pieces: list[list[MappedLine]]) -> list[MappedLine]:
    """One band's lines; with several tiles across it, each line's pieces put together,
    top to bottom. Block and paragraph numbers are the leftmost tile's."""
    if len(pieces) == 1:
        return pieces[0]
    merged: list[tuple[list[tuple[int, MappedLine]], tuple[float, float]]] = []
    for index, piece in enumerate(pieces):
        for line in piece:
            x0, y0, x1, y1 = _box(line)
            for parts, (top, bottom) in merged:
                if min(bottom, y1) - max(top, y0) > 0.5 * min(bottom - top, y1 - y0):
                    parts.append((index, line))
                    break
            else:
                merged.append(([(index, line)], (y0, y1)))
    lines: list[MappedLine] = []
    for parts, _ in sorted(merged, key=lambda item: item[1][0]):
        first = min(parts, key=lambda part: part[0])[1][0]
        words = sorted(((word, box) for _, (raw, boxes) in parts for word, box in zip(raw.words, boxes)),
                       key=lambda pair: pair[1][0])
        lines.append((first._replace(words=[w for w, _ in words]), [b for _, b in words]))
    return lines


def _box(line: MappedLine) -> tuple[float, float, float, float]:
    boxes = line[1]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))
