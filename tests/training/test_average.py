"""Averaging fine-tuned runs: output rows put in the reference's order, then the mean."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from ocr import _tesseract
from ocr.training import TrainedData, dequantize, parse_model, read_traineddata
from ocr.training.average import aligned_model, average_models, averaged_traineddata
from ocr.training.charset import _output_layer, read_recoder, unicharset_entries
from ocr.training.cli import main
from ocr.training.finetune import AveragedSettings, FinetuneSettings
from ocr.training.lstm import INT8_FLAG, LSTMModel, WeightMatrix, quantize

BUNDLED_RUS = _tesseract.BUNDLED_DIR / "rus.traineddata"
SYSTEM = _tesseract.find_tessdata()


@pytest.fixture(scope="module")
def bundled() -> TrainedData:
    return read_traineddata(BUNDLED_RUS)


def output_weights(model: LSTMModel) -> np.ndarray:
    return _output_layer(model)[2].weights.float_weights()


def with_output_weights(model: LSTMModel, weights: np.ndarray) -> LSTMModel:
    root, index, output = _output_layer(model)
    new = replace(output, weights=WeightMatrix(mode=output.weights.mode & ~INT8_FLAG,
                                               weights=weights, empty=0.0))
    children = (*root.children[:index], new, *root.children[index + 1:])
    return replace(model, network=replace(root, children=children))


def swapped(td: TrainedData, a: str, b: str) -> TrainedData:
    """``td`` with the unichar ids of ``a`` and ``b`` exchanged, and their output rows:
    the same model, numbered as a run on another text numbers it."""
    lines = td["lstm-unicharset"].decode("utf-8").split("\n")
    unichars = unicharset_entries(td["lstm-unicharset"])
    ia, ib = unichars.index(a), unichars.index(b)
    lines[1 + ia], lines[1 + ib] = lines[1 + ib], lines[1 + ia]
    recoder = read_recoder(td["lstm-recoder"])
    ca, cb = recoder.codes[ia][0], recoder.codes[ib][0]
    model = dequantize(parse_model(td["lstm"]))
    rows = output_weights(model).copy()
    rows[[ca, cb]] = rows[[cb, ca]]
    model = with_output_weights(model, rows)
    return (td.with_component("lstm-unicharset", "\n".join(lines).encode("utf-8"))
            .with_component("lstm", model.to_bytes()))


def test_the_mean_of_one_model_with_itself_is_that_model(bundled: TrainedData) -> None:
    result = averaged_traineddata([bundled, bundled], bundled, version="v")
    assert result["lstm"] == bundled["lstm"]  # quantized as the bundled one was
    assert result.version == "v"
    assert {name: result[name] for name in result if name not in ("lstm", "version")} == \
        {name: bundled[name] for name in bundled if name not in ("lstm", "version")}


def test_runs_numbering_the_characters_otherwise_are_put_in_the_reference_order(
        bundled: TrainedData) -> None:
    other = swapped(bundled, "Ҟ", "Ґ")
    assert unicharset_entries(other["lstm-unicharset"]) != \
        unicharset_entries(bundled["lstm-unicharset"])
    # read as it is, the other run's rows would be Ґ's where the reference has Ҟ's
    plain = output_weights(dequantize(parse_model(other["lstm"])))
    reference = output_weights(dequantize(parse_model(bundled["lstm"])))
    assert not np.array_equal(plain, reference)
    assert np.array_equal(output_weights(aligned_model(other, bundled)), reference)
    assert averaged_traineddata([bundled, other], bundled, version="v")["lstm"] == \
        bundled["lstm"]


def test_every_weight_is_the_mean_of_the_runs(bundled: TrainedData) -> None:
    model = dequantize(parse_model(bundled["lstm"]))
    rows = output_weights(model).copy()
    rows[:, -1] += 1.0  # every output's bias one higher
    higher = bundled.with_component("lstm", with_output_weights(model, rows).to_bytes())
    mean = average_models([bundled, higher], bundled)
    assert np.allclose(output_weights(mean)[:, -1], output_weights(model)[:, -1] + 0.5)
    assert np.array_equal(output_weights(mean)[:, :-1], output_weights(model)[:, :-1])
    # an integer model again, as finish() makes them
    assert parse_model(quantize(mean).to_bytes()).is_int_mode


def test_only_runs_of_the_same_characters_and_network_are_averaged(
        bundled: TrainedData) -> None:
    stock = read_traineddata(SYSTEM / "rus.traineddata")  # without the added letters
    with pytest.raises(ValueError, match="charset differs"):
        average_models([bundled, stock], bundled)
    with pytest.raises(ValueError, match="nothing to average"):
        average_models([], bundled)


def test_averaged_settings_are_checked() -> None:
    run = FinetuneSettings(lang="rus")
    with pytest.raises(ValueError, match="at least two runs"):
        AveragedSettings(lang="rus", base=run, runs=(run,))
    with pytest.raises(ValueError, match="a eng run in a rus average"):
        AveragedSettings(lang="rus", base=run, runs=(run, FinetuneSettings(lang="eng")))
    with pytest.raises(ValueError, match="no after or network"):
        AveragedSettings(lang="rus", base=run, runs=(run, replace(run, network="Cyrillic")))


def test_the_command_line_writes_the_mean_on_the_reference(
        bundled: TrainedData, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.traineddata"
    swapped(bundled, "Ј", "Ї").write(other)
    out = tmp_path / "mean.traineddata"
    assert main(["average", str(BUNDLED_RUS), str(other), "--reference", str(BUNDLED_RUS),
                 "-o", str(out)]) == 0
    result = read_traineddata(out)
    assert result["lstm"] == bundled["lstm"]
    assert result.version == f"{bundled.version} + ocr mean of 2 runs"
    with pytest.raises(SystemExit):  # one run is a usage error
        main(["average", str(other), "--reference", str(BUNDLED_RUS), "-o", str(out)])
    stock = SYSTEM / "rus.traineddata"
    assert main(["average", str(stock), str(other), "--reference", str(BUNDLED_RUS),
                 "-o", str(out)]) == 1
    assert "charset differs" in capsys.readouterr().err
