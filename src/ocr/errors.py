"""The exceptions ``ocr`` raises.

Every error derives from :class:`OcrError`; each leaf also derives from the builtin
exception a caller would naturally catch, so ``except FileNotFoundError`` or
``except ValueError`` keep working for code written against other libraries.
"""

from __future__ import annotations

__all__ = [
    "OcrError",
    "ImageLoadError",
    "ImageNotFoundError",
    "UnsupportedImageTypeError",
    "LanguageNotAvailableError",
    "TessdataNotFoundError",
    "NoImageLoadedError",
    "RecognitionError",
    "ResultFormatError",
    "ModelFormatError",
]


class OcrError(Exception):
    """Base class of every error raised by ``ocr``."""


class ImageLoadError(OcrError, ValueError):
    """The input could not be decoded into an image (corrupt, truncated, empty, too big)."""


class ImageNotFoundError(OcrError, FileNotFoundError):
    """The image path does not exist."""


class UnsupportedImageTypeError(OcrError, TypeError):
    """``load_image`` was given an object it cannot read an image from."""


class LanguageNotAvailableError(OcrError, LookupError):
    """A requested language has no model in the language-data folder."""


class TessdataNotFoundError(OcrError, FileNotFoundError):
    """No Tesseract language-data folder could be found."""


class NoImageLoadedError(OcrError, RuntimeError):
    """``recognize()`` was called before ``load_image()``."""


class RecognitionError(OcrError, RuntimeError):
    """Tesseract failed while initialising or recognising."""


class ResultFormatError(OcrError, ValueError):
    """``OcrResult.from_dict``/``from_json`` got data that is not a result it can read:
    an unknown schema version, a missing or unexpected key, a value of the wrong type."""


class ModelFormatError(OcrError, ValueError):
    """A traineddata file or LSTM model is malformed, or uses a layout ``ocr.training``
    does not read (big-endian, pre-4.0 float weights, a TensorFlow network)."""
