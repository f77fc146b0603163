"""Tesseract's LSTM recognizer model (the ``lstm`` component) as Python data.

:func:`parse_model` turns the component's bytes into an :class:`LSTMModel`: the network,
a tree of :class:`Layer` objects holding their :class:`WeightMatrix` es as numpy arrays,
plus the recognizer's own fields. :meth:`LSTMModel.to_bytes` writes it back; for an
unchanged model the bytes are identical to what was read.

:func:`dequantize` turns an integer ("fast") model into the float model that
``lstmtraining --continue_from`` accepts. :func:`quantize` is ``WeightMatrix::ConvertToInt``
as Tesseract 4.0 computed it when it made the stock models, so ``quantize(dequantize(m))``
writes the original bytes; with ``arithmetic="float32"`` it gives what Tesseract 5's
``lstmtraining --convert_to_int`` writes, byte for byte.

The format, from the serializers in Tesseract's src/lstm (all little-endian; strings and
vectors carry a uint32 count, see :mod:`ocr.training._binary`):

``LSTMRecognizer::Serialize``
    the network (one layer, normally a Series); the unicharset as text, only when the
    traineddata has no ``lstm-unicharset``/``lstm-recoder`` (a standalone model); the
    network spec string; int32 ``training_flags`` (1 integer mode, 64 recoded
    unicharset); int32 ``training_iteration``, ``sample_iteration``, ``null_char``;
    float32 ``adam_beta``, ``learning_rate``, ``momentum``; the recoder, again only when
    standalone.
``Network::Serialize`` (every layer's header)
    int8 0 (files older than 4.0 put the type number here instead of the name); the
    type name ("Series", "LSTM"...); int8 training state; int8
    needs-backprop; int32 flags (64 per-layer learning rates, 128 Adam); int32 ni, no,
    num_weights; the layer name.
then per type
    Input: int32 batch, height, width, depth, loss type. Convolve: int32 half_x, half_y.
    Maxpool, Reconfig: int32 x_scale, y_scale. Series, Parallel and the reversals: uint32
    child count, the children, then a vector of float32 learning rates (one per child)
    when flag 64 is set. Fully connected layers (Softmax, Tanh...): one weight matrix.
    LSTM: int32 ``na`` (inputs plus recurrent inputs), four weight matrices CI, GI, GF1,
    GO, a fifth GFS in 2-D LSTMs, then a softmax layer for the LSTMSoftmax types.
``WeightMatrix::Serialize``
    a mode byte (1 int8, 4 Adam, 128 doubles on disk). Integer mode: a 2-D int8 array of
    no x (ni + 1), the last column the bias, then a vector of float64 per-row scales
    (possibly padded past ``no``). Float mode: a 2-D float64 array; when the layer is
    training (state 1) the momentum ``updates`` follow, and the Adam squares if Adam.

Examples
--------
>>> from ocr.training import read_traineddata, parse_model, dequantize
>>> eng = read_traineddata("/usr/share/tesseract-ocr/5/tessdata/eng.traineddata")
>>> model = parse_model(eng["lstm"])
>>> model.spec
'[1,36,0,1Ct3,3,16Mp3,3Lfys48Lfx96Lrx96Lfx192O1c1]'
>>> model.is_int_mode
True
>>> float_model = dequantize(model)
>>> float_eng = eng.with_component("lstm", float_model.to_bytes())
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Literal

import numpy as np
import numpy.typing as npt

from ._binary import Reader, Writer

__all__ = [
    "TYPE_NAMES",
    "Layer",
    "Input",
    "Convolve",
    "Reconfig",
    "Plumbing",
    "FullyConnected",
    "LSTM",
    "WeightMatrix",
    "LSTMModel",
    "parse_model",
    "dequantize",
    "quantize",
    "iter_layers",
    "layer_learning_rates",
    "with_part_learning_rates",
    "with_input_height",
    "with_training_state",
    "INT8_FLAG",
    "ADAM_FLAG",
    "DOUBLE_FLAG",
    "TF_INT_MODE",
    "TF_COMPRESS_UNICHARSET",
    "NF_LAYER_SPECIFIC_LR",
    "NF_ADAM",
    "TS_DISABLED",
    "TS_ENABLED",
    "TS_TEMP_DISABLE",
]

#: Layer type names by ``NetworkType`` number (``kTypeNames`` in network.cpp).
TYPE_NAMES: tuple[str, ...] = (
    "Invalid", "Input", "Convolve", "Maxpool", "Parallel", "Replicated", "ParBidiLSTM",
    "DepParUDLSTM", "Par2dLSTM", "Series", "Reconfig", "RTLReversed", "TTBReversed",
    "XYTranspose", "LSTM", "SummLSTM", "Logistic", "LinLogistic", "LinTanh", "Tanh", "Relu",
    "Linear", "Softmax", "SoftmaxNoCTC", "LSTMSoftmax", "LSTMBinarySoftmax", "TensorFlow",
)
_PLUMBING_TYPES = frozenset({"Parallel", "Replicated", "ParBidiLSTM", "DepParUDLSTM",
                             "Par2dLSTM", "Series", "RTLReversed", "TTBReversed",
                             "XYTranspose"})
_LSTM_TYPES = frozenset({"LSTM", "SummLSTM", "LSTMSoftmax", "LSTMBinarySoftmax"})
_FC_TYPES = frozenset({"Logistic", "LinLogistic", "LinTanh", "Tanh", "Relu", "Linear",
                       "Softmax", "SoftmaxNoCTC"})

# WeightMatrix mode bits (weightmatrix.cpp)
INT8_FLAG = 1
ADAM_FLAG = 4
DOUBLE_FLAG = 128
# LSTMRecognizer training_flags_ bits (lstmrecognizer.h)
TF_INT_MODE = 1
TF_COMPRESS_UNICHARSET = 64
# Network flags (network.h)
NF_LAYER_SPECIFIC_LR = 64
NF_ADAM = 128
# Training states (network.h). A file may hold TS_TEMP_DISABLE (a trainer saving a
# recognizer); Tesseract reads anything but TS_ENABLED as TS_DISABLED.
TS_DISABLED = 0
TS_ENABLED = 1
TS_TEMP_DISABLE = 2

_INT8_MAX = 127

FloatArray = npt.NDArray[np.float64]
Int8Array = npt.NDArray[np.int8]


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class WeightMatrix:
    """One weight matrix: ``no`` rows (outputs) by ``ni + 1`` columns, the last the bias.

    Parameters
    ----------
    mode : int
        The mode byte as stored: :data:`INT8_FLAG` | :data:`ADAM_FLAG` |
        :data:`DOUBLE_FLAG`. Only "double" matrices (flag 128, every model since 4.0)
        are read.
    weights : numpy.ndarray
        int8 in integer mode, float64 in float mode; shape (no, ni + 1).
    scales : numpy.ndarray or None
        Integer mode only: the per-row scales as stored (float64), so that row ``i``
        means ``weights[i] * scales[i]``. May be longer than ``no`` (Tesseract 5 pads it
        for its SIMD code); only the first ``no`` entries are used.
    updates, adam_squares : numpy.ndarray or None
        Float mode in a training layer only: the momentum updates and (with Adam) the
        running squared gradients, each shaped like ``weights``.
    empty : float
        The ``empty_`` element the arrays are stored with (0 in every model seen).
    """

    mode: int
    weights: npt.NDArray[Any]
    scales: FloatArray | None = None
    updates: FloatArray | None = None
    adam_squares: FloatArray | None = None
    empty: float = 0

    @property
    def is_int(self) -> bool:
        """Integer (quantized) weights."""
        return bool(self.mode & INT8_FLAG)

    @property
    def uses_adam(self) -> bool:
        return bool(self.mode & ADAM_FLAG)

    @property
    def num_outputs(self) -> int:
        return int(self.weights.shape[0])

    @property
    def num_inputs(self) -> int:
        """Inputs, excluding the bias column."""
        return int(self.weights.shape[1]) - 1

    def float_weights(self) -> FloatArray:
        """The weights as float64, de-quantized if need be (``weights * scale`` per row)."""
        if not self.is_int:
            return np.asarray(self.weights, dtype=np.float64)
        assert self.scales is not None
        return self.weights.astype(np.float64) * self.scales[:self.num_outputs, None]


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Layer:
    """The header every layer carries (``Network::Serialize``); subclasses add the rest.

    Parameters
    ----------
    type : str
        The layer type name (:data:`TYPE_NAMES`), e.g. "Series", "LSTM", "Softmax".
    name : str
        The layer's name, e.g. "Lfx96".
    ni, no : int
        Number of inputs and outputs.
    num_weights : int
        Trainable weights in this layer and its children, as stored.
    flags : int
        :data:`NF_LAYER_SPECIFIC_LR` | :data:`NF_ADAM`.
    training : int
        The training state byte as stored (:data:`TS_DISABLED`, :data:`TS_ENABLED`,
        :data:`TS_TEMP_DISABLE`).
    needs_backprop : int
        The needs-backprop byte as stored (0 or 1).
    type_code : int
        0 when the type is stored by name (always, since 4.0); otherwise the
        ``NetworkType`` number an old file stored in its place.
    """

    type: str
    name: str
    ni: int
    no: int
    num_weights: int
    flags: int = 0
    training: int = TS_DISABLED
    needs_backprop: int = 0
    type_code: int = 0

    @property
    def is_training(self) -> bool:
        """Whether Tesseract reads this layer as training (float weights then carry
        their updates on disk)."""
        return self.training == TS_ENABLED

    def children_layers(self) -> tuple[Layer, ...]:
        """The layers directly inside this one (none for most types)."""
        return ()

    def weight_matrices(self) -> tuple[WeightMatrix, ...]:
        """This layer's own weight matrices (not its children's)."""
        return ()


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Input(Layer):
    """The input layer: the shape of the image lines the network takes.

    ``shape`` is (batch, height, width, depth, loss type); 0 means variable.
    """

    shape: tuple[int, int, int, int, int]


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Convolve(Layer):
    """Stacks each input's (2 half_x + 1) x (2 half_y + 1) neighbourhood (no weights:
    the fully connected layer after it does the convolving)."""

    half_x: int
    half_y: int


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Reconfig(Layer):
    """Reconfig and Maxpool: shrink x and y by the scales."""

    x_scale: int
    y_scale: int


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Plumbing(Layer):
    """Series, Parallel and the reversals: a container of layers.

    ``learning_rates`` holds one float32 per child when :data:`NF_LAYER_SPECIFIC_LR` is
    set in ``flags`` (the stock models carry them), else None.
    """

    children: tuple[Layer, ...]
    learning_rates: tuple[float, ...] | None = None

    def children_layers(self) -> tuple[Layer, ...]:
        return self.children


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class FullyConnected(Layer):
    """Softmax, Tanh, Relu, Logistic...: one weight matrix of ``no`` x (``ni`` + 1)."""

    weights: WeightMatrix

    def weight_matrices(self) -> tuple[WeightMatrix, ...]:
        return (self.weights,)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class LSTM(Layer):
    """An LSTM block: gates CI, GI, GF1, GO (and GFS when 2-D), each ``ns`` x (``na`` + 1).

    ``na`` is the input width the gates see: ``ni`` plus the recurrent outputs (and for
    the LSTMSoftmax types the fed-back softmax), ``ni + 2 ns`` in a 2-D LSTM.
    """

    GATE_NAMES: ClassVar[tuple[str, ...]] = ("CI", "GI", "GF1", "GO", "GFS")

    na: int
    gates: tuple[WeightMatrix, ...]
    softmax: FullyConnected | None = None

    @property
    def is_2d(self) -> bool:
        return len(self.gates) == 5

    def children_layers(self) -> tuple[Layer, ...]:
        return () if self.softmax is None else (self.softmax,)

    def weight_matrices(self) -> tuple[WeightMatrix, ...]:
        return self.gates


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class LSTMModel:
    """An LSTM recognizer: the network and the fields ``LSTMRecognizer`` stores with it.

    Parameters
    ----------
    network : Layer
        The root layer (a Series in every stock model).
    spec : str
        The network spec ``lstmtraining --net_spec`` built it from, e.g.
        ``[1,36,0,1Ct3,3,16Mp3,3Lfys48Lfx96Lrx96Lfx192O1c1]``.
    training_flags : int
        :data:`TF_INT_MODE` | :data:`TF_COMPRESS_UNICHARSET` (65 for fast models, 64 for
        float ones).
    training_iteration, sample_iteration : int
        Training progress counters.
    null_char : int
        The output index of the CTC blank.
    adam_beta, learning_rate, momentum : float
        Training hyper-parameters (float32 on disk).
    unicharset : bytes or None
        The unicharset text, when the model carries its own charsets (a standalone model
        saved without a traineddata holding ``lstm-unicharset`` and ``lstm-recoder``).
    tail : bytes
        What follows the recognizer fields: the serialized recoder when the model
        carries its charsets, normally nothing.
    """

    network: Layer
    spec: str
    training_flags: int
    training_iteration: int
    sample_iteration: int
    null_char: int
    adam_beta: float
    learning_rate: float
    momentum: float
    unicharset: bytes | None = None
    tail: bytes = b""

    @property
    def is_int_mode(self) -> bool:
        """An integer ("fast") model: lstmtraining will not train it."""
        return bool(self.training_flags & TF_INT_MODE)

    @property
    def is_recoding(self) -> bool:
        """Outputs are recoder codes (``lstm-recoder``), not unichar ids."""
        return bool(self.training_flags & TF_COMPRESS_UNICHARSET)

    @property
    def num_outputs(self) -> int:
        """The width of the output layer: the recoder's code range."""
        return self.network.no

    def layers(self) -> Iterator[Layer]:
        """Every layer, depth first, parents before children."""
        return iter_layers(self.network)

    def to_bytes(self) -> bytes:
        """Serialize as ``LSTMRecognizer::Serialize`` does."""
        out = Writer()
        _write_layer(out, self.network)
        if self.unicharset is not None:
            out.raw(self.unicharset)
        out.string(self.spec)
        out.i32(self.training_flags)
        out.i32(self.training_iteration)
        out.i32(self.sample_iteration)
        out.i32(self.null_char)
        out.f32(self.adam_beta)
        out.f32(self.learning_rate)
        out.f32(self.momentum)
        out.raw(self.tail)
        return out.getvalue()


