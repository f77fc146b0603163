"""Recognition results: plain, frozen data, and their exports.

Coordinates are pixels of the image as the caller passed it (origin top-left, ``x1``
and ``y1`` exclusive, like a PIL crop box), whatever scaling happened inside.
Confidences are in 0..1. The exports (dict/JSON, hOCR, TSV, ALTO) are methods of
:class:`OcrResult`, written by the private module ``ocr._exports``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from ._tesseract import RawLine
from .lookalikes import fix_line
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
    # -- exports (ocr._exports writes them; imported on first use) -----------------------

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON-compatible data, in the versioned schema
        ``"ocr.result/1"``; :meth:`from_dict` rebuilds an equal result.

        Keys (every one always present)::

            schema         "ocr.result/1"
            text           str: as OcrResult.text
            languages      [str]: Tesseract codes, e.g. ["eng", "rus"]
            width, height  int: size of the image as passed in, pixels
            tiles          int: pieces the page was recognised in
            preprocessing  [{"step": "Invert" | "Flatten" | "Binarize" | "Rescale" | "Deskew",
                             ...every field of that step (see ocr.pipeline), null if None}]
            lines          [{text: str, bbox: [x0, y0, x1, y1], confidence: float 0..1,
                             block: int, paragraph: int (page-wide indices from 0),
                             words: [{text: str, bbox: [x0, y0, x1, y1], confidence: float 0..1}]}]

        Boxes are in the pixels of the image as passed in, origin top-left, ``x1``/``y1``
        exclusive. ``text`` and each line's ``text`` and ``bbox`` are derived from the
        words, for readers that want them without recomputing.

        Examples
        --------
        >>> result = ocr.OcrEngine().recognize("examples/multilingual.png")
        >>> data = result.to_dict()
        >>> data["lines"][0]["words"][0]
        {'text': 'Hello,', 'bbox': [43, 47, 139, 79], 'confidence': 0.9675302124023437}
        >>> ocr.OcrResult.from_dict(data) == result
        True
        """
        from ._exports import to_dict
        return to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OcrResult:
        """The result that :meth:`to_dict` wrote (see there for the schema).

        The derived keys (``text``, each line's ``text`` and ``bbox``) may be left out;
        when present they must agree with the words. Step fields left out take their
        defaults.

        Raises
        ------
        ocr.ResultFormatError
            (a ``ValueError``) when ``schema`` is missing or not ``"ocr.result/1"``, a
            key is missing or unexpected, or a value has the wrong type or range; the
            message names the key, e.g. ``lines[2].words[0].bbox``.
        """
        from ._exports import from_dict
        return from_dict(data)

    def to_json(self, indent: int | str | None = None) -> str:
        """:meth:`to_dict` as JSON text (UTF-8 characters as they are, not escaped);
        ``indent`` as in :func:`json.dumps`. :meth:`from_json` reads it back."""
        from ._exports import to_json
        return to_json(self, indent)

    @classmethod
    def from_json(cls, text: str | bytes | bytearray) -> OcrResult:
        """The result that :meth:`to_json` wrote; invalid JSON, or JSON that is not a
        result, raises :class:`ocr.ResultFormatError` (see :meth:`from_dict`)."""
        from ._exports import from_json
        return from_json(text)

    def to_hocr(self) -> str:
        """The result as an hOCR 1.2 document (XHTML), for hOCR tools.

        ``ocr_page`` (``bbox 0 0 width height``) > ``ocr_carea`` per block > ``ocr_par``
        per paragraph > ``ocr_line`` > ``ocrx_word`` with ``bbox`` and ``x_wconf`` (the
        confidence in percent, rounded to an integer), ids and nesting as Tesseract
        writes them. ``ocr_par`` carries ``lang`` when the result used one language
        (which language each paragraph is in is not known with several). The page has
        no ``image`` property: the result does not know the file. Text is escaped; the
        few characters XML cannot hold at all (control characters) become U+FFFD. Write
        it as UTF-8, as its XML declaration says.
        """
        from ._exports import to_hocr
        return to_hocr(self)

    def to_tsv(self, *, page_num: int = 1, header: bool = True) -> str:
        """The result in Tesseract's TSV format (``tesseract image out tsv``).

        Columns ``level page_num block_num par_num line_num word_num left top width
        height conf text``; one row per page (level 1), block (2), paragraph (3), line
        (4) and word (5), numbered from 1 as Tesseract does (paragraphs within their
        block, lines within their paragraph, words within their line); ``conf`` is -1
        except for words, whose confidence is in percent with six decimals. Tabs and
        line breaks within a word become spaces. ``page_num`` and ``header=False`` let
        the pages of a document be concatenated under one header, as the CLI does.
        """
        from ._exports import to_tsv
        return to_tsv(self, page_num=page_num, header=header)

    def to_alto(self) -> str:
        """The result as ALTO XML v4 (valid against the ALTO 4.4 schema), measured in
        pixels.

        ``Page`` > ``PrintSpace`` > ``ComposedBlock`` per block > ``TextBlock`` per
        paragraph > ``TextLine`` > ``String`` (``CONTENT``, box, ``WC`` the confidence
        in 0..1 with two decimals) with an ``SP`` between words, as Tesseract nests
        them. ``Description`` lists each preprocessing step applied and the recognition
        as ``Processing`` entries, which the ``Page`` refers to. Control characters,
        which XML cannot hold, become U+FFFD. Write it as UTF-8.
        """
        from ._exports import to_alto
        return to_alto(self)


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
                 preprocessing: tuple[Step, ...] = (), tiles: int = 1,
                 fix_lookalikes: bool = False) -> OcrResult:
    """The result from mapped lines (see :func:`map_lines`): each box taken to the
    caller's image by ``to_original`` (scaling, rotation: the enclosing axis-aligned
    box), grown outward when rounding so it still encloses the word, clipped to the
    image; with ``fix_lookalikes``, each line's words put in one script
    (:func:`ocr.lookalikes.fix_line`)."""
    width, height = size

    def box(mapped: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
        x0, y0, x1, y1 = to_original.box(mapped)
        return (min(max(math.floor(x0), 0), width), min(max(math.floor(y0), 0), height),
                min(max(math.ceil(x1), 0), width), min(max(math.ceil(y1), 0), height))

    def texts(raw: RawLine) -> list[str]:
        plain = [w.text for w in raw.words]
        return fix_line(plain) if fix_lookalikes else plain

    result_lines = tuple(
        Line(
            words=tuple(Word(text, *box(b), _unit(w.confidence))
                        for text, w, b in zip(texts(raw), raw.words, boxes)),
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
