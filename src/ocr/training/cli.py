"""``python -m ocr.training``: inspect and convert Tesseract model files.

    python -m ocr.training info MODEL [--layers]
    python -m ocr.training extract IN.traineddata OUT.COMPONENT [--component NAME]
    python -m ocr.training unpack IN.traineddata PREFIX
    python -m ocr.training replace IN.traineddata FILE.COMPONENT... -o OUT.traineddata
    python -m ocr.training dequantize IN OUT
    python -m ocr.training quantize IN OUT [--scale-padding N] [--arithmetic float32]
    python -m ocr.training finetune --lang LANG [--network MODEL] [--add-chars CHARS] [--text FILE] -o OUT
    python -m ocr.training finetune ... --snapshot    # the model of a run's latest checkpoint
    python -m ocr.training average RUN.traineddata... --reference BASE.traineddata -o OUT
    python -m ocr.training build-models [--out src/ocr/models] [--work build/models]
    python -m ocr.training evaluate LANG --model MODEL [--stock STOCK]

MODEL, IN and OUT are ``.traineddata`` files or bare LSTM models (any other suffix, e.g.
``eng.lstm`` as ``combine_tessdata -e`` writes it). ``dequantize``/``quantize`` given a
traineddata and an OUT ending in ``.traineddata`` write a whole traineddata with the
``lstm`` component replaced; otherwise OUT is the bare model (what ``lstmtraining
--continue_from`` takes). Components are named by file suffix, as ``combine_tessdata``
names them (``eng.lstm-unicharset`` is the ``lstm-unicharset`` component).

``finetune`` runs the whole fine-tuning pipeline (:mod:`ocr.training.finetune`) on an
installed fast model; ``average`` writes the mean of several runs fine-tuned from one
model (:mod:`ocr.training.average`), with BASE's charset and dictionaries;
``build-models`` rebuilds the models shipped in ``ocr/models`` with their fixed
settings; ``evaluate`` compares a model with the stock one on held-out lines
(:mod:`ocr.training.evaluate`).

Exit status: 0 success, 1 an unreadable or malformed input or a failed tool, 2 a usage
error.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Callable, Sequence

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
    dequantize,
    layer_learning_rates,
    parse_model,
    quantize,
)
from .finetune import SHIPPED, FinetuneSettings, TrainingError, build_models, finetune
from .text import focus_characters
from .traineddata import COMPONENT_NAMES, TrainedData, component_for_path, read_traineddata

__all__ = ["main", "format_info"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.run(args)
        return result
    except (OSError, ModelFormatError, KeyError, TrainingError, LookupError,
            ValueError, ImportError) as exc:  # ImportError: an optional dependency
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"ocr.training {args.command}: {message}", file=sys.stderr)
        return EXIT_FAILED
    except _UsageError as exc:
        parser.error(str(exc))
        return EXIT_USAGE  # not reached: parser.error exits


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ocr.training",
        description="Inspect and convert Tesseract traineddata files and LSTM models.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("info", help="version, components, network spec and layers")
    p.add_argument("model", type=Path, help="a .traineddata file or a bare LSTM model")
    p.add_argument("--layers", action="store_true", help="also list every layer")
    p.set_defaults(run=_info)

    p = sub.add_parser("extract", help="write one component to a file")
    p.add_argument("traineddata", type=Path)
    p.add_argument("output", type=Path, help="named like eng.lstm: the suffix picks "
                   "the component unless --component is given")
    p.add_argument("--component", choices=COMPONENT_NAMES, metavar="NAME")
    p.set_defaults(run=_extract)

    p = sub.add_parser("unpack", help="write every component to PREFIX.<component>")
    p.add_argument("traineddata", type=Path)
    p.add_argument("prefix", help="e.g. out/eng. (the component name is appended)")
    p.set_defaults(run=_unpack)

    p = sub.add_parser("replace", help="add or replace components, from files named "
                       "by component suffix")
    p.add_argument("traineddata", type=Path)
    p.add_argument("components", type=Path, nargs="+", metavar="FILE")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(run=_replace)

    for name, helptext in (("dequantize", "integer (fast) model to float model"),
                           ("quantize", "float model to integer (fast) model")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("input", type=Path, help="a .traineddata file or a bare LSTM model")
        p.add_argument("output", type=Path,
                       help="a .traineddata file (input must be one) or a bare model")
        if name == "quantize":
            p.add_argument("--scale-padding", type=int, default=1, metavar="N",
                           help="pad the scale vectors to a multiple of N (Tesseract 5 "
                           "on AVX2/NEON: 8; stock models: 1, the default)")
            p.add_argument("--arithmetic", choices=("float64", "float32"),
                           default="float64", help="float64: as Tesseract 4.0 (stock "
                           "models); float32: as Tesseract 5 built with FAST_FLOAT")
        p.set_defaults(run=_convert)

    p = sub.add_parser("finetune", help="fine-tune an installed fast model to read more "
                       "characters")
    p.add_argument("--lang", required=True, help="the installed model to start from")
    p.add_argument("--network", metavar="MODEL", help="start from this installed model's "
                   "network instead (e.g. Cyrillic for rus: the same size, and it reads 52 "
                   "of the 80 added letters already); the charset and dictionaries stay "
                   "LANG's")
    p.add_argument("--add-chars", metavar="CHARS", help="characters to add (default for "
                   "eng/rus: the extended sets of ocr.training.text.ADDED_CHARACTERS)")
    p.add_argument("--text", type=Path, metavar="FILE", help="training text, one line "
                   "per line (default for eng/rus: the project's generator)")
    p.add_argument("-o", "--output", type=Path, help="the traineddata to write "
                   "(default LANG.traineddata)")
    p.add_argument("--work", type=Path, help="work folder (default build/finetune/LANG)")
    p.add_argument("--tessdata", type=Path, help="folder of the installed models")
    p.add_argument("--snapshot", action="store_true", help="do not train: write the model "
                   "of the latest checkpoint of the run in --work (still training or "
                   "stopped), given the same options as the run")
    _training_options(p, FinetuneSettings(lang="eng"))
    p.set_defaults(run=_finetune)

    p = sub.add_parser("average", help="the mean of the weights of runs fine-tuned from "
                       "one model")
    p.add_argument("runs", type=Path, nargs="+", metavar="RUN",
                   help=".traineddata files of the runs (their float models, "
                   "LANG.float.traineddata in each run's work folder, or the integer ones)")
    p.add_argument("--reference", type=Path, required=True, metavar="BASE",
                   help="the model the runs started from: the result takes its charset, "
                   "dictionaries and every other component")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--version", help="the version component (default: the reference's, "
                   "with the number of runs averaged)")
    p.set_defaults(run=_average)

    p = sub.add_parser("build-models", help="rebuild the models shipped in ocr/models")
    p.add_argument("--out", type=Path, default=Path("src/ocr/models"))
    p.add_argument("--work", type=Path, default=Path("build/models"))
    p.add_argument("--langs", nargs="+", default=sorted(SHIPPED), choices=sorted(SHIPPED))
    p.set_defaults(run=_build_models)

    p = sub.add_parser("evaluate", help="CER and per-character recall on held-out lines, "
                       "against the stock model")
    p.add_argument("lang", choices=("eng", "rus"))
    p.add_argument("--model", type=Path, required=True)
    p.add_argument("--stock", type=Path, help="default: the installed LANG.traineddata")
    p.add_argument("--new-lines", type=int, default=300)
    p.add_argument("--plain-lines", type=int, default=100)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--json", type=Path, help="also write the scores here")
    p.set_defaults(run=_evaluate)
    return parser


def _training_options(p: argparse.ArgumentParser, d: FinetuneSettings) -> None:
    p.add_argument("--lines", type=int, help="lines of generated text (eng 4000, rus 3000)")
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--min-count", type=int, default=d.min_count,
                   help="occurrences of each new character in the generated text")
    p.add_argument("--focus", default=d.focus, metavar="CHARS|hard",
                   help="new characters to show --focus-factor times as often; 'hard': "
                   "those the first runs of the bundled models read worst "
                   "(ocr.training.text.HARD_CHARACTERS)")
    p.add_argument("--focus-factor", type=int, default=d.focus_factor)
    p.add_argument("--respelled", type=float, default=d.respelled, metavar="SHARE",
                   help="share of each new letter's lines made of dictionary words "
                   "respelled with it (ТАҞСИ), in [0, 1); default 0")
    p.add_argument("--cldr-words", action="store_true", help="add the real words of the "
                   "languages' CLDR locale data holding new characters (needs Babel: "
                   "pip install 'ocr[training]')")
    p.add_argument("--context-free", type=int, default=d.context_free, metavar="LINES",
                   help="add this many lines of made-up words holding the --focus characters "
                   "(all new ones without --focus): letters with no word to guess from; "
                   "default 0")
    p.add_argument("--capitalised", type=float, default=d.capitalised, metavar="SHARE",
                   help="share of the plain lines made of dictionary words each starting "
                   "with a capital (Компания Кот), in [0, 1): keeps a new capital (Ҟ, Ґ) "
                   "off the capitals it looks like; default 0")
    p.add_argument("--lookalike-initials", type=float, default=d.lookalike_initials,
                   metavar="SHARE", help="share of the words of the capitalised lines "
                   "swapped for words starting with a capital an added one looks like "
                   "(Ёлка for Ѐ), in [0, 1]; default 0")
    p.add_argument("--fonts", type=_font_names,
                   help="text2image font names, comma-separated (default: the "
                   "training families covering the characters)")
    p.add_argument("--extra-fonts", type=_font_names, default=d.extra_fonts,
                   help="more text2image font names to render in besides those, "
                   "comma-separated (e.g. monospace faces lacking a letter or two)")
    p.add_argument("--renders-per-line", type=int, default=d.renders_per_line)
    p.add_argument("--exposures", type=_exposures, default=d.exposures, metavar="LEVELS",
                   help="text2image exposure levels, comma-separated, each font's lines "
                   "cut among them (e.g. --exposures=-1,0,1: thinner and bolder strokes too); "
                   "default 0")
    p.add_argument("--ptsizes", type=_ptsizes, default=d.ptsizes, metavar="SIZES",
                   help="point sizes at 300 dpi, comma-separated, taken in turn by the fonts "
                   "(e.g. --ptsizes=12,10,14,5,7: small print too); default 12,10,14")
    p.add_argument("--iterations", type=int, default=d.iterations)
    p.add_argument("--learning-rate", type=float, default=d.learning_rate)
    p.add_argument("--layer-learning-rates", type=_three_rates, metavar="LOWER,LSTM,OUTPUT",
                   help="rates of the layers below the last LSTM, of the last LSTM and of "
                   "the output layer, instead of --learning-rate everywhere "
                   "(e.g. 2e-5,3e-4,1e-3: keeps more of what the stock model reads)")
    p.add_argument("--input-height", type=int, metavar="PX",
                   help="scale lines to this many pixels high for the network instead of "
                   "its own input height (e.g. 48 for a 36-px network: marks a third "
                   "larger, a third slower)")
    p.add_argument("--no-warm-start", action="store_true", help="start new characters "
                   "from the mean output row, as lstmtraining does")
    p.add_argument("--bias-offset", type=float, default=d.bias_offset)
    p.add_argument("--jobs", type=int, default=d.jobs, help="rendering processes")


def _three_rates(text: str) -> tuple[float, float, float]:
    try:
        lower, lstm, output = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected three rates LOWER,LSTM,OUTPUT (e.g. 2e-5,3e-4,1e-3), not {text!r}")
    return lower, lstm, output


def _integers(example: str, what: str) -> Callable[[str], tuple[int, ...]]:
    def parse(text: str) -> tuple[int, ...]:
        try:
            return tuple(int(part) for part in text.split(","))
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what} such as {example}, not {text!r}")
    return parse


def _font_names(text: str) -> tuple[str, ...]:
    # a comma followed by a space is part of a name: "Roboto Condensed, Bold"
    return tuple(name.strip() for name in re.split(r",(?! )", text) if name.strip())


_exposures = _integers("-1,0,1", "exposure levels")
_ptsizes = _integers("12,10,14", "point sizes")


def _finetune(args: argparse.Namespace) -> int:
    settings = FinetuneSettings(
        lang=args.lang, network=args.network, text=args.text, add_chars=args.add_chars,
        lines=args.lines, seed=args.seed, min_count=args.min_count,
        focus=focus_characters(args.lang, args.focus),
        focus_factor=args.focus_factor, respelled=args.respelled, cldr_words=args.cldr_words,
        context_free=args.context_free, capitalised=args.capitalised,
        lookalike_initials=args.lookalike_initials,
        fonts=args.fonts, extra_fonts=args.extra_fonts,
        renders_per_line=args.renders_per_line, exposures=args.exposures,
        ptsizes=args.ptsizes,
        iterations=args.iterations,
        learning_rate=args.learning_rate, layer_learning_rates=args.layer_learning_rates,
        input_height=args.input_height, warm_start=not args.no_warm_start,
        bias_offset=args.bias_offset, jobs=args.jobs, tessdata=args.tessdata)
    work = args.work or Path("build/finetune") / args.lang
    finetune(settings, work, args.output or Path(f"{args.lang}.traineddata"),
             snapshot=args.snapshot)
    return EXIT_OK


def _average(args: argparse.Namespace) -> int:
    from .average import averaged_traineddata

    if len(args.runs) < 2:
        raise _UsageError("average needs at least two runs")
    reference = read_traineddata(args.reference)
    version = args.version or f"{reference.version} + ocr mean of {len(args.runs)} runs"
    result = averaged_traineddata([read_traineddata(path) for path in args.runs], reference,
                                  version=version)
    _write(result.to_bytes(), args.output)
    return EXIT_OK


def _build_models(args: argparse.Namespace) -> int:
    build_models(args.out, args.work, langs=args.langs)
    return EXIT_OK


def _evaluate(args: argparse.Namespace) -> int:
    import json

    from .._tesseract import find_tessdata
    from .evaluate import Score, drawn_alike, evaluate_model, evaluation_fonts, format_report
    from .text import new_characters

    stock_path = args.stock or find_tessdata() / f"{args.lang}.traineddata"
    not_scored = drawn_alike(args.lang, evaluation_fonts(args.lang))
    reports = [evaluate_model(args.lang, path, new_lines=args.new_lines,
                              plain_lines=args.plain_lines, workers=args.workers,
                              not_scored=not_scored)
               for path in (stock_path, args.model)]
    print(format_report(args.lang, reports[0], reports[1], new_characters(args.lang),
                        not_scored=not_scored))
    if args.json:
        added = new_characters(args.lang)

        def scores(s: Score) -> dict[str, object]:
            read_as: dict[str, dict[str, int]] = {}
            for (truth, output), count in s.misread.items():
                if truth in added:
                    read_as.setdefault(truth, {})[output] = count
            return {"cer": s.cer, "errors": s.errors, "chars": s.chars, "lines": s.lines,
                    "recall": {c: s.recall(c) for c in added}, "read_as": read_as,
                    "words": {c: s.words_with(c) for c in added}}

        data: dict[str, object] = {
            name: {"new": scores(r.new), "plain": scores(r.plain),
                   "new_by_font": {font: scores(s) for font, s in r.new_by_font.items()}}
            for name, r in zip(("stock", "model"), reports)}
        data["not_scored"] = not_scored
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return EXIT_OK


# -- loading ----------------------------------------------------------------------------
def _is_traineddata(path: Path) -> bool:
    return path.suffix == ".traineddata"


def _load(path: Path) -> tuple[TrainedData | None, LSTMModel | None]:
    """The traineddata (if ``path`` is one) and its LSTM model (if it has one)."""
    if _is_traineddata(path):
        td = read_traineddata(path)
        if "lstm" not in td:
            return td, None
        return td, parse_model(td["lstm"], source=f"the lstm component of {path}")
    return None, parse_model(path.read_bytes(), source=os.fspath(path))


def _write(data: bytes, path: Path) -> None:
    path.write_bytes(data)
    print(f"Wrote {path} ({len(data)} bytes)")


# -- commands ---------------------------------------------------------------------------
def _info(args: argparse.Namespace) -> int:
    td, model = _load(args.model)
    print(format_info(td, model, layers=args.layers), end="")
    return EXIT_OK


def _extract(args: argparse.Namespace) -> int:
    td = read_traineddata(args.traineddata)
    name = args.component or component_for_path(args.output)
    _write(td[name], args.output)
    return EXIT_OK


def _unpack(args: argparse.Namespace) -> int:
    td = read_traineddata(args.traineddata)
    for name in td:
        _write(td[name], Path(f"{args.prefix}{name}"))
    return EXIT_OK


def _replace(args: argparse.Namespace) -> int:
    td = read_traineddata(args.traineddata)
    for path in args.components:
        td = td.with_component(component_for_path(path), path.read_bytes())
    _write(td.to_bytes(), args.output)
    return EXIT_OK


def _convert(args: argparse.Namespace) -> int:
    if _is_traineddata(args.output) and not _is_traineddata(args.input):
        raise _UsageError("writing a .traineddata needs a .traineddata input (a bare "
                          "model has no unicharset or dictionaries)")
    td, model = _load(args.input)
    if model is None:
        raise ModelFormatError(f"{args.input} has no lstm component")
    if args.command == "dequantize":
        converted = dequantize(model)
    else:
        if args.scale_padding < 1:
            raise _UsageError("--scale-padding must be at least 1")
        converted = quantize(model, scale_padding=args.scale_padding,
                             arithmetic=args.arithmetic)
    data = converted.to_bytes()
    if _is_traineddata(args.output):
        assert td is not None
        data = td.with_component("lstm", data).to_bytes()
    _write(data, args.output)
    return EXIT_OK


# -- info -------------------------------------------------------------------------------
def _g(value: float) -> str:
    """A float as C++'s ``operator<<`` prints it (6 significant digits, %g)."""
    return f"{value:g}"