def iter_layers(layer: Layer) -> Iterator[Layer]:
    """``layer`` and everything inside it, depth first, parents before children."""
    yield layer
    for child in layer.children_layers():
        yield from iter_layers(child)


def layer_learning_rates(model: LSTMModel) -> list[tuple[str, Layer, float | None]]:
    """Each leaf layer with its id and learning rate, as ``combine_tessdata -l`` lists them.

    Ids are ``LSTMRecognizer::EnumerateLayers``'s: the child indices from the root down,
    each after a colon (":3:0" is the first child of the root's fourth child). Only
    layers that are not plumbing (Series, Parallel, reversals) are listed. With
    per-layer learning rates (flag 64 on the root) a layer's rate is the one its parent
    stores for it (None if the parent stores none); otherwise the model's.

    Returns
    -------
    list of (str, Layer, float or None)
    """
    per_layer = bool(model.network.flags & NF_LAYER_SPECIFIC_LR)
    found: list[tuple[str, Layer, float | None]] = []

    def walk(plumbing: Plumbing, prefix: str) -> None:
        rates = plumbing.learning_rates or ()
        for index, child in enumerate(plumbing.children):
            layer_id = f"{prefix}:{index}"
            if isinstance(child, Plumbing):
                walk(child, layer_id)
            elif per_layer:
                found.append((layer_id, child, rates[index] if index < len(rates) else None))
            else:
                found.append((layer_id, child, model.learning_rate))

    if isinstance(model.network, Plumbing):
        walk(model.network, "")
    return found


