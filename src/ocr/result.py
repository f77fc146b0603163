"""Recognition results: plain, frozen data.

Coordinates are pixels of the image as the caller passed it (origin top-left, ``x1``
and ``y1`` exclusive, like a PIL crop box), whatever scaling happened inside.
Confidences are in 0..1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from ._tesseract import RawLine
from .pipeline import Affine, Step

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

__all__ = ["Word", "Line", "OcrResult"]


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word and its box."""

    text: str
    x0: int
    y0: int
    x1: int
    y1: int
    confidence: float

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        """``(x0, y0, x1, y1)``."""
        return (self.x0, self.y0, self.x1, self.y1)


@dataclass(frozen=True, slots=True)
class Line:
    """One text line: its words in reading order, and where it belongs on the page."""

    words: tuple[Word, ...]
    confidence: float
    block: int
    """Index of the text block on the page, in reading order, from 0."""
    paragraph: int
    """Index of the paragraph on the page, in reading order, from 0."""

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        """The smallest box enclosing the line's words, ``(x0, y0, x1, y1)``."""
        words = self.words
        return (min(w.x0 for w in words), min(w.y0 for w in words),
                max(w.x1 for w in words), max(w.y1 for w in words))

    @property
    def x0(self) -> int:
        return self.bbox[0]

    @property
    def y0(self) -> int:
        return self.bbox[1]

    @property
    def x1(self) -> int:
        return self.bbox[2]

    @property
    def y1(self) -> int:
        return self.bbox[3]


@dataclass(frozen=True, slots=True)
class OcrResult:
    """What :meth:`ocr.OcrEngine.recognize` found on one image."""

    lines: tuple[Line, ...]
    languages: tuple[str, ...]
    """The languages the recognizer used, e.g. ``('eng', 'rus')``."""
    width: int
    height: int
    """Size of the image as the caller passed it."""
    preprocessing: tuple[Step, ...] = ()
    """The preprocessing steps applied, with the values they used (see ocr.pipeline).
    For a page too big to prepare whole, each tile's steps, in tile order."""
    tiles: int = 1
    """How many pieces the page was recognised in (see ocr.tiling)."""

    @property
    def text(self) -> str:
        """The text, one line per line, a blank line between paragraphs, no trailing newline."""
        parts: list[str] = []
        previous: Line | None = None
        for line in self.lines:
            if previous is not None:
                parts.append("\n\n" if line.paragraph != previous.paragraph else "\n")
            parts.append(line.text)
            previous = line
        return "".join(parts)

    @property
    def boxes(self) -> tuple[Word, ...]:
        """Every word with its box and confidence, in reading order."""
        return tuple(word for line in self.lines for word in line.words)

    @property
    def words(self) -> tuple[Word, ...]:
        """Same as :attr:`boxes`."""
        return self.boxes

    @property
    def confidence(self) -> list[float]:
        """One confidence (0..1) per word, in the order of :attr:`boxes`."""
        return [word.confidence for line in self.lines for word in line.words]

    @property
    def mean_confidence(self) -> float:
        """The average word confidence, 0.0 when nothing was found."""
        values = self.confidence
        return sum(values) / len(values) if values else 0.0

    @property
    def image_size(self) -> tuple[int, int]:
        """``(width, height)``."""
        return (self.width, self.height)

    def draw(self, image: object = None, *, text: bool = False) -> PILImage:
        """The page with word boxes coloured by confidence (red low, green high), on
        ``image`` (the one recognised) or on white paper; with ``text``, the words read.
        See :func:`ocr.draw.draw_boxes`."""
        from .draw import draw_boxes

        return draw_boxes(self, image, text=text)  # type: ignore[arg-type]


def map_lines(raw_lines: Iterable[RawLine], to_page: Affine, *,
              keep: Callable[[float, float], bool] | None = None,
              ) -> list[tuple[RawLine, list[tuple[float, float, float, float]]]]:
    """Tesseract's lines with their word boxes mapped by ``to_page``; with ``keep``,
    only the words whose centre it accepts (and the lines left with any)."""
    mapped = []
    for raw in raw_lines:
        pairs = [(word, to_page.box(word.box)) for word in raw.words]
        if keep is not None:
            pairs = [(w, b) for w, b in pairs if keep((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)]
        if pairs:
            mapped.append((raw._replace(words=[w for w, _ in pairs]), [b for _, b in pairs]))
    return mapped


def build_result(lines: Sequence[tuple[RawLine, list[tuple[float, float, float, float]]]], *,
                 languages: Sequence[str], size: tuple[int, int], to_original: Affine = Affine(),
                 preprocessing: tuple[Step, ...] = (), tiles: int = 1) -> OcrResult:
    """The result from mapped lines (see :func:`map_lines`): each box taken to the
    caller's image by ``to_original`` (scaling, rotation: the enclosing axis-aligned
    box), grown outward when rounding so it still encloses the word, clipped to the
    image."""
    width, height = size

    def box(mapped: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
        x0, y0, x1, y1 = to_original.box(mapped)
        return (min(max(math.floor(x0), 0), width), min(max(math.floor(y0), 0), height),
                min(max(math.ceil(x1), 0), width), min(max(math.ceil(y1), 0), height))

    result_lines = tuple(
        Line(
            words=tuple(Word(w.text, *box(b), _unit(w.confidence)) for w, b in zip(raw.words, boxes)),
            confidence=_unit(raw.confidence),
            block=raw.block,
            paragraph=raw.paragraph,
        )
        for raw, boxes in lines
    )
    return OcrResult(lines=result_lines, languages=tuple(languages), width=width, height=height,
                     preprocessing=preprocessing, tiles=tiles)


def _unit(percent: float) -> float:
    return min(max(percent / 100.0, 0.0), 1.0)
