"""OcrEngine: configuration, load_image, recognize, recognize_many. Wires the modules
together and owns no pixel code: image -> preprocess/pipeline -> tiling -> _tesseract
-> result."""

from __future__ import annotations

import os
import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator, Literal, Sequence, Union

import numpy as np
import numpy.typing as npt

from . import _tesseract, pipeline, preprocess, tiling, word_choice
from .errors import NoImageLoadedError, OcrError
from .image import ImageSource, LoadedImage, load
from .result import OcrResult, build_result, map_lines

__all__ = ["OcrEngine", "available_languages"]

DEFAULT_LANGUAGES = ("eng",)

Preprocessing = Union[Literal["auto"], None, Sequence[pipeline.Step]]
# Tesseract >= 5.2 re-reads a line inverted when its confidence is low; once the
# pipeline has fixed polarity that retry only costs time.
_NO_INVERSION_RETRY = {"invert_threshold": "0"}
# Page segmentation modes (Tesseract's --psm) whose pages may be cut into bands.
_SPLITTABLE_PSM = {1, 3, 4, 6, 11, 12}
# A closely cropped line read as a raw line (psm 13) skips Tesseract's layout analysis:
# 30 % faster than psm 3 on a 1000x60 line, and on 282 line crops of the accuracy
# harness's pages 20 % fewer errors than psm 3 (bench/bench_throughput.py, line group).
_RAW_LINE = 13
_VALID_PSM = {1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}
# The most pixels one Tesseract call gets; bigger pages are read in tiles (memory).
TILE_PIXELS = 16_000_000


def available_languages(tessdata: str | os.PathLike[str] | None = None, *,
                        models: _tesseract.Models = "bundled") -> list[str]:
    """The language codes an engine with these settings can read.

    With ``models="bundled"`` (the default) the models shipped with ``ocr`` (``eng``,
    ``rus``) and the language-data folder's; with ``models="stock"`` the folder's only.

    Examples
    --------
    >>> "eng" in ocr.available_languages()
    True
    """
    return _tesseract.LanguageData(tessdata, models).languages()


