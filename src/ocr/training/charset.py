"""The LSTM character set: ``lstm-unicharset``, ``lstm-recoder`` and the output remap.

An LSTM model's output layer has one row per *code* of its recoder (``lstm-recoder``,
``UnicharCompress`` in Tesseract's src/ccutil/unicharcompress.cpp), and each unichar of
its ``lstm-unicharset`` is encoded as one or more codes. Adding characters changes the
code range; :func:`code_map` finds, for every new code, the old code of the same unichar
(``LSTMTrainer::MapRecoder``), and :func:`remap_outputs` rebuilds the output layer on the
new codes as ``lstmtraining --old_traineddata`` does (``WeightMatrix::RemapOutputs``),
except that a new character may start from the row of the letter it is built on
(:func:`base_letters`: Ŀ from L, Ҕ from Г) instead of the mean of all rows.

``lstm-recoder`` format (``UnicharCompress::Serialize``): uint32 count, then per unichar
id an int8 ``self_normalized``, an int32 code length and that many int32 codes.
"""

from __future__ import annotations

import struct
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..errors import ModelFormatError
from .lstm import FullyConnected, LSTMModel, Plumbing, WeightMatrix

__all__ = [
    "Recoder",
    "read_recoder",
    "unicharset_entries",
    "code_map",
    "base_letters",
    "remap_outputs",
]

#: Ids 0-2 of every lstm-unicharset: space ("NULL"), "Joined", "|Broken|0|1".
SPECIAL_UNICHAR_CODES_COUNT = 3
UNICHAR_BROKEN = 2


@dataclass(frozen=True, slots=True)
class Recoder:
    """The codes of each unichar id; ``code_range`` is the width of the output layer."""

    codes: tuple[tuple[int, ...], ...]

    @property
    def code_range(self) -> int:
        return max((max(c) for c in self.codes if c), default=-1) + 1

    def null_code(self, unicharset_size: int) -> int:
        """The CTC blank's output (``LSTMRecognizer::SetNullChar``)."""
        null_id = UNICHAR_BROKEN if unicharset_size > UNICHAR_BROKEN else unicharset_size
        return self.codes[null_id][0]


def read_recoder(data: bytes) -> Recoder:
    """Parse an ``lstm-recoder`` component."""
    try:
        (count,) = struct.unpack_from("<I", data, 0)
        pos = 4
        codes = []
        for _ in range(count):
            pos += 1  # self_normalized
            (length,) = struct.unpack_from("<i", data, pos)
            pos += 4
            if not 0 <= length <= 9:
                raise ModelFormatError(f"lstm-recoder: code length {length} at byte {pos}")
            codes.append(struct.unpack_from(f"<{length}i", data, pos))
            pos += 4 * length
    except struct.error as exc:
        raise ModelFormatError(f"lstm-recoder is truncated: {exc}") from exc
    if pos != len(data):
        raise ModelFormatError(f"lstm-recoder: {len(data) - pos} bytes after the codes")
    return Recoder(tuple(codes))


