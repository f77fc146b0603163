"""The LSTM model inside a traineddata: byte-exact round trips, de-quantization and
re-quantization on every installed model, checked against Tesseract itself
(``combine_tessdata -l``, ``lstmtraining --convert_to_int``, recognition through
tesserocr)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import pages
from ocr import _tesseract
from ocr.errors import ModelFormatError
from ocr.training import (
    LSTM,
    FullyConnected,
    LSTMModel,
    Plumbing,
    dequantize,
    iter_layers,
    layer_learning_rates,
    parse_model,
    quantize,
    read_traineddata,
    with_input_height,
    with_training_state,
)
from ocr.training.cli import format_info, main
from ocr.training.lstm import TS_ENABLED, TS_TEMP_DISABLE

SYSTEM = _tesseract.find_tessdata()
LSTM_MODELS = sorted(p for p in SYSTEM.glob("*.traineddata")
                     if "lstm" in read_traineddata(p))
COMBINE = shutil.which("combine_tessdata") or "combine_tessdata"  # quickstart.sh installs it
LSTMTRAINING = shutil.which("lstmtraining") or "lstmtraining"
by_stem = {"ids": lambda p: p.stem}


def load(path: Path) -> tuple[bytes, LSTMModel]:
    data = read_traineddata(path)["lstm"]
    return data, parse_model(data, source=str(path))


def test_every_language_model_is_covered():
    assert {"eng", "rus", "Latin", "Cyrillic"} <= {p.stem for p in LSTM_MODELS}


@pytest.mark.parametrize("path", LSTM_MODELS, **by_stem)
def test_parse_then_serialize_gives_the_same_bytes(path):
    data, model = load(path)
    assert model.to_bytes() == data
    assert model.is_int_mode and model.is_recoding
    assert model.training_flags == 65
    assert model.unicharset is None and model.tail == b""  # charsets live beside it


@pytest.mark.parametrize("path", LSTM_MODELS, **by_stem)
def test_dequantize_then_quantize_gives_the_original_bytes(path):
    data, model = load(path)
    float_model = dequantize(model)
    float_bytes = float_model.to_bytes()
    assert not float_model.is_int_mode and float_model.training_flags == 64
    reparsed = parse_model(float_bytes)
    assert reparsed.to_bytes() == float_bytes
    assert quantize(reparsed).to_bytes() == data


@pytest.mark.parametrize("path", LSTM_MODELS, **by_stem)
def test_the_network_is_consistent(path):
    _, model = load(path)
    root = model.network
    assert isinstance(root, Plumbing) and root.type == "Series"
    assert model.num_outputs == model.null_char + 1  # the blank is the last output
    for layer in iter_layers(root):
        own = sum(m.weights.size for m in layer.weight_matrices())
        inside = sum(c.num_weights for c in layer.children_layers())
        assert layer.num_weights == own + inside, layer.name
        if isinstance(layer, Plumbing):
            assert layer.learning_rates is not None
            assert len(layer.learning_rates) == len(layer.children)
            if layer.type == "Series":
                for a, b in zip(layer.children, layer.children[1:]):
                    assert a.no == b.ni, (a.name, b.name)
        if isinstance(layer, LSTM):
            ns = layer.no
            assert [g.weights.shape for g in layer.gates] == [(ns, layer.na + 1)] * 4
            assert layer.na == layer.ni + ns and not layer.is_2d
        if isinstance(layer, FullyConnected):
            assert layer.weights.weights.shape == (layer.no, layer.ni + 1)
    spec_size = int(model.spec.strip("[]").split(",")[1])  # [1,36,0,1...: height 36
    assert root.children[0].ni == spec_size


@pytest.mark.parametrize("path", LSTM_MODELS, **by_stem)
def test_dequantized_weights_are_int_times_row_scale(path):
    _, model = load(path)
    float_model = dequantize(model)
    for int_layer, float_layer in zip(iter_layers(model.network),
                                      iter_layers(float_model.network)):
        for wi, wf in zip(int_layer.weight_matrices(), float_layer.weight_matrices()):
            assert wi.is_int and not wf.is_int
            assert wf.mode == wi.mode & ~1 and wf.weights.dtype == np.float64
            assert wi.scales is not None and len(wi.scales) == wi.num_outputs
            expected = wi.weights.astype(np.float64) * wi.scales[:, None]
            assert np.array_equal(wf.weights, expected)
            # each row's largest weight is +-127 steps: scale = max|w| / 127
            assert np.array_equal(np.abs(wi.weights).max(axis=1), np.full(wi.num_outputs, 127))
            assert np.array_equal(np.abs(wf.weights).max(axis=1) / 127, wi.scales)


@pytest.mark.parametrize("path", LSTM_MODELS, **by_stem)
def test_info_matches_combine_tessdata_l(path):
    """The spec, counters and per-layer learning rates as Tesseract's own reader
    reports them."""
    run = subprocess.run([COMBINE, "-l", str(path)], check=True, capture_output=True,
                         text=True)
    theirs = [line for line in run.stdout.splitlines()
              if line.startswith(("LSTM:", "Layer Learning Rates:"))]
    td = read_traineddata(path)
    model = parse_model(td["lstm"])
    ours = [line for line in format_info(td, model).splitlines()
            if line.startswith(("LSTM:", "Layer Learning Rates:"))]
    assert len(theirs) == 2
    assert ours == theirs
    # some versions carry the spec too: "4.00.00alpha:deu:synth20170629:[1,36,...]"
    if td.version.endswith("]"):
        assert td.version.endswith(":" + model.spec)
    unichars = int(td["lstm-unicharset"].split(b"\n", 1)[0])
    assert f"Unicharset: {unichars} entries; outputs (code range): {model.num_outputs}" \
        in format_info(td, model)


def test_layer_learning_rates_follow_the_parent_vectors():
    _, model = load(SYSTEM / "eng.traineddata")
    rates = layer_learning_rates(model)
    assert [layer_id for layer_id, _, _ in rates] == [
        ":0", ":1:0", ":1:1", ":2", ":3:0", ":4", ":5:0", ":6", ":7"]
    conv_series = model.network.children_layers()[1]
    assert isinstance(conv_series, Plumbing) and conv_series.learning_rates is not None
    assert rates[2][2] == conv_series.learning_rates[1]
    flat = replace(model, network=replace(model.network, flags=0))
    assert {rate for _, _, rate in layer_learning_rates(flat)} == {model.learning_rate}


def float_traineddata(lang: str, directory: Path, *, silence_output: bool = False) -> Path:
    """``lang`` with its lstm component replaced by the de-quantized model (with
    ``silence_output``, its softmax weights zeroed: a negative control)."""
    td = read_traineddata(SYSTEM / f"{lang}.traineddata")
    float_model = dequantize(parse_model(td["lstm"]))
    if silence_output:
        root = float_model.network
        assert isinstance(root, Plumbing)
        output = root.children[-1]
        assert isinstance(output, FullyConnected)
        zeros = replace(output.weights, weights=np.zeros_like(output.weights.weights))
        root = replace(root, children=(*root.children[:-1], replace(output, weights=zeros)))
        float_model = replace(float_model, network=root)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{lang}.traineddata"
    td.with_component("lstm", float_model.to_bytes()).write(path)
    return path


@pytest.mark.parametrize("lang, lines", [
    ("eng", [*pages.ENGLISH, "Sphinx of black quartz, judge my vow (42%)!",
             "E-mail: info@example.org; tel. +44 20 7946 0958"]),
    ("rus", [*pages.RUSSIAN, "В чащах юга жил бы цитрус? Да, но фальшивый экземпляр!",
             "Тел.: 8 (495) 123-45-67, 2024 г."]),
])
def test_a_dequantized_model_reads_a_page_like_the_stock_one(lang, lines, tmp_path):
    """Same text from the float model as from the stock integer one. (Tesseract's
    integer path also rounds the activations to int8, so on marginal glyphs, such as
    text a few pixels high, the two can differ; a clean page reads the same.)"""
    import tesserocr

    page = pages.document([" ".join(lines)] * 2, font_name="serif", size=30, width=1200)

    def read(path: Path) -> str:
        with tesserocr.PyTessBaseAPI(path=str(path), lang=lang) as api:
            api.SetImage(page)
            return str(api.GetUTF8Text())

    float_traineddata(lang, tmp_path / "float")
    float_traineddata(lang, tmp_path / "control", silence_output=True)
    stock, dequantized = read(SYSTEM), read(tmp_path / "float")
    assert len(stock.split()) >= 2 * len(" ".join(lines).split()) - 4  # a real read
    assert dequantized == stock
    # the model in the folder is the one read: without its output layer, no text
    assert read(tmp_path / "control") != stock


def run_lstmtraining(*args: str) -> None:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # OpenMP spins on small machines
    subprocess.run([LSTMTRAINING, *args], check=True, capture_output=True, env=env)


@pytest.mark.parametrize("lang", ["eng", "rus"])
def test_quantize_float32_matches_lstmtraining_convert_to_int(lang, tmp_path):
    """Tesseract reads the de-quantized model as a float model it can train
    (``--continue_from``), and its ``--convert_to_int`` gives what our float32 quantize
    gives, byte for byte; the stock model's int8 weights come back unchanged."""
    float_path = float_traineddata(lang, tmp_path)
    bare = tmp_path / f"{lang}.lstm"
    bare.write_bytes(read_traineddata(float_path)["lstm"])
    stopped = tmp_path / "stopped.traineddata"
    converted = tmp_path / "converted.traineddata"
    common = ["--stop_training", "--continue_from", str(bare), "--traineddata",
              str(float_path)]
    run_lstmtraining(*common, "--model_output", str(stopped))
    run_lstmtraining(*common, "--convert_to_int", "--model_output", str(converted))

    # Tesseract's float model: our parser round-trips it; it marks every layer
    # TS_TEMP_DISABLE and holds the weights as float32 (a FAST_FLOAT build)
    tess_float_bytes = read_traineddata(stopped)["lstm"]
    tess_float = parse_model(tess_float_bytes)
    assert tess_float.to_bytes() == tess_float_bytes
    assert {layer.training for layer in tess_float.layers()} == {TS_TEMP_DISABLE}

    reference_bytes = read_traineddata(converted)["lstm"]
    reference = parse_model(reference_bytes)
    assert reference.is_int_mode
    stock = parse_model(read_traineddata(SYSTEM / f"{lang}.traineddata")["lstm"])
    for ref_layer, stock_layer in zip(reference.layers(), stock.layers()):
        for ref, orig in zip(ref_layer.weight_matrices(), stock_layer.weight_matrices()):
            assert np.array_equal(ref.weights, orig.weights)
    # Tesseract 5 pads the scales for its SIMD code: to 8 with AVX2/NEON, none with SSE
    padded = any(m.scales is not None and len(m.scales) > m.num_outputs
                 for layer in reference.layers() for m in layer.weight_matrices())
    ours = quantize(tess_float, arithmetic="float32", scale_padding=8 if padded else 1)
    assert ours.to_bytes() == reference_bytes
    ours = quantize(dequantize(stock), arithmetic="float32", scale_padding=8 if padded else 1)
    assert with_training_state(ours, TS_TEMP_DISABLE).to_bytes() == reference_bytes


