"""Preprocessing steps, and the automatic choice of them for each image.

A step is a frozen dataclass: configured by the caller (fields left ``None`` are
decided from the image), and reported on the result with every field filled in, so
``result.preprocessing`` says exactly what was done. :func:`run_auto` measures the
image and applies only the steps it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, Sequence, Union

import numpy as np
import numpy.typing as npt

from . import preprocess, tiling

__all__ = ["Invert", "Flatten", "Binarize", "Rescale", "Deskew", "Step", "Affine",
           "run_auto", "run_steps", "polarity_mask", "text_height", "skew_angle"]

GrayImage = npt.NDArray[np.uint8]

# A tile's spread between its 5th and 95th percentiles must exceed this to tell
# which side the ink is on; flatter tiles are empty paper (or solid ink).
_MIN_TILE_CONTRAST = 48
# Lighting that varies more than this across the page (darkest paper / lightest paper)
# defeats Tesseract's global Otsu threshold; below it flattening changes nothing useful.
_UNEVEN_LIGHTING = 0.15
# Median glyph height (px) the recognizer reads best per unit of time: below SMALL,
# glyphs are enlarged to TARGET; above LARGE, shrunk to TARGET. Measured with
# bench/accuracy.py: enlarging 15 px-em text to 14 px glyphs cut its CER from 0.34 % to
# 0.06 % at 1.6x the time (16 px: 0.09 % at 1.8x).
SMALL_TEXT, TARGET_TEXT, LARGE_TEXT = 9.0, 14.0, 24.0


@dataclass(frozen=True, slots=True)
class Invert:
    """Make light-on-dark text dark-on-light, in the regions where it is light-on-dark.

    Each ``block`` x ``block`` tile is classified by which side of its median its
    outliers lie on (ink is the minority of a text tile, whatever the lighting), tiles
    without text take the polarity of their neighbours, and isolated tiles follow the
    region around them. ``page=True`` inverts everything without looking. ``block``
    defaults to a thirtieth of the image's short side, and at least twice its text's
    height (24 to 96 px): ink is the minority only of tiles larger than the glyphs.
    """

    block: int | None = None
    page: bool = False
    fraction: float | None = None
    """Reported: the share of the page that was inverted."""


@dataclass(frozen=True, slots=True)
class Flatten:
    """Divide out uneven lighting: estimate the paper's brightness per ``block`` tile
    (its ``quantile``) and divide by it, interpolated; paper becomes white everywhere
    and the ink keeps its gray levels."""

    block: int | None = None
    quantile: float = 0.9
    variation: float | None = None
    """Reported: 1 - darkest / lightest paper before flattening."""


@dataclass(frozen=True, slots=True)
class Binarize:
    """Threshold to black and white: ``sauvola`` (adaptive), ``otsu`` or ``fixed``."""

    method: Literal["sauvola", "otsu", "fixed"] = "sauvola"
    level: int | None = None
    """The level for ``fixed``; reported for ``otsu``."""
    window: int | None = None
    """Sauvola's window; ``None``: about two glyph heights."""
    k: float = 0.2


@dataclass(frozen=True, slots=True)
class Rescale:
    """Resize the page: by ``factor``, or so that the median glyph is ``target`` px tall
    (area averaging to shrink, bicubic to enlarge)."""

    factor: float | None = None
    target: float = TARGET_TEXT
    text_height: float | None = None
    """Reported: the median glyph height measured before rescaling, in px."""


@dataclass(frozen=True, slots=True)
class Deskew:
    """Turn the page so its text lines are level: by ``angle`` degrees (counter-clockwise
    as displayed), or by the skew measured from the rows of glyphs, when at least
    ``min_angle`` and at most ``max_angle``."""

    angle: float | None = None
    min_angle: float = 0.3
    max_angle: float = 10.0
    skew: float | None = None
    """Reported: the skew measured (degrees, counter-clockwise)."""


Step = Union[Invert, Flatten, Binarize, Rescale, Deskew]