def with_training_state(model: LSTMModel, state: int) -> LSTMModel:
    """A copy with every layer's training state byte set to ``state``.

    ``lstmtraining`` writes the models it saves with :data:`TS_TEMP_DISABLE` (2) on
    every layer, the stock models have :data:`TS_DISABLED` (0); Tesseract reads both
    as disabled. :data:`TS_ENABLED` (1) makes float matrices carry momentum (and Adam)
    state on disk, written as zeros when the matrix has none.
    """
    if state not in (TS_DISABLED, TS_ENABLED, TS_TEMP_DISABLE):
        raise ValueError(f"training state must be 0, 1 or 2, not {state}")

    def convert(layer: Layer) -> Layer:
        if isinstance(layer, Plumbing):
            return replace(layer, training=state,
                           children=tuple(convert(c) for c in layer.children))
        if isinstance(layer, LSTM) and layer.softmax is not None:
            softmax = replace(layer.softmax, training=state)
            return replace(layer, training=state, softmax=softmax)
        return replace(layer, training=state)

    return replace(model, network=convert(model.network))


# -- reading --------------------------------------------------------------------------
def parse_model(data: bytes, *, source: str = "lstm model") -> LSTMModel:
    """Parse an ``lstm`` component (or a standalone ``.lstm`` file).

    Parameters
    ----------
    data : bytes
        The serialized recognizer.
    source : str
        Names the input in error messages.

    Returns
    -------
    LSTMModel
        ``parse_model(b).to_bytes() == b`` for every model Tesseract writes.

    Raises
    ------
    ModelFormatError
        Truncated or malformed data, an unknown layer type, a TensorFlow network, or
        pre-4.0 (float32) weight matrices.
    """
    r = Reader(bytes(data), source)
    network = _read_layer(r, depth=0)
    unicharset = _read_unicharset(r)
    spec = r.string()
    training_flags = r.i32()
    training_iteration = r.i32()
    sample_iteration = r.i32()
    null_char = r.i32()
    adam_beta = r.f32()
    learning_rate = r.f32()
    momentum = r.f32()
    tail = r.take(r.remaining())
    return LSTMModel(network=network, spec=spec, training_flags=training_flags,
                     training_iteration=training_iteration,
                     sample_iteration=sample_iteration, null_char=null_char,
                     adam_beta=adam_beta, learning_rate=learning_rate, momentum=momentum,
                     unicharset=unicharset, tail=tail)