def test_float_scales_differ_from_double_only_in_the_last_bits():
    _, model = load(SYSTEM / "eng.traineddata")
    single = quantize(dequantize(model), arithmetic="float32")
    for a, b in zip(model.layers(), single.layers()):
        for ma, mb in zip(a.weight_matrices(), b.weight_matrices()):
            assert np.array_equal(ma.weights, mb.weights)
            assert ma.scales is not None and mb.scales is not None
            assert np.allclose(ma.scales, mb.scales, rtol=2e-7, atol=0)


def test_scale_padding_appends_zeros():
    _, model = load(SYSTEM / "eng.traineddata")
    padded = quantize(dequantize(model), scale_padding=8)
    output = padded.network.children_layers()[-1]
    assert isinstance(output, FullyConnected) and output.weights.scales is not None
    assert output.no == 111 and len(output.weights.scales) == 112
    assert output.weights.scales[-1] == 0
    assert parse_model(padded.to_bytes()).to_bytes() == padded.to_bytes()
    with pytest.raises(ValueError, match="scale_padding"):
        quantize(model, scale_padding=0)


def test_quantize_rounds_half_away_from_zero_and_keeps_zero_rows():
    _, model = load(SYSTEM / "eng.traineddata")
    float_model = dequantize(model)
    output = float_model.network.children_layers()[-1]
    assert isinstance(output, FullyConnected)
    weights = np.zeros_like(output.weights.weights)
    step = 2.0 ** -7  # exact in binary: scale = 127 step / 127 = step
    weights[0, :4] = [127 * step, 0.5 * step, -0.5 * step, 2.5 * step]
    weights[1, 0] = -2.54
    new_output = replace(output, weights=replace(output.weights, weights=weights))
    children = (*float_model.network.children_layers()[:-1], new_output)
    edited = replace(float_model, network=replace(float_model.network, children=children))
    quantized = quantize(edited).network.children_layers()[-1]
    assert isinstance(quantized, FullyConnected) and quantized.weights.scales is not None
    assert quantized.weights.weights[0, :4].tolist() == [127, 1, -1, 3]  # not to even
    assert quantized.weights.weights[1, 0] == -127
    assert quantized.weights.scales[2] == 0 and not quantized.weights.weights[2].any()