@dataclass(frozen=True, slots=True)
class Affine:
    """Maps points of a processed image back to the image before processing:
    ``(x, y) -> (a x + b y + c, d x + e y + f)``, in continuous pixel coordinates
    (pixel (i, j) covers [i, i + 1) x [j, j + 1))."""

    a: float = 1.0
    b: float = 0.0
    c: float = 0.0
    d: float = 0.0
    e: float = 1.0
    f: float = 0.0

    @staticmethod
    def scale(sx: float, sy: float) -> Affine:
        return Affine(a=sx, e=sy)

    @staticmethod
    def rotation(degrees: float, source: tuple[int, int], rotated: tuple[int, int]) -> Affine:
        """From an image turned by ``degrees`` (shape ``rotated``) back to ``source``."""
        radians = np.deg2rad(degrees)
        c, s = float(np.cos(radians)), float(np.sin(radians))
        (sh, sw), (rh, rw) = source, rotated
        return Affine(a=c, b=-s, c=sw / 2 - c * rw / 2 + s * rh / 2,
                      d=s, e=c, f=sh / 2 - s * rw / 2 - c * rh / 2)

    def then(self, outer: Affine) -> Affine:
        """This mapping followed by ``outer``."""
        return Affine(
            a=outer.a * self.a + outer.b * self.d, b=outer.a * self.b + outer.b * self.e,
            c=outer.a * self.c + outer.b * self.f + outer.c,
            d=outer.d * self.a + outer.e * self.d, e=outer.d * self.b + outer.e * self.e,
            f=outer.d * self.c + outer.e * self.f + outer.f)

    @staticmethod
    def translation(dx: float, dy: float) -> Affine:
        return Affine(c=dx, f=dy)

    def box(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """The axis-aligned box enclosing the image of ``(x0, y0, x1, y1)``."""
        x0, y0, x1, y1 = box
        xs = [self.a * x + self.b * y + self.c for x in (x0, x1) for y in (y0, y1)]
        ys = [self.d * x + self.e * y + self.f for x in (x0, x1) for y in (y0, y1)]
        return (min(xs), min(ys), max(xs), max(ys))


# -- measurements ---------------------------------------------------------------------------

def _default_block(pixels: GrayImage) -> int:
    """Tiles for polarity and paper: a thirtieth of the short side, and at least twice
    the text's height (from 24 to 96 px). A tile smaller than the text can lie on a bold
    glyph, mostly ink, which looks like light text on dark: bold 36 px lines were
    inverted in parts, one in eight."""
    block = min(pixels.shape) // 30
    runs = tiling.text_runs(preprocess.edge_profiles(pixels)[0])
    if runs:
        block = max(block, round(2 * float(np.median([end - start for start, end in runs]))))
    return int(np.clip(block, 24, 96))


_QUANTILES = (0.05, 0.1, 0.5, 0.9, 0.95)  # one pass over the tiles serves polarity and paper


def polarity_mask(pixels: GrayImage, block: int) -> npt.NDArray[np.bool_]:
    """Which ``block`` tiles hold light-on-dark content (True), by tile statistics."""
    return _polarity_from_quantiles(preprocess.block_percentiles(pixels, block, _QUANTILES))


def _polarity_from_quantiles(quantiles: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    low, _, mid, _, high = np.moveaxis(quantiles.astype(np.int16), 2, 0)
    dark_tail, light_tail = mid - low, high - mid
    votes = np.zeros(low.shape, np.int8)  # +1 dark ink, -1 light ink, 0 cannot tell
    decided = (high - low) >= _MIN_TILE_CONTRAST
    votes[decided & (dark_tail > 2 * light_tail)] = 1
    votes[decided & (light_tail > 2 * dark_tail)] = -1
    if not votes.any():
        return np.zeros(low.shape, bool)
    votes = _fill_undecided(votes, mid)
    return _drop_isolated(votes < 0)


_NEIGHBOURS = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx]


def _fill_undecided(votes: npt.NDArray[np.int8], level: npt.NDArray[np.int16]) -> npt.NDArray[np.int8]:
    """Give each undecided tile (blank paper, or solid ink) the polarity of the decided
    neighbour whose median level is closest to its own: a blank tile is background, and
    its brightness tells which region's background it is. Spreads until all are decided,
    through neighbours of a similar level before any other."""
    votes = votes.copy()
    h, w = votes.shape
    while not votes.all():
        pv = np.pad(votes, 1)
        pl = np.pad(level, 1)
        best = np.full(votes.shape, np.iinfo(np.int16).max, np.int16)
        choice = np.zeros(votes.shape, np.int8)
        for dy, dx in _NEIGHBOURS:
            nv = pv[1 + dy: 1 + dy + h, 1 + dx: 1 + dx + w]
            distance = np.where(nv != 0, np.abs(pl[1 + dy: 1 + dy + h, 1 + dx: 1 + dx + w] - level), best)
            closer = distance < best
            best = np.where(closer, distance, best)
            choice = np.where(closer, nv, choice)
        open_tiles = (votes == 0) & (choice != 0)
        fill = open_tiles & (best < _MIN_TILE_CONTRAST)  # a neighbour of the same background first
        if not fill.any():
            fill = open_tiles
            if not fill.any():
                break
        votes[fill] = choice[fill]
    return votes


def _drop_isolated(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """A tile whose 8 neighbours all disagree with it follows them (a stray decision)."""
    padded = np.pad(mask, 1, mode="edge").astype(np.int8)
    h, w = mask.shape
    same = sum((padded[1 + dy: 1 + dy + h, 1 + dx: 1 + dx + w] == mask)
               for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)
    return np.where(same == 0, ~mask, mask)


def glyph_boxes(pixels: GrayImage, *, even_lighting: bool = False) -> npt.NDArray[np.int64]:
    """Boxes (x0, y0, x1, y1, area) of the glyph-like connected components of dark ink.

    Ink is found with Sauvola, which copes with uneven lighting, or with Otsu's global
    threshold (6x cheaper) when ``even_lighting`` says the page is known to be even.
    Components too small (specks), too tall (rules, pictures) or too sparse (frames)
    are left out.
    """
    if even_lighting:
        binary = preprocess.threshold(pixels, preprocess.otsu_level(pixels))
    else:
        binary = preprocess.sauvola(pixels, window=int(np.clip(min(pixels.shape) // 20, 15, 61)) | 1)
    boxes = preprocess.component_boxes(np.equal(binary, 0).view(np.uint8))
    heights = boxes[:, 3] - boxes[:, 1]
    widths = boxes[:, 2] - boxes[:, 0]
    glyphs = ((heights >= 4) & (heights < pixels.shape[0] / 3) & (widths < 4 * heights)
              & (boxes[:, 4] >= 6) & (boxes[:, 4] >= 0.08 * heights * widths))
    found: npt.NDArray[np.int64] = boxes[glyphs]
    return found


def text_height(pixels: GrayImage, *, even_lighting: bool = False) -> float | None:
    """The median height of the glyphs (see :func:`glyph_boxes`), in px; ``None`` when
    the image shows fewer than 8 glyphs."""
    return _median_height(glyph_boxes(pixels, even_lighting=even_lighting))


def _median_height(glyphs: npt.NDArray[np.int64]) -> float | None:
    if len(glyphs) < 8:
        return None
    return float(np.median(glyphs[:, 3] - glyphs[:, 1]))


def skew_angle(glyphs: npt.NDArray[np.int64], *, max_angle: float = 10.0) -> float | None:
    """The angle (degrees, counter-clockwise as displayed) of the rows of glyphs.

    The bottom centre of each glyph (on the baseline, but for descenders) is projected
    onto the vertical at each candidate angle; the angle at which they pile up into the
    sharpest rows (the largest sum of squared counts per band a quarter of a glyph
    tall) is the skew: coarse steps of 0.2 degrees, then 0.02 around the best, taking
    the middle of the angles within 2 % of the sharpest. Measured on rendered pages
    turned by -4..6 degrees: within 0.013 degrees. ``None`` for fewer than 20 glyphs.
    """
    if len(glyphs) < 20:
        return None
    cx = (glyphs[:, 0] + glyphs[:, 2]) / 2.0
    cy = glyphs[:, 3].astype(np.float64)
    band = max(1.0, float(np.median(glyphs[:, 3] - glyphs[:, 1])) / 4)

    def sharpness(degrees: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        radians = np.deg2rad(degrees)[:, None]
        projected = cy[None, :] * np.cos(radians) + cx[None, :] * np.sin(radians)
        bins = np.floor((projected - projected.min(axis=1, keepdims=True)) / band).astype(np.int64)
        return np.array([float(np.square(np.bincount(row)).sum()) for row in bins])

    coarse = np.arange(-max_angle, max_angle + 1e-9, 0.2)
    best = float(coarse[np.argmax(sharpness(coarse))])
    fine = np.arange(best - 0.2, best + 0.2 + 1e-9, 0.02)
    score = sharpness(fine)
    return round(float(np.mean(fine[score >= 0.98 * score.max()])), 2)


def lighting_variation(background: npt.NDArray[np.float32]) -> float:
    """1 - darkest / lightest paper, from robust extremes of a background grid."""
    lightest = float(np.percentile(background, 98))
    darkest = float(np.percentile(background, 2))
    return 0.0 if lightest <= 0 else 1.0 - darkest / lightest


# -- applying steps ----------------------------------------------------------------------------

def _apply_invert(step: Invert, pixels: GrayImage,
                  mask: npt.NDArray[np.bool_] | None = None) -> tuple[GrayImage, Invert]:
    if step.page:
        return np.subtract(255, pixels, dtype=np.uint8), replace(step, fraction=1.0)
    block = step.block or _default_block(pixels)
    if mask is None:
        mask = polarity_mask(pixels, block)
    if not mask.any():
        return pixels, replace(step, block=block, fraction=0.0)
    out = preprocess.invert_blocks(pixels, mask, block)
    inverted = _refine_edges(pixels, out, mask, block)
    return out, replace(step, block=block, fraction=round(inverted / pixels.size, 4))


def _refine_edges(pixels: GrayImage, out: GrayImage, mask: npt.NDArray[np.bool_], block: int) -> int:
    """Move region edges from the tile grid to the pixel rows/columns where the
    background really changes; returns the number of pixels left inverted.

    In a tile on a horizontal edge of a region, each pixel row is measured over a span
    three tiles wide; from the side facing the other region, the rows up to the first
    blank row of the tile's own background change polarity. Tiles on a vertical edge
    are done column by column the same way.
    """
    h, w = pixels.shape
    padded = np.pad(mask, 1, mode="edge")
    facing = {"top": padded[:-2, 1:-1] != mask, "bottom": padded[2:, 1:-1] != mask,
              "left": padded[1:-1, :-2] != mask, "right": padded[1:-1, 2:] != mask}
    heights = np.diff(np.minimum(np.arange(mask.shape[0] + 1) * block, h))
    widths = np.diff(np.minimum(np.arange(mask.shape[1] + 1) * block, w))
    inverted = int((heights[:, None] * widths[None, :])[mask].sum())
    edge_tiles = facing["top"] | facing["bottom"] | facing["left"] | facing["right"]
    for by, bx in zip(*np.nonzero(edge_tiles)):
        y0, y1 = by * block, min((by + 1) * block, h)
        x0, x1 = bx * block, min((bx + 1) * block, w)
        tile = pixels[y0:y1, x0:x1]
        middle = (int(tile.min()) + int(tile.max())) / 2
        inside = bool(mask[by, bx])
        rows = np.full(tile.shape[0], inside)
        columns = np.full(tile.shape[1], inside)
        if facing["top"][by, bx] or facing["bottom"][by, bx]:
            dark = (pixels[y0:y1, max(0, x0 - block): min(w, x1 + block)] < middle).mean(axis=1)
            _claim_run(rows, dark, not inside, facing["top"][by, bx], facing["bottom"][by, bx])
        if facing["left"][by, bx] or facing["right"][by, bx]:
            dark = (pixels[max(0, y0 - block): min(h, y1 + block), x0:x1] < middle).mean(axis=0)
            _claim_run(columns, dark, not inside, facing["left"][by, bx], facing["right"][by, bx])
        # a pixel leaves the tile's region when its row or its column does
        state = (rows[:, None] & columns[None, :]) if inside else (rows[:, None] | columns[None, :])
        out[y0:y1, x0:x1] = np.where(state, 255 - tile, tile)
        inverted += int(state.sum()) - (tile.size if inside else 0)
    return inverted


def _claim_run(state: npt.NDArray[np.bool_], dark_share: npt.NDArray[np.float64], other: bool,
               from_start: bool, from_end: bool) -> None:
    """Move the edge into the tile from each facing end, when the lines there are mostly
    the other region's background: they go to the other region up to the first line
    that is purely this tile's own background (the blank line between text lines)."""
    own_background = dark_share >= 0.97 if not other else dark_share <= 0.03
    for start, share, blank in ((from_start, dark_share, own_background),
                                (from_end, dark_share[::-1], own_background[::-1])):
        if not start or not blank.any():
            continue
        facing_share = float(share[:5].mean())
        if (facing_share > 0.5) != other:  # the facing lines look like this tile's own region
            continue
        run = int(np.argmax(blank))
        if share is dark_share:
            state[:run] = other
        else:
            state[len(state) - run:] = other


def _flatten_block(pixels: GrayImage, height: float | None) -> int:
    # tiles a few glyphs tall always contain paper; without glyphs, from the page size
    return int(np.clip(round(4 * height), 16, 128)) if height else _default_block(pixels)


def _apply_flatten(step: Flatten, pixels: GrayImage, height: float | None = None) -> tuple[GrayImage, Flatten]:
    block = step.block or _flatten_block(pixels, height)
    background = preprocess.estimate_background(pixels, block, quantile=step.quantile)
    flat = preprocess.divide_background(pixels, background, block)
    return flat, replace(step, block=block, variation=round(lighting_variation(background), 3))


def _apply_binarize(step: Binarize, pixels: GrayImage, height: float | None = None) -> tuple[GrayImage, Binarize]:
    if step.method == "fixed":
        if step.level is None:
            raise ValueError("Binarize(method='fixed') needs a level")
        return preprocess.threshold(pixels, step.level), step
    if step.method == "otsu":
        level = preprocess.otsu_level(pixels)
        return preprocess.threshold(pixels, level), replace(step, level=level)
    if step.method != "sauvola":
        raise ValueError(f"unknown Binarize method {step.method!r}: use 'sauvola', 'otsu' or 'fixed'")
    window = step.window or (int(np.clip(round(2 * height), 15, 101)) | 1 if height else 31)
    return preprocess.sauvola(pixels, window=window, k=step.k), replace(step, window=window)


def _apply_rescale(step: Rescale, pixels: GrayImage, height: float | None) -> tuple[GrayImage, Rescale]:
    factor = step.factor
    if factor is None:
        if height is None:
            return pixels, step
        factor = step.target / height
    shape = (max(1, round(pixels.shape[0] * factor)), max(1, round(pixels.shape[1] * factor)))
    return preprocess.resize(pixels, shape), replace(step, factor=round(factor, 4), text_height=height)


def _apply_deskew(step: Deskew, pixels: GrayImage, glyphs: npt.NDArray[np.int64] | None) -> tuple[GrayImage, Deskew]:
    angle = step.angle
    if angle is None:
        if glyphs is None:
            glyphs = glyph_boxes(pixels)
        skew = skew_angle(glyphs, max_angle=step.max_angle)
        if skew is None or not step.min_angle <= abs(skew) <= step.max_angle:
            return pixels, replace(step, skew=skew, angle=0.0)
        step, angle = replace(step, skew=skew), -skew
    return preprocess.rotate(pixels, angle), replace(step, angle=angle)


def _transform(before: tuple[int, ...], after: GrayImage, step: Step) -> Affine:
    """How points of the image after ``step`` map back to the image before it."""
    if isinstance(step, Deskew) and step.angle:
        return Affine.rotation(step.angle, (before[0], before[1]), (after.shape[0], after.shape[1]))
    if after.shape != before:
        return Affine.scale(before[1] / after.shape[1], before[0] / after.shape[0])
    return Affine()


def run_steps(steps: Sequence[Step], pixels: GrayImage) -> tuple[GrayImage, tuple[Step, ...], Affine]:
    """Apply the caller's steps in order; return the pixels, the steps as applied, and
    the mapping from the result's coordinates back to the input's."""
    applied: list[Step] = []
    to_input = Affine()
    height: float | None = None
    measured = False
    for step in steps:
        needs_height = (isinstance(step, Rescale) and step.factor is None
                        or isinstance(step, Flatten) and step.block is None
                        or isinstance(step, Binarize) and step.method == "sauvola" and step.window is None)
        if needs_height and not measured:
            height, measured = text_height(pixels), True
        before = pixels.shape
        done: Step
        if isinstance(step, Invert):
            pixels, done = _apply_invert(step, pixels)
        elif isinstance(step, Flatten):
            pixels, done = _apply_flatten(step, pixels, height)
        elif isinstance(step, Binarize):
            pixels, done = _apply_binarize(step, pixels, height)
        elif isinstance(step, Rescale):
            pixels, rescaled = _apply_rescale(step, pixels, height)
            if height is not None and rescaled.factor is not None:
                height *= rescaled.factor
            done = rescaled
        elif isinstance(step, Deskew):
            pixels, done = _apply_deskew(step, pixels, None)
        else:
            raise TypeError(f"not a preprocessing step: {step!r}")
        to_input = _transform(before, pixels, done).then(to_input)
        applied.append(done)
    return pixels, tuple(applied), to_input


def run_auto(pixels: GrayImage) -> tuple[GrayImage, tuple[Step, ...], Affine]:
    """Measure the image and apply what it needs: polarity, lighting, skew, text size.

    One pass of tile quantiles gives both the polarity of each tile and the brightness
    of its paper (for a light-on-dark tile, 255 minus its dark quantile). The glyphs
    found once give both the text height and the skew. Polarity is always checked (and
    reported only when something was inverted), so the recognizer's own inversion retry
    can stay off. Returns the pixels, the steps applied, and the mapping from the
    result's coordinates back to the input's.
    """
    applied: list[Step] = []
    to_input = Affine()
    block = _default_block(pixels)
    quantiles = preprocess.block_percentiles(pixels, block, _QUANTILES)
    mask = _polarity_from_quantiles(quantiles)
    paper = np.where(mask, 255 - quantiles[:, :, 1].astype(np.int16), quantiles[:, :, 3])
    if mask.any():
        pixels, invert = _apply_invert(Invert(block=block), pixels, mask)
        applied.append(invert)
    background = preprocess.median3(paper.astype(np.float32))
    variation = lighting_variation(background)
    if variation > _UNEVEN_LIGHTING:
        pixels = preprocess.divide_background(pixels, background, block)
        applied.append(Flatten(block=block, variation=round(variation, 3)))
    glyphs = glyph_boxes(pixels, even_lighting=True)
    height = _median_height(glyphs)
    before = pixels.shape
    pixels, deskew = _apply_deskew(Deskew(), pixels, glyphs)
    if deskew.angle:
        applied.append(deskew)
        to_input = _transform(before, pixels, deskew)
    if height is not None and not SMALL_TEXT <= height <= LARGE_TEXT:
        before = pixels.shape
        pixels, rescale = _apply_rescale(Rescale(), pixels, height)
        applied.append(rescale)
        to_input = _transform(before, pixels, rescale).then(to_input)
    return pixels, tuple(applied), to_input