_UNICHARSET_HEAD = re.compile(rb"(\d+)\r?\n")


def _read_unicharset(r: Reader) -> bytes | None:
    """The embedded unicharset text, if the model carries one.

    What follows the network is either the spec string (uint32 length, then "[...")
    or a unicharset in text: a line with the count, then one line per unichar
    (``UNICHARSET::save_to_string``). A length's little-endian bytes cannot read as
    digits followed by a newline, so the two are told apart by the first line.
    """
    head = _UNICHARSET_HEAD.match(r.data, r.pos)
    if head is None:
        return None
    count = int(head.group(1))
    end = head.end()
    for _ in range(count):
        newline = r.data.find(b"\n", end)
        if newline < 0:
            raise r.fail(f"the embedded unicharset of {count} entries is truncated")
        end = newline + 1
    return r.take(end - r.pos)


def _read_layer(r: Reader, depth: int) -> Layer:
    if depth > 100:
        raise r.fail("layers nested more than 100 deep")
    start = r.pos
    type_code = r.i8()
    if type_code == 0:
        type_name = r.string()
        if type_name not in TYPE_NAMES[1:]:
            raise r.fail(f"unknown layer type {type_name!r}")
    elif 0 < type_code < len(TYPE_NAMES):
        type_name = TYPE_NAMES[type_code]
    else:
        raise r.fail(f"invalid layer type number {type_code}")
    header: dict[str, Any] = dict(
        type=type_name, type_code=type_code, training=r.i8(), needs_backprop=r.i8(),
        flags=r.i32(), ni=r.i32(), no=r.i32(), num_weights=r.i32(), name=r.string())
    if header["ni"] < 0 or header["no"] < 0 or header["num_weights"] < 0:
        r.pos = start
        raise r.fail(f"layer {header['name']!r} has negative sizes")
    training = header["training"] == TS_ENABLED
    if type_name == "Input":
        shape = (r.i32(), r.i32(), r.i32(), r.i32(), r.i32())
        return Input(**header, shape=shape)
    if type_name == "Convolve":
        return Convolve(**header, half_x=r.i32(), half_y=r.i32())
    if type_name in ("Maxpool", "Reconfig"):
        return Reconfig(**header, x_scale=r.i32(), y_scale=r.i32())
    if type_name in _PLUMBING_TYPES:
        count = r.u32()
        if count > 10000:
            raise r.fail(f"{type_name} {header['name']!r} claims {count} children")
        children = tuple(_read_layer(r, depth + 1) for _ in range(count))
        rates = r.f32_vector() if header["flags"] & NF_LAYER_SPECIFIC_LR else None
        return Plumbing(**header, children=children, learning_rates=rates)
    if type_name in _FC_TYPES:
        return FullyConnected(**header, weights=_read_matrix(r, training))
    if type_name in _LSTM_TYPES:
        na = r.i32()
        no = header["no"]
        nf = no if type_name == "LSTMSoftmax" else (
            (no - 1).bit_length() if type_name == "LSTMBinarySoftmax" else 0)
        gates = [_read_matrix(r, training)]
        ns = gates[0].num_outputs
        is_2d = na - nf == header["ni"] + 2 * ns
        for _ in range(4 if is_2d else 3):
            gates.append(_read_matrix(r, training))
        softmax = None
        if type_name in ("LSTMSoftmax", "LSTMBinarySoftmax"):
            inner = _read_layer(r, depth + 1)
            if not isinstance(inner, FullyConnected):
                raise r.fail(f"{type_name} {header['name']!r} holds a {inner.type} "
                             "where its softmax should be")
            softmax = inner
        return LSTM(**header, na=na, gates=tuple(gates), softmax=softmax)
    raise r.fail(f"layer type {type_name!r} is not supported")


