"""ocr: fast, in-process OCR for Python.

>>> import ocr
>>> engine = ocr.OcrEngine()
>>> engine.set_languages(['eng', 'rus'])
>>> engine.load_image("multilingual.png")
>>> result = engine.recognize()
>>> result.text, result.confidence, result.boxes

Importing ``ocr`` does not load Tesseract; the first engine that needs it does.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ._tesseract import bundled_languages
from .draw import draw_boxes
from .engine import OcrEngine, available_languages
from .errors import (
    ImageLoadError,
    ImageNotFoundError,
    LanguageNotAvailableError,
    NoImageLoadedError,
    OcrError,
    RecognitionError,
    ResultFormatError,
    TessdataNotFoundError,
    UnsupportedImageTypeError,
)
from .pipeline import Binarize, Deskew, Flatten, Invert, Rescale
from .result import Line, OcrResult, Word

try:
    __version__ = version("ocr")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "OcrEngine",
    "OcrResult",
    "Line",
    "Word",
    "available_languages",
    "bundled_languages",
    "draw_boxes",
    "Invert",
    "Flatten",
    "Binarize",
    "Rescale",
    "Deskew",
    "OcrError",
    "ImageLoadError",
    "ImageNotFoundError",
    "UnsupportedImageTypeError",
    "LanguageNotAvailableError",
    "TessdataNotFoundError",
    "NoImageLoadedError",
    "RecognitionError",
    "ResultFormatError",
    "__version__",
]