def test_training_layers_carry_updates_in_float_mode():
    """A float matrix in a training layer (state 1) is followed by its momentum and
    Adam arrays on disk; written as zeros after de-quantizing, read back as such."""
    data, model = load(SYSTEM / "eng.traineddata")
    training = with_training_state(dequantize(model), TS_ENABLED)
    blob = training.to_bytes()
    matrices = [m for layer in model.layers() for m in layer.weight_matrices()]
    extra = sum(2 * (16 + 8 * m.weights.size) for m in matrices)  # 2 arrays, Adam on
    assert len(blob) == len(dequantize(model).to_bytes()) + extra
    back = parse_model(blob)
    assert back.to_bytes() == blob
    for layer in back.layers():
        for m in layer.weight_matrices():
            assert m.updates is not None and m.adam_squares is not None
            assert not m.updates.any() and not m.adam_squares.any()
    # integer matrices never carry them
    assert with_training_state(model, TS_ENABLED).to_bytes()[:200] != data[:200]
    assert len(with_training_state(model, TS_ENABLED).to_bytes()) == len(data)


def test_a_standalone_model_carries_its_charsets():
    td = read_traineddata(SYSTEM / "eng.traineddata")
    model = parse_model(td["lstm"])
    standalone = replace(model, unicharset=td["lstm-unicharset"], tail=td["lstm-recoder"])
    blob = standalone.to_bytes()
    back = parse_model(blob)
    assert back.unicharset == td["lstm-unicharset"]
    assert back.tail == td["lstm-recoder"]
    assert back.spec == model.spec and back.to_bytes() == blob