def _read_matrix(r: Reader, training: bool) -> WeightMatrix:
    mode = r.u8()
    if not mode & DOUBLE_FLAG:
        raise r.fail(f"weight matrix mode {mode}: the pre-4.0 float32 layout is not "
                     "supported")
    if mode & INT8_FLAG:
        weights, empty = r.array2d("<i1")
        scales = r.f64_array()
        if len(scales) < weights.shape[0]:
            raise r.fail(f"{len(scales)} scales for a matrix of {weights.shape[0]} rows")
        return WeightMatrix(mode=mode, weights=weights, scales=scales, empty=empty)
    weights, empty = r.array2d("<f8")
    updates = adam = None
    if training:
        updates, _ = r.array2d("<f8")
        if mode & ADAM_FLAG:
            adam, _ = r.array2d("<f8")
    return WeightMatrix(mode=mode, weights=weights, updates=updates, adam_squares=adam,
                        empty=empty)


# -- writing --------------------------------------------------------------------------
def _write_layer(out: Writer, layer: Layer) -> None:
    out.i8(layer.type_code)
    if layer.type_code == 0:
        out.string(layer.type)
    out.i8(layer.training)
    out.i8(layer.needs_backprop)
    out.i32(layer.flags)
    out.i32(layer.ni)
    out.i32(layer.no)
    out.i32(layer.num_weights)
    out.string(layer.name)
    if isinstance(layer, Input):
        for value in layer.shape:
            out.i32(value)
    elif isinstance(layer, Convolve):
        out.i32(layer.half_x)
        out.i32(layer.half_y)
    elif isinstance(layer, Reconfig):
        out.i32(layer.x_scale)
        out.i32(layer.y_scale)
    elif isinstance(layer, Plumbing):
        out.u32(len(layer.children))
        for child in layer.children:
            _write_layer(out, child)
        if layer.flags & NF_LAYER_SPECIFIC_LR:
            if layer.learning_rates is None:
                raise ValueError(f"layer {layer.name!r} has flag {NF_LAYER_SPECIFIC_LR} "
                                 "(per-layer learning rates) but no learning_rates")
            out.f32_vector(layer.learning_rates)
    elif isinstance(layer, FullyConnected):
        _write_matrix(out, layer.weights, layer.is_training)
    elif isinstance(layer, LSTM):
        out.i32(layer.na)
        for gate in layer.gates:
            _write_matrix(out, gate, layer.is_training)
        if layer.softmax is not None:
            _write_layer(out, layer.softmax)
    else:
        raise TypeError(f"cannot serialize a {type(layer).__name__} layer")