def unicharset_entries(text: str | bytes) -> list[str]:
    """The unichars of a unicharset file, by id (id 0, the space, is written "NULL")."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    lines = text.splitlines()
    count = int(lines[0])
    out = []
    for line in lines[1:count + 1]:
        unichar = line.split(" ", 1)[0]
        out.append(" " if unichar == "NULL" else unichar)
    return out


def code_map(new_unichars: Sequence[str], new_recoder: Recoder,
             old_unichars: Sequence[str], old_recoder: Recoder) -> list[int]:
    """For each new code, the old code of the same unichar, or -1 (a new character).

    ``LSTMTrainer::MapRecoder``: the null char (beyond the unicharset) maps to the old
    one; otherwise the first unichar whose encoding holds the code decides.
    """
    old_ids = {u: i for i, u in enumerate(old_unichars)}
    new_range = new_recoder.code_range
    result = [-1] * new_range
    for c in range(new_range):
        for uid, codes in enumerate(new_recoder.codes):
            if c not in codes:
                continue
            index = codes.index(c)
            if uid < len(new_unichars):
                old_uid = old_ids.get(new_unichars[uid])
            else:
                old_uid = len(old_recoder.codes) - 1
            if old_uid is None:
                continue
            old_codes = old_recoder.codes[old_uid]
            if index < len(old_codes):
                result[c] = old_codes[index]
                break
    return result


# Letters that have no decomposition onto the letter they are drawn from. Upper case;
# the lower-case pairs follow. Several candidates: the first one the old model has wins.
_BASES: Mapping[str, str] = {
    # Latin-1 and Latin Extended-A
    "Æ": "A", "Ð": "D", "Đ": "D", "Ħ": "H", "Ł": "L", "Ŋ": "N", "Ø": "O", "Œ": "O",
    "Þ": "P", "Ŧ": "T", "ß": "B", "ı": "i", "ĸ": "k", "ſ": "f", "ð": "d",
    "¡": "!", "¿": "?", "¦": "|", "×": "x", "÷": "+", "±": "+", "¬": "-", "·": ".",
    "¢": "c", "¤": "o", "¶": "P", "µ": "u",
    # Cyrillic
    "Є": "СЕ", "І": "I|", "Ј": "J", "Ђ": "Т", "Ћ": "Т", "Љ": "Л", "Њ": "Н", "Џ": "Ц",
    "Ѕ": "S", "Ґ": "Г", "Ә": "Э", "Ғ": "Г", "Қ": "К", "Ң": "Н", "Ө": "О", "Ұ": "УY",
    "Ү": "УY", "Һ": "h", "Җ": "Ж", "Ҡ": "К", "Ҙ": "З", "Ҫ": "С", "Ҕ": "Г", "Ҥ": "Н",
    "Ӡ": "З", "Ҟ": "К", "Ԥ": "П", "Ҭ": "Т", "Ҳ": "Х", "Ҵ": "Ц", "Ҷ": "Ч", "Ҽ": "Е",
    "Ҿ": "Е", "Ҩ": "О", "ђ": "h", "ћ": "h",
}


def base_letters(char: str) -> str:
    """The characters ``char`` is drawn from, best first: Ŀ → "L", ǣ → "æa", Ҕ → "Г".

    From the table above (and its lower-case forms), then the letters and digits of the
    compatibility decomposition (ǣ is æ with a macron, ½ is 1⁄2), then those of their
    own table entries.
    """
    out: list[str] = []

    def add(chars: str) -> None:
        for c in chars:
            if c not in out and c != char:
                out.append(c)

    def table(c: str) -> None:
        if c in _BASES:
            add(_BASES[c])
        elif c.upper() in _BASES and c.upper() != c:
            add(_BASES[c.upper()].lower())

    table(char)
    decomposed = [c for c in unicodedata.normalize("NFKD", char)
                  if unicodedata.category(c)[0] in "LN"]
    add("".join(decomposed[:1]))
    for c in decomposed[:1]:
        table(c)
    return "".join(out)


def _output_layer(model: LSTMModel) -> tuple[Plumbing, int, FullyConnected]:
    root = model.network
    if not isinstance(root, Plumbing) or not root.children:
        raise ModelFormatError("the network is not a Series of layers")
    last = root.children[-1]
    if not isinstance(last, FullyConnected) or last.type != "Softmax":
        raise ModelFormatError(f"the last layer is a {last.type}, not a Softmax output "
                               "layer; only such networks can change their outputs here")
    return root, len(root.children) - 1, last


def remap_outputs(model: LSTMModel, mapping: Sequence[int], *, null_char: int,
                  warm: Mapping[int, int] | None = None,
                  bias_offset: float = 0.0) -> LSTMModel:
    """The float model with its output layer rebuilt on new codes.

    Row ``c`` of the new output layer is old row ``mapping[c]``; a row without an old
    code (-1) is the old row ``warm[c]`` with its bias lowered by ``bias_offset`` when
    ``warm`` names one, else the mean of all old rows (what lstmtraining does).

    Parameters
    ----------
    model : LSTMModel
        A float model (see :func:`~ocr.training.dequantize`).
    mapping : sequence of int
        :func:`code_map` of the new and old charsets.
    null_char : int
        The new code of the CTC blank.
    """
    if model.is_int_mode:
        raise ValueError("remap_outputs needs a float model: dequantize it first")
    root, index, output = _output_layer(model)
    old = output.weights.float_weights()
    mean = old.mean(axis=0)
    rows = np.empty((len(mapping), old.shape[1]), dtype=np.float64)
    for c, src in enumerate(mapping):
        if src >= 0:
            rows[c] = old[src]
        elif warm is not None and c in warm:
            rows[c] = old[warm[c]]
            rows[c, -1] -= bias_offset
        else:
            rows[c] = mean
    weights = WeightMatrix(mode=output.weights.mode, weights=rows, empty=0.0)
    new_output = replace(output, no=len(mapping), num_weights=rows.size, weights=weights)
    children = (*root.children[:index], new_output, *root.children[index + 1:])
    network = replace(root, no=len(mapping), children=children,
                      num_weights=root.num_weights - output.num_weights + rows.size)
    return replace(model, network=network, null_char=null_char)