def _unicharset_size(text: bytes) -> int | None:
    first = text.split(b"\n", 1)[0].strip()
    return int(first) if first.isdigit() else None


def format_info(td: TrainedData | None, model: LSTMModel | None, *,
                layers: bool = False) -> str:
    """The report ``info`` prints.

    The ``LSTM:`` and ``Layer Learning Rates:`` lines are formatted as
    ``combine_tessdata -l`` prints them, so the two can be compared.
    """
    lines = []
    if td is not None:
        lines.append(f"Version: {td.version}")
        lines.append(f"Offset table: {td.num_entries} entries")
        for number, name, size in td.directory():
            lines.append(f"{number}:{name}:size={size}")
    if model is not None:
        lines.append(
            f"LSTM: network={model.spec}, int_mode={int(model.is_int_mode)}, "
            f"recoding={int(model.is_recoding)}, iteration={model.training_iteration}, "
            f"sample_iteration={model.sample_iteration}, null_char={model.null_char}, "
            f"learning_rate={_g(model.learning_rate)}, momentum={_g(model.momentum)}, "
            f"adam_beta={_g(model.adam_beta)}")
        rates = layer_learning_rates(model)
        if rates:
            lines.append("Layer Learning Rates: " + ", ".join(
                f"{layer_id}({layer.name})={'?' if rate is None else _g(rate)}"
                for layer_id, layer, rate in rates))
        unichars = None
        if model.unicharset is not None:
            unichars = _unicharset_size(model.unicharset)
        elif td is not None and "lstm-unicharset" in td:
            unichars = _unicharset_size(td["lstm-unicharset"])
        total = sum(m.weights.size for layer in model.layers()
                    for m in layer.weight_matrices())
        lines.append(f"Unicharset: {'unknown' if unichars is None else unichars} "
                     f"entries; outputs (code range): {model.num_outputs}; "
                     f"weights: {total} ({'int8' if model.is_int_mode else 'float'})")
        if layers:
            lines.append("Layers:")
            lines.extend(_layer_lines(model.network, 1))
    return "\n".join(lines) + "\n"