def _write_matrix(out: Writer, matrix: WeightMatrix, training: bool) -> None:
    if matrix.weights.ndim != 2:
        raise ValueError(f"weights must be 2-D, not of shape {matrix.weights.shape}")
    out.u8(matrix.mode)
    if matrix.is_int:
        if matrix.weights.dtype != np.int8:
            raise ValueError(f"integer-mode weights must be int8, not {matrix.weights.dtype}")
        if matrix.scales is None or len(matrix.scales) < matrix.num_outputs:
            raise ValueError("an integer weight matrix needs a scale for each row")
        out.array2d(matrix.weights, "<i1", matrix.empty)
        out.f64_array(matrix.scales)
        return
    out.array2d(matrix.weights, "<f8", matrix.empty)
    if training:
        shape = matrix.weights.shape
        updates = matrix.updates if matrix.updates is not None else np.zeros(shape)
        out.array2d(updates, "<f8", 0.0)
        if matrix.uses_adam:
            adam = matrix.adam_squares if matrix.adam_squares is not None else np.zeros(shape)
            out.array2d(adam, "<f8", 0.0)


# -- quantization ---------------------------------------------------------------------
def _map_matrices(layer: Layer, convert: Any) -> Layer:
    """A copy of the layer tree with every weight matrix passed through ``convert``."""
    if isinstance(layer, Plumbing):
        return replace(layer, children=tuple(_map_matrices(c, convert)
                                             for c in layer.children))
    if isinstance(layer, FullyConnected):
        return replace(layer, weights=convert(layer.weights))
    if isinstance(layer, LSTM):
        softmax = layer.softmax
        if softmax is not None:
            softmax = replace(softmax, weights=convert(softmax.weights))
        return replace(layer, gates=tuple(convert(g) for g in layer.gates), softmax=softmax)
    return layer


