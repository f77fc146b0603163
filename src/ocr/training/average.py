"""Averaged runs: the mean of the weights of several fine-tunes of one model.

Runs fine-tuned from the same model stay close to it and to each other, so the mean of
their float weights is a model too, and often one that reads held-out text better than
any of them (a "model soup": Wortsman et al., 2022). Each run's output layer is laid
out by its own charset: runs on different texts number the added characters in a
different order (``merge_unicharsets`` appends them as the text shows them), so each
run's output rows are first put in the order of a reference model's codes
(:func:`~ocr.training.charset.code_map`). The result takes every component but the
``lstm`` from the reference: its charset, recoder and dictionaries.

>>> average_models([read_traineddata(p) for p in runs], read_traineddata(base))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
import numpy as np

from .charset import code_map, read_recoder, remap_outputs, unicharset_entries
from .lstm import LSTMModel, WeightMatrix, _map_matrices, dequantize, parse_model, quantize
from .traineddata import TrainedData

__all__ = ["aligned_model", "average_models", "averaged_traineddata"]


def aligned_model(run: TrainedData, reference: TrainedData) -> LSTMModel:
    """``run``'s LSTM as a float model whose outputs are ``reference``'s codes.

    Raises ValueError when the two do not hold the same characters."""
    ref_unichars = unicharset_entries(reference["lstm-unicharset"])
    ref_recoder = read_recoder(reference["lstm-recoder"])
    mapping = code_map(ref_unichars, ref_recoder, unicharset_entries(run["lstm-unicharset"]),
                       read_recoder(run["lstm-recoder"]))
    if -1 in mapping or sorted(mapping) != list(range(len(mapping))):
        raise ValueError("a run's charset differs from the reference's: only runs that "
                         "read the same characters can be averaged")
    model = dequantize(parse_model(run["lstm"]))
    return remap_outputs(model, mapping, null_char=ref_recoder.null_code(len(ref_unichars)))


def _matrices(model: LSTMModel) -> list[WeightMatrix]:
    found: list[WeightMatrix] = []

    def keep(matrix: WeightMatrix) -> WeightMatrix:
        found.append(matrix)
        return matrix

    _map_matrices(model.network, keep)
    return found


def average_models(runs: Sequence[TrainedData], reference: TrainedData) -> LSTMModel:
    """The float model whose every weight is the mean of the runs' (on ``reference``'s
    codes). The runs must share one network spec; float or integer runs are taken."""
    if not runs:
        raise ValueError("nothing to average")
    models = [aligned_model(run, reference) for run in runs]
    if len({m.spec for m in models}) != 1:
        raise ValueError("the runs have different networks: "
                         + ", ".join(sorted({m.spec for m in models})))
    per_run = [_matrices(m) for m in models]
    means = iter([np.mean([m[i].float_weights() for m in per_run], axis=0)
                  for i in range(len(per_run[0]))])

    def mean_of(matrix: WeightMatrix) -> WeightMatrix:
        return WeightMatrix(mode=matrix.mode, weights=next(means), empty=0.0)

    first = models[0]
    return replace(first, network=_map_matrices(first.network, mean_of))


def averaged_traineddata(runs: Sequence[TrainedData], reference: TrainedData, *,
                         version: str) -> TrainedData:
    """``reference`` with its LSTM replaced by the runs' mean, quantized as
    :func:`~ocr.training.finetune.finish` quantizes a run, and ``version``."""
    model = quantize(average_models(runs, reference), arithmetic="float32")
    return (reference.with_component("lstm", model.to_bytes())
            .with_component("version", version.encode("utf-8")))