@pytest.mark.parametrize("cut", [1, 10, 1000, -40, -1])
def test_truncated_models_raise(cut):
    data, _ = load(SYSTEM / "eng.traineddata")
    with pytest.raises(ModelFormatError, match="truncated|plausible"):
        parse_model(data[:cut], source="eng lstm")


def test_unsupported_layouts_raise():
    data, _ = load(SYSTEM / "eng.traineddata")
    with pytest.raises(ModelFormatError, match="unknown layer type 'Xeries'"):
        parse_model(data.replace(b"Series", b"Xeries", 1))
    # the ConvNL matrix's mode byte, 133, without the double flag: the pre-4.0 layout
    position = data.index(b"ConvNL") + len(b"ConvNL")
    old = data[:position] + bytes([133 & ~128]) + data[position + 1:]
    with pytest.raises(ModelFormatError, match="pre-4.0"):
        parse_model(old)


def test_cli_dequantize_and_quantize_round_trip(tmp_path, capsys):
    source = SYSTEM / "eng.traineddata"
    float_td = tmp_path / "eng_float.traineddata"
    assert main(["dequantize", str(source), str(float_td)]) == 0
    td = read_traineddata(float_td)
    assert not parse_model(td["lstm"]).is_int_mode
    assert td["lstm-unicharset"] == read_traineddata(source)["lstm-unicharset"]
    back = tmp_path / "eng.traineddata"
    assert main(["quantize", str(float_td), str(back)]) == 0
    assert back.read_bytes() == source.read_bytes()

    bare = tmp_path / "eng_float.lstm"
    assert main(["dequantize", str(source), str(bare)]) == 0
    assert bare.read_bytes() == td["lstm"]
    assert main(["quantize", str(bare), str(tmp_path / "eng.lstm"), "--scale-padding", "8",
                 "--arithmetic", "float32"]) == 0
    assert parse_model((tmp_path / "eng.lstm").read_bytes()).is_int_mode

    capsys.readouterr()
    assert main(["info", str(bare), "--layers"]) == 0
    out = capsys.readouterr().out
    assert "network=[1,36,0,1Ct3,3,16Mp3,3Lfys48Lfx96Lrx96Lfx192O1c1], int_mode=0" in out
    assert "Softmax 'Output': ni=192 no=111" in out and "W: 111x193 float64" in out

    with pytest.raises(SystemExit) as usage:
        main(["dequantize", str(bare), str(tmp_path / "x.traineddata")])
    assert usage.value.code == 2
    assert main(["dequantize", str(SYSTEM / "osd.traineddata"), str(tmp_path / "o.lstm")]) == 1
    assert "has no lstm component" in capsys.readouterr().err