def _layer_lines(layer: Layer, depth: int) -> list[str]:
    head = (f"{'  ' * depth}{layer.type} {layer.name!r}: ni={layer.ni} no={layer.no} "
            f"num_weights={layer.num_weights} flags={layer.flags} "
            f"training={layer.training}")
    if isinstance(layer, Input):
        head += f" shape={layer.shape}"
    elif isinstance(layer, Convolve):
        head += f" half_x={layer.half_x} half_y={layer.half_y}"
    elif isinstance(layer, Reconfig):
        head += f" x_scale={layer.x_scale} y_scale={layer.y_scale}"
    elif isinstance(layer, Plumbing) and layer.learning_rates is not None:
        head += " learning_rates=[" + ", ".join(map(_g, layer.learning_rates)) + "]"
    elif isinstance(layer, LSTM):
        head += f" na={layer.na}{' 2-D' if layer.is_2d else ''}"
    out = [head]
    matrices = layer.weight_matrices()
    names = LSTM.GATE_NAMES if isinstance(layer, LSTM) else ("W",) * len(matrices)
    if isinstance(layer, (LSTM, FullyConnected)):
        for name, matrix in zip(names, matrices):
            rows, cols = matrix.weights.shape
            kind = "int8" if matrix.is_int else "float64"
            out.append(f"{'  ' * (depth + 1)}{name}: {rows}x{cols} {kind} "
                       f"mode={matrix.mode}")
    for child in layer.children_layers():
        out.extend(_layer_lines(child, depth + 1))
    return out