def _dequantize_matrix(matrix: WeightMatrix) -> WeightMatrix:
    if not matrix.is_int:
        return matrix
    return WeightMatrix(mode=matrix.mode & ~INT8_FLAG, weights=matrix.float_weights(),
                        empty=0.0)


def _has_lstm(layer: Layer) -> bool:
    if isinstance(layer, LSTM):
        return True
    return isinstance(layer, Plumbing) and any(_has_lstm(c) for c in layer.children)


def with_part_learning_rates(model: LSTMModel, *, lower: float, last_lstm: float,
                             output: float) -> LSTMModel:
    """``model`` with per-layer learning rates set by part of the network: the output
    layer (the root's last child), the last recurrent layer before it, and every layer
    below. ``lstmtraining`` without ``--reset_learning_rate`` trains each at its rate.

    Raises ValueError when the model carries no per-layer rates (flag
    :data:`NF_LAYER_SPECIFIC_LR` on its plumbing; the stock models have it).
    """
    root = model.network
    if not isinstance(root, Plumbing) or root.learning_rates is None:
        raise ValueError("the model has no per-layer learning rates to set")
    children = root.children
    recurrent = [i for i, child in enumerate(children[:-1]) if _has_lstm(child)]
    last = recurrent[-1] if recurrent else -1

    def uniform(layer: Layer, rate: float) -> Layer:
        if not isinstance(layer, Plumbing):
            return layer
        inner = tuple(uniform(child, rate) for child in layer.children)
        if layer.learning_rates is None:
            raise ValueError(f"plumbing {layer.name!r} has no per-layer learning rates")
        return replace(layer, children=inner,
                       learning_rates=tuple(rate for _ in layer.learning_rates))

    rates = [lower] * len(children)
    new_children = []
    for index, child in enumerate(children):
        rate = output if index == len(children) - 1 else last_lstm if index == last else lower
        rates[index] = rate
        new_children.append(uniform(child, rate))
    return replace(model, network=replace(root, children=tuple(new_children),
                                          learning_rates=tuple(rates)))


_SPEC_HEIGHT = re.compile(r"^\[(\d+),(\d+),")


def with_input_height(model: LSTMModel, height: int) -> LSTMModel:
    """``model`` reading its lines scaled to ``height`` pixels high, its weights unchanged.

    Tesseract scales every line to the input layer's height. No weight depends on it:
    the convolution and max-pool work on neighbourhoods, and the first LSTM (``Lfys``)
    runs down the columns and keeps its last output, whatever their length. So a network
    trained at 36 px reads at 48 too, seeing marks a third larger (and costs about a third
    more), and fine-tuning from there adapts it to the new scale. The spec string says
    the new height too.

    Raises ValueError for a network without a fixed-height input layer first.
    """
    if not 8 <= height <= 256:
        raise ValueError(f"input height must be from 8 to 256 pixels, not {height}")
    root = model.network
    if (not isinstance(root, Plumbing) or not root.children
            or not isinstance(first := root.children[0], Input) or first.shape[1] == 0
            or not _SPEC_HEIGHT.match(model.spec)):
        raise ValueError("the network has no fixed-height input layer to set")
    batch, _, width, depth, loss = first.shape
    shaped = replace(first, shape=(batch, height, width, depth, loss))
    spec = _SPEC_HEIGHT.sub(lambda m: f"[{m[1]},{height},", model.spec, count=1)
    return replace(model, network=replace(root, children=(shaped, *root.children[1:])),
                   spec=spec)


def dequantize(model: LSTMModel) -> LSTMModel:
    """The float model an integer model stands for.

    Each int8 weight becomes ``weight * scale`` of its row (float64, as float models are
    stored), the matrices' mode drops :data:`INT8_FLAG`, and ``training_flags`` drops
    :data:`TF_INT_MODE`. Everything else (layer training states, learning rates,
    counters) is kept, so ``lstmtraining --continue_from`` takes the result like a
    ``tessdata_best`` model.

    Parameters
    ----------
    model : LSTMModel
        Any model; float matrices pass through unchanged.

    Returns
    -------
    LSTMModel
        A float model. It reads a clean page exactly as ``model`` does; on marginal
        glyphs (text a few pixels high) the two can differ, because Tesseract's integer
        path also rounds each layer's inputs to int8 and the float path does not.

    Examples
    --------
    >>> float_model = dequantize(parse_model(eng["lstm"]))  # doctest: +SKIP
    >>> float_model.is_int_mode
    False
    """
    return replace(model, network=_map_matrices(model.network, _dequantize_matrix),
                   training_flags=model.training_flags & ~TF_INT_MODE)


