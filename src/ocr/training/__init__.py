"""Tesseract model files: traineddata containers and the LSTM recognizer inside them.

The foundation for training on top of the installed (integer, "fast") models, which
``lstmtraining`` refuses to continue from: read a traineddata file into its components
(:func:`read_traineddata`), parse its ``lstm`` component into layers and numpy weights
(:func:`parse_model`), turn the integer model into the float model ``lstmtraining
--continue_from`` accepts (:func:`dequantize`), and back (:func:`quantize`). Everything
writes back byte for byte what it read.

Pure Python and numpy; no Tesseract needed. ``python -m ocr.training`` is the command
line (``info``, ``extract``, ``replace``, ``dequantize``, ``quantize``).

>>> from ocr.training import read_traineddata, parse_model, dequantize
>>> eng = read_traineddata("/usr/share/tesseract-ocr/5/tessdata/eng.traineddata")
>>> model = dequantize(parse_model(eng["lstm"]))
>>> eng.with_component("lstm", model.to_bytes()).write("eng_float.traineddata")
"""

from __future__ import annotations

from ..errors import ModelFormatError
from .lstm import (
    LSTM,
    Convolve,
    FullyConnected,
    Input,
    Layer,
    LSTMModel,
    Plumbing,
    Reconfig,
    WeightMatrix,
    dequantize,
    iter_layers,
    layer_learning_rates,
    parse_model,
    quantize,
    with_input_height,
    with_training_state,
)
from .traineddata import COMPONENT_NAMES, TrainedData, component_for_path, read_traineddata

__all__ = [
    "COMPONENT_NAMES",
    "TrainedData",
    "read_traineddata",
    "component_for_path",
    "LSTMModel",
    "Layer",
    "Input",
    "Convolve",
    "Reconfig",
    "Plumbing",
    "FullyConnected",
    "LSTM",
    "WeightMatrix",
    "parse_model",
    "dequantize",
    "quantize",
    "iter_layers",
    "layer_learning_rates",
    "with_input_height",
    "with_training_state",
    "ModelFormatError",
]