def test_python_dash_m_runs(tmp_path):
    import sys

    run = subprocess.run([sys.executable, "-m", "ocr.training", "info",
                          str(SYSTEM / "rus.traineddata")], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "Version: 4.00.00alpha:rus:" in run.stdout
    assert "LSTM: network=[1,36,0,1Ct3,3,16Mp3,3Lfys64Lfx96Lrx96Lfx128O1c1]" in run.stdout


def test_a_network_reads_at_the_input_height_it_is_given(tmp_path):
    """The weights take any line height: set to 48 px, ``rus``'s 36-px network still reads
    most of a page (Tesseract scales lines to the height stored); set to 12 px, where the
    marks are a few pixels, it reads nothing right: the height stored is the one used."""
    import tesserocr

    td = read_traineddata(SYSTEM / "rus.traineddata")
    model = parse_model(td["lstm"])
    taller = with_input_height(model, 48)
    assert taller.spec == model.spec.replace("[1,36,", "[1,48,")
    assert taller.network.children[0].shape == (1, 48, 0, 1, 0)
    assert parse_model(taller.to_bytes()).spec == taller.spec
    assert with_input_height(taller, 36).to_bytes() == td["lstm"]
    lines = [*pages.RUSSIAN, "В чащах юга жил бы цитрус? Да, но фальшивый экземпляр!"]
    page = pages.document([" ".join(lines)] * 2, font_name="serif", size=30, width=1200)

    def read(height: int) -> list[str]:
        folder = tmp_path / str(height)
        folder.mkdir()
        td.with_component("lstm", with_input_height(model, height).to_bytes()).write(
            folder / "rus.traineddata")
        with tesserocr.PyTessBaseAPI(path=str(folder), lang="rus") as api:
            api.SetImage(page)
            return str(api.GetUTF8Text()).split()

    truth = " ".join(lines).split() * 2
    right = {height: sum((Counter(read(height)) & Counter(truth)).values())
             for height in (36, 48, 12)}
    assert right[36] >= len(truth) - 2
    assert right[48] >= 0.8 * len(truth)  # 42 of 48 words: training adapts it from there
    assert right[12] < len(truth) // 2
    with pytest.raises(ValueError, match="from 8 to 256"):
        with_input_height(model, 4)
    free = replace(model.network.children[0], shape=(1, 0, 0, 1, 0))
    with pytest.raises(ValueError, match="no fixed-height input"):
        with_input_height(replace(model, network=replace(
            model.network, children=(free, *model.network.children[1:]))), 48)
