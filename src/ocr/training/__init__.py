"""Tesseract model files: traineddata containers and the LSTM recognizer inside them.

Read a traineddata file into its components (:func:`read_traineddata`), replace or
extract one, and write it back byte for byte. Pure Python; no Tesseract needed.

>>> from ocr.training import read_traineddata
>>> eng = read_traineddata("/usr/share/tesseract-ocr/5/tessdata/eng.traineddata")
>>> eng["lstm-unicharset"][:4]
b'112\n'
"""

from __future__ import annotations

from ..errors import ModelFormatError
from .traineddata import COMPONENT_NAMES, TrainedData, component_for_path, read_traineddata

__all__ = [
    "COMPONENT_NAMES",
    "TrainedData",
    "read_traineddata",
    "component_for_path",
    "ModelFormatError",
]
