"""OcrEngine: configuration, load_image, recognize. Wires the modules together and
owns no pixel code: image -> preprocess -> _tesseract -> result."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Literal, Sequence, Union

from . import _tesseract, pipeline, preprocess
from .errors import NoImageLoadedError
from .image import ImageSource, LoadedImage, load
from .result import OcrResult, build_result

__all__ = ["OcrEngine", "available_languages"]

DEFAULT_LANGUAGES = ("eng",)

Preprocessing = Union[Literal["auto"], None, Sequence[pipeline.Step]]
# Tesseract >= 5.2 re-reads a line inverted when its confidence is low; once the
# pipeline has fixed polarity that retry only costs time.
_NO_INVERSION_RETRY = {"invert_threshold": "0"}


def available_languages(tessdata: str | os.PathLike[str] | None = None) -> list[str]:
    """The language codes installed in the language-data folder ``ocr`` would use.

    Examples
    --------
    >>> "eng" in ocr.available_languages()
    True
    """
    return _tesseract.installed_languages(_tesseract.find_tessdata(tessdata))


def _pixel_cap(value: int | None, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int number of pixels or None, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1 pixel, got {value}")
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
    max_resolution, max_image_size : int, optional
        See :meth:`set_max_resolution` and :meth:`set_max_image_size`.
    preprocessing : "auto", None or list of steps
        See :meth:`set_preprocessing`; default ``"auto"``.

    Examples
    --------
    >>> engine = ocr.OcrEngine()
    >>> engine.set_languages(['eng', 'rus'])
    >>> engine.load_image("multilingual.png")
    >>> result = engine.recognize()
    >>> print(result.text)

    One Tesseract instance per language set is initialised once and reused for every
    image. ``recognize`` releases the GIL while Tesseract works; calls on one engine
    from several threads are serialised.
    """

    def __init__(self, languages: Sequence[str] | str | None = None, *,
                 tessdata: str | os.PathLike[str] | None = None,
                 max_resolution: int | None = None,
                 max_image_size: int | None = None,
                 preprocessing: Preprocessing = "auto") -> None:
        self._tessdata_arg = tessdata
        self._tessdata: Path | None = None
        self._languages: tuple[str, ...] | None = None
        self._preprocessing = _preprocessing(preprocessing)
        # one Tesseract instance per (language set, inversion retry on)
        self._apis: dict[tuple[tuple[str, ...], bool], _tesseract.TesseractApi] = {}
        self._apis_lock = threading.Lock()
        self._image: LoadedImage | None = None
        self._max_resolution = _pixel_cap(max_resolution, "max_resolution")
        self._max_image_size = _pixel_cap(max_image_size, "max_image_size")
        if languages is not None:
            self.set_languages(languages)

    # -- configuration -------------------------------------------------------------

    @property
    def tessdata(self) -> Path:
        """The language-data folder in use (located on first use)."""
        if self._tessdata is None:
            self._tessdata = _tesseract.find_tessdata(self._tessdata_arg)
        return self._tessdata

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
        _tesseract.check_languages(self.tessdata, codes)
        self._api(codes, self._inversion_retry)
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
        ``result.preprocessing`` reports what was applied, with the values used. When
        polarity is handled here (``"auto"``, or an :class:`~ocr.Invert` step),
        Tesseract's own retry of low-confidence lines inverted is switched off.
        """
        self._preprocessing = _preprocessing(mode)

    @property
    def _inversion_retry(self) -> bool:
        mode = self._preprocessing
        if mode == "auto":
            return False
        return mode is None or not any(isinstance(step, pipeline.Invert) for step in mode)

    @property
    def max_resolution(self) -> int | None:
        return self._max_resolution

    def set_max_resolution(self, pixels: int | None) -> None:
        """Cap the longer side of the image handed to the recognizer, in pixels.

        Larger images are shrunk (area averaging) just before recognition; the loaded
        image is kept as it is and boxes are reported in its coordinates. Shrinking a
        high-resolution scan trades a little accuracy on small print for speed.
        ``None`` (the default) removes the cap; Tesseract's own limit of 32767 px still
        applies. Example: ``engine.set_max_resolution(3000)``.
        """
        self._max_resolution = _pixel_cap(pixels, "max_resolution")

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
        self._max_image_size = _pixel_cap(pixels, "max_image_size")
        if self._image is not None:
            self._image = self._image.fit_within(self._max_image_size)

    # -- images and recognition ----------------------------------------------------

    def load_image(self, image: ImageSource) -> None:
        """Load the image to recognise next.

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
        """Recognise the loaded image (or load ``image`` first) and return the result."""
        if image is not None:
            self.load_image(image)
        loaded = self._image
        if loaded is None:
            raise NoImageLoadedError("no image to recognise: call load_image(...) first")
        languages, mode = self.languages, self._preprocessing
        api = self._api(languages, self._inversion_retry)
        cap = min(self._max_resolution or _tesseract.MAX_SIDE, _tesseract.MAX_SIDE)
        pixels = preprocess.fit_within(loaded.pixels, cap)
        to_original = pipeline.Affine.scale(loaded.size[0] / pixels.shape[1], loaded.size[1] / pixels.shape[0])
        applied: tuple[pipeline.Step, ...] = ()
        if mode is not None:
            run = pipeline.run_auto(pixels) if mode == "auto" else pipeline.run_steps(mode, pixels)
            pixels, applied, to_input = run
            to_original = to_input.then(to_original)
        if max(pixels.shape) > cap:  # a step enlarged it past the cap
            shrunk = preprocess.fit_within(pixels, cap)
            to_original = pipeline.Affine.scale(pixels.shape[1] / shrunk.shape[1],
                                                pixels.shape[0] / shrunk.shape[0]).then(to_original)
            pixels = shrunk
        dpi = round(loaded.dpi / to_original.a) if loaded.dpi and not to_original.b else None
        raw_lines = api.recognize(pixels, dpi)
        return build_result(raw_lines, languages=languages, size=loaded.size,
                            to_original=to_original, preprocessing=applied)

    def _api(self, languages: tuple[str, ...], inversion_retry: bool) -> _tesseract.TesseractApi:
        key = (languages, inversion_retry)
        with self._apis_lock:
            api = self._apis.get(key)
            if api is None:
                if languages == DEFAULT_LANGUAGES and self._languages is None:
                    _tesseract.check_languages(self.tessdata, languages)
                variables = None if inversion_retry else _NO_INVERSION_RETRY
                api = self._apis[key] = _tesseract.TesseractApi(self.tessdata, languages,
                                                                variables=variables)
            return api

    # -- lifetime --------------------------------------------------------------------

    def close(self) -> None:
        """Free the Tesseract instances (they are also freed with the engine)."""
        with self._apis_lock:
            apis, self._apis = self._apis, {}
        for api in apis.values():
            api.close()

    def __enter__(self) -> OcrEngine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (f"OcrEngine(languages={list(self.languages)!r}, "
                f"preprocessing={self._preprocessing!r}, "
                f"max_resolution={self._max_resolution}, max_image_size={self._max_image_size})")