def _quantize_matrix(matrix: WeightMatrix, scale_padding: int, single: bool) -> WeightMatrix:
    """``WeightMatrix::ConvertToInt`` on one matrix, in double or (``single``) float."""
    if matrix.is_int:
        return matrix
    dtype: Any = np.float32 if single else np.float64
    weights: npt.NDArray[Any] = np.asarray(matrix.weights, dtype=np.float64).astype(dtype)
    if not np.all(np.isfinite(weights)):
        raise ValueError("cannot quantize weights that are not finite")
    rows = weights.shape[0]
    max_abs: npt.NDArray[Any] = (np.max(np.abs(weights), axis=1) if weights.shape[1]
                                 else np.zeros(rows, dtype=dtype))
    int8_max = dtype(_INT8_MAX)
    scales = max_abs / int8_max
    divisors = np.where(scales == 0, dtype(1), scales)
    quotients = weights / divisors[:, None]
    # IntCastRounded: (int)(x + 0.5) on |x|, the sign put back; computed in the same type
    rounded = np.copysign(np.floor(np.abs(quotients) + dtype(0.5)), quotients)
    if single:
        # Tesseract 5 keeps scale / 127 and writes it back times 127, in TFloat
        stored_scales = ((scales / int8_max) * int8_max).astype(np.float64)
    else:
        stored_scales = scales  # Tesseract 4.0 kept and wrote the scale itself
    padded = -(-rows // scale_padding) * scale_padding
    stored = np.zeros(padded, dtype=np.float64)
    stored[:rows] = stored_scales
    return WeightMatrix(mode=matrix.mode | INT8_FLAG, weights=rounded.astype(np.int8),
                        scales=stored, empty=0)


def quantize(model: LSTMModel, *, scale_padding: int = 1,
             arithmetic: Literal["float64", "float32"] = "float64") -> LSTMModel:
    """The integer model of a float model, as ``WeightMatrix::ConvertToInt`` makes it.

    Per row: ``scale = max|w| / 127``, ``int8 = round(w / scale)`` (half away from zero;
    a row of zeros keeps scale 0). The mode gains :data:`INT8_FLAG`, ``training_flags``
    gains :data:`TF_INT_MODE`; momentum and Adam state are dropped (integer models do not
    store them). Layer headers are kept as they are.

    Parameters
    ----------
    model : LSTMModel
        A float model; integer matrices pass through unchanged.
    scale_padding : int
        Pad each scale vector with zeros to a multiple of this. The stock models (made
        by Tesseract 4.0) have no padding: the default. Tesseract 5 pads to the output
        register width of the integer SIMD code it ran on: 8 with AVX2 or NEON, none with
        SSE only or no SIMD (the padding is never read back: any value works).
    arithmetic : {"float64", "float32"}
        "float64" computes as Tesseract 4.0 did, which made the stock models (and as a
        Tesseract built without ``FAST_FLOAT`` does, but for the last bit of the stored
        scales). "float32" as a Tesseract 5 built with ``FAST_FLOAT`` (the default, and
        Debian's ``lstmtraining --convert_to_int``): weights rounded to float32 first,
        scales stored as ``(scale / 127) * 127`` in float32.

    Returns
    -------
    LSTMModel
        An integer model. ``quantize(dequantize(m)).to_bytes() == m.to_bytes()`` for
        the stock fast models.

    Examples
    --------
    >>> int_model = quantize(dequantize(model))  # doctest: +SKIP
    >>> int_model.to_bytes() == model.to_bytes()
    True
    """
    if scale_padding < 1:
        raise ValueError(f"scale_padding must be at least 1, not {scale_padding}")
    if arithmetic not in ("float64", "float32"):
        raise ValueError(f"arithmetic must be 'float64' or 'float32', not {arithmetic!r}")
    single = arithmetic == "float32"

    def convert(matrix: WeightMatrix) -> WeightMatrix:
        return _quantize_matrix(matrix, scale_padding, single)

    return replace(model, network=_map_matrices(model.network, convert),
                   training_flags=model.training_flags | TF_INT_MODE)