def _positive(value: int | None, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int or None, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return value


def _preprocessing(mode: object) -> Preprocessing:
    if mode is None or mode == "auto":
        return mode
    if isinstance(mode, str) or not isinstance(mode, Sequence):
        raise ValueError(f"preprocessing must be 'auto', None or a list of steps, got {mode!r}")
    steps = tuple(mode)
    for step in steps:
        if not isinstance(step, (pipeline.Invert, pipeline.Flatten, pipeline.Binarize,
                                 pipeline.Rescale, pipeline.Deskew)):
            raise TypeError(f"not a preprocessing step: {step!r} (use ocr.Invert, ocr.Flatten, "
                            "ocr.Binarize, ocr.Rescale, ocr.Deskew)")
    return steps


def _language_codes(languages: Sequence[str] | str) -> tuple[str, ...]:
    if isinstance(languages, str):
        codes = languages.split("+")
    elif isinstance(languages, Sequence) and all(isinstance(c, str) for c in languages):
        codes = list(languages)
    else:
        raise TypeError(f"languages must be a list of codes like ['eng', 'rus'], got {languages!r}")
    codes = [code.strip() for code in codes]
    if not codes or not all(codes):
        raise ValueError(f"languages must name at least one language, got {languages!r}")
    return tuple(dict.fromkeys(codes))  # drop repeats, keep order: the first is primary


@dataclass(frozen=True, slots=True)
class _Settings:
    """What one recognition uses, taken at its start: changing the engine's settings
    from another thread meanwhile does not affect it."""

    languages: tuple[str, ...]
    preprocessing: Preprocessing
    max_resolution: int | None
    psm: int
    split_pages: bool
    fix_lookalikes: bool
    compare_languages: bool

    @property
    def inversion_retry(self) -> bool:
        mode = self.preprocessing
        if mode == "auto":
            return False
        return mode is None or not any(isinstance(step, pipeline.Invert) for step in mode)

    @property
    def pool_key(self) -> tuple[tuple[str, ...], bool, int]:
        return (self.languages, self.inversion_retry, self.psm)


class OcrEngine:
    """Recognise text in images, in-process, with Tesseract.

    Parameters
    ----------
    languages : list of str or str, optional
        Tesseract language codes (``['eng', 'rus']`` or ``'eng+rus'``); default ``eng``.
    tessdata : path, optional
        The folder holding ``*.traineddata``. Default: ``TESSDATA_PREFIX``, else the
        system locations (``/usr/share/tesseract-ocr/*/tessdata``, ``/usr/share/tessdata``,
        ``/usr/local/share/tessdata``, Homebrew, conda). Never the working directory.
        With the default ``models="bundled"``, ``eng`` and ``rus`` are still read with
        the bundled models; pass ``models="stock"`` to read them from this folder too.
    max_resolution, max_image_size : int, optional
        See :meth:`set_max_resolution` and :meth:`set_max_image_size`.
    preprocessing : "auto", None or list of steps
        See :meth:`set_preprocessing`; default ``"auto"``.
    workers : int, optional
        Threads for :meth:`recognize_many` and for the tiles of one page; default: the
        number of CPU cores.
    split_pages : bool
        See :meth:`set_split_pages`; default ``True``.
    psm : int
        Tesseract's page segmentation mode (as ``tesseract --psm``): 3 (default) finds
        columns and blocks, 6 takes one block, 7 one line, 8 one word, 11 sparse text...
    models : {"bundled", "stock"}
        ``"bundled"`` (default): the languages of the models shipped in the package
        (:func:`ocr.bundled_languages`: ``eng`` and ``rus``, fine-tuned from Tesseract's
        to read all of Latin-1, Latin Extended-A and Ǣ ǣ Ǽ ǽ, and the Cyrillic letters
        of the languages of Russia and its neighbours: Ŀ, Ҕ, Ә, Ї...) are read with them,
        even where no Tesseract language data is installed; every other language comes
        from ``tessdata``. ``"stock"``: every language from ``tessdata`` (Tesseract's own
        models, e.g. your own ``eng``); English reads faster with the stock ``eng``,
        whose network is smaller (src/ocr/models/MODELS.md).
    fix_lookalikes : bool
        See :meth:`set_fix_lookalikes`; default ``True``.
    compare_languages : bool
        See :meth:`set_compare_languages`; default ``True``.

    Examples
    --------
    >>> engine = ocr.OcrEngine()
    >>> engine.set_languages(['eng', 'rus'])
    >>> engine.load_image("multilingual.png")
    >>> result = engine.recognize()
    >>> print(result.text)

    Thread-safe: any number of threads may call ``recognize(image)`` on one engine at
    once; each recognition gets its own Tesseract instance from a pool (made on demand,
    kept for reuse, ~0.1 s each). ``load_image`` followed by ``recognize()`` keeps one
    current image per engine, for single-threaded use.
    """

    def __init__(self, languages: Sequence[str] | str | None = None, *,
                 tessdata: str | os.PathLike[str] | None = None,
                 max_resolution: int | None = None,
                 max_image_size: int | None = None,
                 preprocessing: Preprocessing = "auto",
                 workers: int | None = None,
                 split_pages: bool = True,
                 psm: int = 3,
                 models: _tesseract.Models = "bundled",
                 fix_lookalikes: bool = True,
                 compare_languages: bool = True) -> None:
        self._data = _tesseract.LanguageData(tessdata, models)
        self._languages: tuple[str, ...] | None = None
        self._preprocessing = _preprocessing(preprocessing)
        self._max_resolution = _positive(max_resolution, "max_resolution")
        self._max_image_size = _positive(max_image_size, "max_image_size")
        self._workers = _positive(workers, "workers") or os.cpu_count() or 1
        self._split_pages = bool(split_pages)
        if psm not in _VALID_PSM:
            raise ValueError(f"psm must be one of {sorted(_VALID_PSM)}, got {psm!r}")
        self._psm = psm
        self._fix_lookalikes = bool(fix_lookalikes)
        self._compare_languages = bool(compare_languages)
        self._image: LoadedImage | None = None
        self._pools: dict[tuple[tuple[str, ...], bool, int], _tesseract.ApiPool] = {}
        self._lock = threading.Lock()
        self._executors: dict[str, ThreadPoolExecutor] = {}
        if languages is not None:
            self.set_languages(languages)

    # -- configuration -------------------------------------------------------------

    @property
    def tessdata(self) -> Path:
        """The language-data folder (located on first use); with ``models="bundled"``,
        the bundled languages are read from the package instead."""
        return self._data.folder

    @property
    def models(self) -> str:
        """``"bundled"`` or ``"stock"``: see the ``models`` parameter."""
        return self._data.models

    @property
    def languages(self) -> tuple[str, ...]:
        """The language codes recognition uses, the primary one first."""
        return self._languages or DEFAULT_LANGUAGES

    def set_languages(self, languages: Sequence[str] | str) -> None:
        """Choose the languages to recognise, e.g. ``['eng', 'rus']`` or ``'eng+rus'``.

        Raises :class:`~ocr.LanguageNotAvailableError` naming any code without an
        installed model, the installed ones, and the package that provides it. The
        models are loaded here, once, so the next ``recognize()`` starts at once.
        """
        codes = _language_codes(languages)
        self._pool(self._settings(codes))
        self._languages = codes

    @property
    def preprocessing(self) -> Preprocessing:
        return self._preprocessing

    def set_preprocessing(self, mode: Preprocessing) -> None:
        """Choose how images are prepared for the recognizer.

        ``"auto"`` (the default) measures each image and applies only what it needs:
        light-on-dark regions are inverted, uneven lighting is divided out, text smaller
        than about 9 px or larger than 24 px (median glyph height) is rescaled to 14 px,
        and a page skewed by 0.3 to 10 degrees is turned level.
        ``None`` hands the gray image over untouched. A list of steps applies exactly
        those, in order, e.g. ``[ocr.Flatten(), ocr.Binarize("sauvola", window=31)]``.
        With ``"auto"`` and the default ``psm=3``, an image that is one closely cropped
        text line is read as a raw line (``psm=13``), cut to a margin of 15 % of its
        height (Tesseract reads wider blank margins as marks there): faster, and no less
        accurate.
        ``result.preprocessing`` reports what was applied, with the values used. When
        polarity is handled here (``"auto"``, or an :class:`~ocr.Invert` step),
        Tesseract's own retry of low-confidence lines inverted is switched off.
        """
        self._preprocessing = _preprocessing(mode)

    @property
    def workers(self) -> int:
        return self._workers

    @property
    def split_pages(self) -> bool:
        return self._split_pages

    def set_split_pages(self, enabled: bool) -> None:
        """Whether a page of enough text (12 lines or more per piece) is cut into up to
        ``workers`` pieces recognised in parallel, between text lines or columns, so that
        it returns sooner. On by default. The cut depends only on the image and the
        settings, so the same image gives the same result however busy the machine is;
        Tesseract's paragraph finding sees less context per piece, and a paragraph cut
        in two is joined again by its line spacing. Pages too big for one Tesseract call
        are always read in tiles."""
        self._split_pages = bool(enabled)

    @property
    def fix_lookalikes(self) -> bool:
        return self._fix_lookalikes

    def set_fix_lookalikes(self, enabled: bool) -> None:
        """Whether each word is put in one script where Latin and Cyrillic letters look
        alike (:mod:`ocr.lookalikes`): ``Пpивeт`` read with Latin p and e becomes
        ``Привет``, a Russian ``а`` read as Latin between Russian words becomes Cyrillic.
        On by default; a line without Cyrillic letters is never changed."""
        self._fix_lookalikes = bool(enabled)

    @property
    def compare_languages(self) -> bool:
        return self._compare_languages

    def set_compare_languages(self, enabled: bool) -> None:
        """Whether a page read with languages of both scripts (``eng+rus``) whose
        reading has Latin and Cyrillic words is read again with each language alone,
        each word keeping the best of the readings (:mod:`ocr.word_choice`): Tesseract
        lets ``rus`` read ``POWER`` among Russian words as ``РОМЕК`` without asking
        ``eng``. On by default; such pages take about 1.8 times as long with 2 workers
        (the readings run side by side), pages in one script no longer."""
        self._compare_languages = bool(enabled)

    @property
    def psm(self) -> int:
        return self._psm

    @property
    def max_resolution(self) -> int | None:
        return self._max_resolution

    def set_max_resolution(self, pixels: int | None) -> None:
        """Cap the longer side of the image handed to the recognizer, in pixels.

        Larger images are shrunk (area averaging) just before recognition; the loaded
        image is kept as it is and boxes are reported in its coordinates. Shrinking a
        high-resolution scan trades a little accuracy on small print for speed.
        ``None`` (the default) removes the cap. Pages beyond Tesseract's own limit
        (32767 px a side) are read in tiles. Example: ``engine.set_max_resolution(3000)``.
        """
        self._max_resolution = _positive(pixels, "max_resolution")

    @property
    def max_image_size(self) -> int | None:
        return self._max_image_size

    def set_max_image_size(self, pixels: int | None) -> None:
        """Cap the longer side of the image kept in memory by ``load_image``, in pixels.

        Larger images are shrunk as they are decoded (JPEGs at a reduced DCT scale, so
        their full-size pixels never exist; other formats right after decoding, and the
        full-size pixels are freed). Applies to the image already loaded, too. It bounds
        memory; boxes are still reported in the coordinates of the image as passed.
        ``None`` (the default) removes the cap. Example: ``engine.set_max_image_size(2000)``.
        """
        self._max_image_size = _positive(pixels, "max_image_size")
        if self._image is not None:
            self._image = self._image.fit_within(self._max_image_size)

    def _settings(self, languages: tuple[str, ...] | None = None) -> _Settings:
        return _Settings(languages or self.languages, self._preprocessing, self._max_resolution,
                         self._psm, self._split_pages, self._fix_lookalikes,
                         self._compare_languages)

    # -- images and recognition ----------------------------------------------------

    def load_image(self, image: ImageSource) -> None:
        """Load the image that ``recognize()`` will read.

        ``image`` may be a path (``str`` or ``os.PathLike``), encoded image bytes
        (``bytes``, ``bytearray``, ``memoryview``), a file object open in binary mode, a
        ``PIL.Image.Image`` of any mode, or a numpy array (``(H, W)`` gray, ``(H, W, 3)``
        RGB, ``(H, W, 4)`` RGBA, uint8; other dtypes by their usual scale). Multi-frame
        files (TIFF, GIF) give their first frame. Files are turned upright by their EXIF
        orientation.

        Raises :class:`~ocr.ImageNotFoundError` (a ``FileNotFoundError``) for a missing
        path, :class:`~ocr.ImageLoadError` (a ``ValueError``) for data that is not a
        readable image, is empty, or exceeds Pillow's decompression-bomb limit
        (``PIL.Image.MAX_IMAGE_PIXELS``), and :class:`~ocr.UnsupportedImageTypeError` (a
        ``TypeError``) for other objects. The previously loaded image stays loaded when
        loading fails.
        """
        self._image = load(image, max_side=self._max_image_size)

    def recognize(self, image: ImageSource | None = None) -> OcrResult:
        """Recognise the loaded image, or ``image`` (which does not replace the loaded
        one, so that threads can share the engine). Accepts what :meth:`load_image` does."""
        if image is None:
            if self._image is None:
                raise NoImageLoadedError("no image to recognise: call load_image(...) first, "
                                         "or pass the image to recognize()")
            loaded = self._image
        else:
            loaded = load(image, max_side=self._max_image_size)
        return self._recognize(loaded, self._settings())

    def recognize_many(self, images: Iterable[ImageSource], *, workers: int | None = None,
                       return_exceptions: bool = True) -> Iterator[OcrResult | OcrError]:
        """Recognise many images in parallel; yield their results in input order.

        ``workers`` threads (default: the engine's, one per core) each take the next
        image; at most twice that many are decoded ahead, so memory stays bounded
        however long ``images`` is. An image that cannot be read or recognised yields
        its :class:`~ocr.OcrError` in its place (the batch goes on), or, with
        ``return_exceptions=False``, raises it and stops.

        >>> for path, result in zip(paths, engine.recognize_many(paths)):
        ...     if isinstance(result, ocr.OcrError):
        ...         print(path, "failed:", result)
        """
        settings = self._settings()
        count = _positive(workers, "workers") or self._workers
        self._pool(settings)  # errors in the configuration surface here, not per image

        def job(source: ImageSource) -> OcrResult:
            return self._recognize(load(source, max_side=self._max_image_size), settings)

        executor = ThreadPoolExecutor(max_workers=count, thread_name_prefix="ocr-page")
        pending: deque[Future[OcrResult]] = deque()
        sources = iter(images)
        try:
            for source in sources:
                pending.append(executor.submit(job, source))
                if len(pending) >= 2 * count:
                    break
            while pending:
                future = pending.popleft()
                try:
                    result: OcrResult | OcrError = future.result()
                except OcrError as error:
                    if not return_exceptions:
                        raise
                    result = error
                for source in sources:  # keep the queue full
                    pending.append(executor.submit(job, source))
                    break
                yield result
        finally:
            executor.shutdown(wait=True, cancel_futures=True)

    # -- the work ---------------------------------------------------------------------

    def _recognize(self, loaded: LoadedImage, settings: _Settings) -> OcrResult:
        pool = self._pool(settings)
        pixels = preprocess.fit_within(loaded.pixels, settings.max_resolution)
        to_original = pipeline.Affine.scale(loaded.size[0] / pixels.shape[1],
                                            loaded.size[1] / pixels.shape[0])
        job = _Job(settings, pool, loaded, to_original)
        if _too_big(pixels):
            # too big to prepare whole: cut first, then prepare and read each tile alone
            tiles = tiling.plan_tiles(pixels, parts=self._workers, max_pixels=TILE_PIXELS)
            return self._read_tiles(job, pixels, tiles, prepare_each=True)
        applied: tuple[pipeline.Step, ...] = ()
        if settings.preprocessing is not None:
            pixels, applied, to_input = (
                pipeline.run_auto(pixels) if settings.preprocessing == "auto"
                else pipeline.run_steps(settings.preprocessing, pixels))
            job = job.after(to_input)
            if settings.max_resolution and max(pixels.shape) > settings.max_resolution:
                shrunk = preprocess.fit_within(pixels, settings.max_resolution)
                job = job.after(pipeline.Affine.scale(pixels.shape[1] / shrunk.shape[1],
                                                      pixels.shape[0] / shrunk.shape[0]))
                pixels = shrunk
        line = (tiling.single_line_box(pixels)
                if settings.psm == 3 and settings.preprocessing == "auto" else None)
        if line is not None:
            x0, y0, x1, y1 = line
            pixels = np.ascontiguousarray(pixels[y0:y1, x0:x1])
            settings = replace(settings, psm=_RAW_LINE)
            job = _Job(settings, self._pool(settings), job.loaded,
                       job.to_original).after(pipeline.Affine.translation(x0, y0))
        split = settings.split_pages and self._workers > 1 and settings.psm in _SPLITTABLE_PSM
        if split or _too_big(pixels):
            tiles = tiling.plan_tiles(pixels, parts=self._workers if split else 1,
                                      max_pixels=TILE_PIXELS)
            if len(tiles) > 1:
                return self._read_tiles(job, pixels, tiles, prepare_each=False, applied=applied)
        raw = self._read(job, pixels, job.dpi(pipeline.Affine()))
        return build_result(map_lines(raw, pipeline.Affine()), languages=settings.languages,
                            size=loaded.size, to_original=job.to_original, preprocessing=applied,
                            fix_lookalikes=settings.fix_lookalikes)

    def _read_tiles(self, job: _Job, pixels: npt.NDArray[np.uint8], tiles: list[tiling.Tile], *,
                    prepare_each: bool, applied: tuple[pipeline.Step, ...] = ()) -> OcrResult:
        """Recognise tiles of ``pixels`` in parallel and merge their lines in order."""
        settings = job.settings

        def read(tile: tiling.Tile) -> tuple[list[_tesseract.RawLine], pipeline.Affine, tuple[pipeline.Step, ...]]:
            piece = pixels[tile.y0:tile.y1, tile.x0:tile.x1]
            to_tile = pipeline.Affine()
            steps: tuple[pipeline.Step, ...] = ()
            if prepare_each and settings.preprocessing is not None:
                piece, steps, to_tile = (
                    pipeline.run_auto(piece) if settings.preprocessing == "auto"
                    else pipeline.run_steps(settings.preprocessing, piece))
            to_page = to_tile.then(pipeline.Affine.translation(tile.x0, tile.y0))
            raw = self._read(job, np.ascontiguousarray(piece), job.dpi(to_page))
            return raw, to_page, steps

        outcomes = list(self._executor("tile").map(read, tiles))
        pieces = [map_lines(raw, to_page, keep=tile.owns) for tile, (raw, to_page, _) in zip(tiles, outcomes)]
        lines = tiling.join_pieces(tiles, pieces)
        all_steps = [*applied, *(step for _, _, steps in outcomes for step in steps)]
        return build_result(lines, languages=settings.languages, size=job.loaded.size,
                            to_original=job.to_original, preprocessing=tuple(all_steps), tiles=len(tiles),
                            fix_lookalikes=settings.fix_lookalikes)

    def _read(self, job: _Job, pixels: npt.NDArray[np.uint8], dpi: int | None) -> list[_tesseract.RawLine]:
        """Tesseract's reading of ``pixels``; on a page of two scripts, each word the
        best of it and each language's own reading (:meth:`set_compare_languages`)."""
        with job.pool.lend() as api:
            raw = api.recognize(pixels, dpi)
        languages = job.settings.languages
        if (not job.settings.compare_languages or len(languages) < 2
                or not word_choice.mixes_scripts(raw)):
            return raw

        def read_alone(language: str) -> list[_tesseract.RawLine]:
            with self._pool(replace(job.settings, languages=(language,))).lend() as api:
                return api.recognize(pixels, dpi)

        # the readings are independent and Tesseract reads without the GIL: side by side
        readings = (list(self._executor("language").map(read_alone, languages))
                    if self._workers > 1 else [read_alone(language) for language in languages])
        return word_choice.choose_words(raw, readings)

    def _executor(self, purpose: Literal["tile", "language"]) -> ThreadPoolExecutor:
        """Threads of one purpose, ``workers`` of them; one pool per purpose, since a
        tile's thread waits for its language readings."""
        with self._lock:
            executor = self._executors.get(purpose)
            if executor is None:
                executor = self._executors[purpose] = ThreadPoolExecutor(
                    max_workers=self._workers, thread_name_prefix=f"ocr-{purpose}")
            return executor

    def _pool(self, settings: _Settings) -> _tesseract.ApiPool:
        key = settings.pool_key
        with self._lock:
            pool = self._pools.get(key)
        if pool is not None:
            return pool
        datapath = self._data.datapath(settings.languages)  # checks every code
        variables = None if settings.inversion_retry else _NO_INVERSION_RETRY
        made = _tesseract.ApiPool(datapath, settings.languages, psm=settings.psm,
                                  variables=variables)
        with self._lock:
            pool = self._pools.setdefault(key, made)
        if pool is not made:  # another thread made one meanwhile
            made.close()
        return pool

    # -- lifetime --------------------------------------------------------------------

    def close(self) -> None:
        """Free the Tesseract instances and threads (they are also freed with the engine)."""
        with self._lock:
            pools, self._pools = self._pools, {}
            executors, self._executors = self._executors, {}
        for executor in executors.values():
            executor.shutdown(wait=True)
        for pool in pools.values():
            pool.close()

    def __enter__(self) -> OcrEngine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (f"OcrEngine(languages={list(self.languages)!r}, models={self.models!r}, "
                f"preprocessing={self._preprocessing!r}, workers={self._workers}, "
                f"max_resolution={self._max_resolution}, max_image_size={self._max_image_size})")


def _too_big(pixels: npt.NDArray[np.uint8]) -> bool:
    """More than one Tesseract call should take (its side limit, or memory)."""
    return max(pixels.shape) > _tesseract.MAX_SIDE or pixels.size > TILE_PIXELS


@dataclass(frozen=True, slots=True)
class _Job:
    """One recognition: its settings, pool and image, and how the pixels being read
    map back to the caller's image."""

    settings: _Settings
    pool: _tesseract.ApiPool
    loaded: LoadedImage
    to_original: pipeline.Affine

    def after(self, to_previous: pipeline.Affine) -> _Job:
        """The same job, reading pixels that ``to_previous`` maps to the current ones."""
        return _Job(self.settings, self.pool, self.loaded, to_previous.then(self.to_original))

    def dpi(self, to_current: pipeline.Affine) -> int | None:
        """The resolution of pixels that ``to_current`` maps to the current ones, when the
        file declared one (none through a rotation)."""
        full = to_current.then(self.to_original)
        if not self.loaded.dpi or full.b or full.d:
            return None
        return max(1, round(self.loaded.dpi / full.a))
