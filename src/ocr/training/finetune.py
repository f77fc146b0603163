"""Fine-tune an installed integer ("fast") model to read more characters.

Upstream ``lstmtraining`` refuses to continue from the integer models Debian installs;
this pipeline gives it a float model it accepts (:func:`~ocr.training.dequantize`), trains
it on lines rendered from the project's own text, and converts the result back to an
integer model. Each stage is a function working in one folder (``work``); nothing is
written anywhere else until :func:`finetune` copies the finished model to ``out``:

1. :func:`extract_stock` - the stock traineddata's components (``combine_tessdata -u``)
   and its LSTM de-quantized to float;
2. :func:`write_training_text` - :func:`ocr.training.text.training_lines` (fixed seed),
   or a text file of your own;
3. :func:`build_unicharset` - ``unicharset_extractor`` on the text, ``merge_unicharsets``
   with the stock ``lstm-unicharset`` (old ids kept, new ones appended);
4. :func:`build_wordlists` - the stock word, punctuation and number lists
   (``dawg2wordlist``), plus the words of the training text that carry new characters;
5. :func:`build_starter` - ``combine_lang_model``: the new ``lstm-unicharset``,
   ``lstm-recoder`` and dictionaries;
6. :func:`render` - ``text2image`` in the training fonts, then ``tesseract X.tif X
   lstm.train`` to ``.lstmf`` line data, ``jobs`` processes at a time;
7. :func:`initial_model` - the float model on the new codes: rows of existing
   characters copied, each new character's row started from its base letter's
   (:func:`~ocr.training.charset.base_letters`: Ŀ from L, Ҕ from Г) with a lower bias;
8. :func:`train` - ``lstmtraining --continue_from`` with a reset learning rate (or the
   per-layer rates stored in the initial model), ``OMP_THREAD_LIMIT=1`` (OpenMP only
   spins on a small machine); rerun, it resumes from its last checkpoint;
9. :func:`finish` - ``lstmtraining --stop_training`` to a float model, quantized here
   (machine-independent bytes: Tesseract pads the scales to its SIMD width), assembled
   with the new charset, dictionaries and a version string that says what it is.

Everything is deterministic: the text comes from a fixed seed, text2image and
lstmtraining draw from fixed seeds, and with one thread lstmtraining's sums are always
taken in the same order, so the same inputs give the same model, byte for byte, in any
work folder (``tesseract ... lstm.train`` shuffles each font's lines with a seed taken
from the ``.lstmf`` file's name, so it is given relative names).

>>> from ocr.training.finetune import FinetuneSettings, finetune
>>> finetune(FinetuneSettings(lang="eng"), work="build/eng", out="eng.traineddata")  # doctest: +SKIP
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, overload

from ..errors import ModelFormatError
from . import cldr
from . import text as training_text
from .average import averaged_traineddata
from .charset import base_letters, code_map, read_recoder, remap_outputs, unicharset_entries
from .lstm import (dequantize, parse_model, quantize, with_input_height,
                   with_part_learning_rates)
from .traineddata import TrainedData, read_traineddata

__all__ = [
    "FinetuneSettings",
    "AveragedSettings",
    "Stock",
    "Starter",
    "TrainingError",
    "SHIPPED",
    "extract_stock",
    "write_training_text",
    "build_unicharset",
    "build_wordlists",
    "build_starter",
    "training_fonts",
    "DEFAULT_PTSIZES",
    "render",
    "initial_model",
    "train",
    "finish",
    "finetune",
    "finetune_averaged",
    "build_models",
]

Log = Callable[[str], None]

#: Point sizes at 300 dpi the fonts take in turn unless told otherwise (42 to 58 px to the em).
DEFAULT_PTSIZES = (12, 10, 14)


class TrainingError(RuntimeError):
    """A training tool failed; the message names the command and its error output."""


@dataclass(frozen=True, slots=True)
class FinetuneSettings:
    """What a fine-tuning run does. The defaults are the shipped models' settings.

    Parameters
    ----------
    lang : str
        The installed model to start from (``eng``, ``rus``, ``fra``...): its charset,
        dictionaries and, unless ``network`` says otherwise, its network.
    network : str, optional
        Another installed model whose network to start from, e.g. the script model
        ``Cyrillic`` for ``rus``: a network of the same size that already reads 52 of
        the 80 letters added to ``rus`` (``Latin`` reads 168 of the 216 added to ``eng``,
        but its network is larger and reads 1.6x slower). Rows of the characters it
        knows are kept; the model made has ``lang``'s charset (grown) and dictionaries.
    text : path, optional
        Training text, one line per line. Default for ``eng`` and ``rus``: the project's
        generator (:func:`ocr.training.text.training_lines`); other languages need one.
    add_chars : str, optional
        Characters the new model must have; each must occur in the text. Default for
        ``eng``/``rus``: :data:`ocr.training.text.ADDED_CHARACTERS`.
    lines, seed, min_count : int
        Lines of generated text (default :data:`~ocr.training.text.DEFAULT_LINES`), the
        generator's seed, and how often each new character must occur in it.
    focus : str
        New characters the generated text shows ``focus_factor`` times as often as the
        others (e.g. :data:`ocr.training.text.HARD_CHARACTERS`, those read worst).
    focus_factor : int
        How many times as often (default 3).
    respelled : float
        Share of each new letter's lines in the generated text made of dictionary words
        respelled with it (ТАҞСИ): the letter in more words than the few real ones that
        hold it (:func:`ocr.training.text.training_lines`).
    cldr_words : bool
        Add the words of the languages' CLDR locale data (:mod:`ocr.training.cldr`,
        needs Babel) to the generated text's real words.
    context_free : int
        Lines of made-up words holding the ``focus`` characters (all new ones without a
        focus) added to the generated text (:func:`ocr.training.text.context_free_lines`):
        letters with no word around them to guess from.
    capitalised : float
        Share of the generated text's plain lines made of dictionary words each written
        with a capital first (Компания Кот), so that a new capital (Ҟ, Ґ) is not learnt
        as the answer for every capital that looks like it
        (:func:`ocr.training.text.training_lines`).
    lookalike_initials : float
        Share of the words of those capitalised lines swapped for dictionary words that
        start with a capital an added one looks like (Ёлка for Ѐ, Город for Ґ), so that
        the stock capitals stay read at the start of a word.
    fonts : tuple of str, optional
        ``text2image`` font names; default :func:`training_fonts`.
    extra_fonts : tuple of str
        Faces to render in besides ``fonts`` (or the default ones), each a slice of the
        lines like the others: e.g. monospace faces that lack a letter or two, which the
        default choice leaves out (``text2image`` drops the words a face cannot draw).
    renders_per_line : int
        Each line of text is rendered in this many fonts (the text is cut into one
        slice per font, going round the text this many times).
    ptsizes : tuple of int
        Point sizes at 300 dpi, taken in turn by the fonts (10 pt is 42 px to the em; 4 pt,
        17 px, is small print).
    exposures : tuple of int
        ``text2image --exposure`` levels: each font's lines are cut into this many parts,
        one drawn at each level (below 0 lighter, thinner strokes; above 0 darker and
        bolder, as a photocopier would). More than ``(0,)`` shows each design in more
        stroke weights.
    iterations : int
        lstmtraining iterations (one text line each).
    learning_rate : float
        Set on every layer (``--reset_learning_rate``): the stock models store tiny
        per-layer rates that learn nothing in a few thousand iterations.
    layer_learning_rates : (float, float, float), optional
        Instead of ``learning_rate`` everywhere: the rates of the layers below the last
        LSTM, of the last LSTM, and of the output layer (e.g. ``(2e-5, 3e-4, 1e-3)``).
        Slow lower layers keep what the stock model reads of designs it was trained on
        (src/ocr/models/MODELS.md has the measurements).
    input_height : int, optional
        Scale the lines to this many pixels high for the network (its input layer's
        height, :func:`ocr.training.lstm.with_input_height`) instead of the height of the
        network started from: at 48 px the 36-px ``rus`` network sees the marks that tell
        Ҟ and Қ from К a third larger, and reads a third slower.
    warm_start : bool
        Start each new character's output row from its base letter's row.
    bias_offset : float
        How much lower the warm-started rows' bias starts than the base letter's.
    jobs : int
        Processes for rendering.
    version : str, optional
        The version component; default: the stock one plus what was added.
    after : FinetuneSettings or AveragedSettings, optional
        A run (or an average of runs) to make first (in ``work/before``, to its end,
        also when this run is only asked for a snapshot) whose model's network this run
        starts from, in place of ``network``: a second stage, e.g. on text with
        ``focus``. The command line has no option for it; ``--network`` with
        ``--tessdata`` naming a folder that holds the first model does the same by hand.
    """

    lang: str
    network: str | None = None
    text: Path | None = None
    add_chars: str | None = None
    lines: int | None = None
    seed: int = 1
    min_count: int = 60
    focus: str = ""
    focus_factor: int = 3
    respelled: float = 0.0
    cldr_words: bool = False
    context_free: int = 0
    capitalised: float = 0.0
    lookalike_initials: float = 0.0
    fonts: tuple[str, ...] | None = None
    extra_fonts: tuple[str, ...] = ()
    renders_per_line: int = 3
    ptsizes: tuple[int, ...] = DEFAULT_PTSIZES
    exposures: tuple[int, ...] = (0,)
    iterations: int = 10000
    learning_rate: float = 1e-3
    layer_learning_rates: tuple[float, float, float] | None = None
    input_height: int | None = None
    warm_start: bool = True
    bias_offset: float = 1.0
    jobs: int = 2
    version: str | None = None
    tessdata: Path | None = None
    font_dirs: tuple[str, ...] = field(default=("/usr/share/fonts",))
    after: FinetuneSettings | AveragedSettings | None = None

    def __post_init__(self) -> None:
        if not self.exposures or not all(-3 <= e <= 3 for e in self.exposures):
            raise ValueError(f"exposures must be levels from -3 to 3, not {self.exposures!r}")
        if not self.ptsizes or not all(2 <= size <= 72 for size in self.ptsizes):
            raise ValueError(f"ptsizes must be point sizes from 2 to 72, not {self.ptsizes!r}")
        if self.input_height is not None and not 8 <= self.input_height <= 256:
            raise ValueError(f"input_height must be from 8 to 256 pixels, not {self.input_height}")


@dataclass(frozen=True, slots=True, kw_only=True)
class AveragedSettings:
    """Several runs from one model, and the mean of their weights (:mod:`ocr.training.average`).

    ``base`` is made first (with whatever runs it comes ``after``); each of ``runs`` then
    starts from its network, as ``FinetuneSettings(after=base)`` would, but the base is
    made once. The model written is the base model with the runs' mean weights: its
    charset and dictionaries are the base's.

    Parameters
    ----------
    lang : str
        The language of the base and of every run.
    base : FinetuneSettings or AveragedSettings
        The run (or average) every one of ``runs`` starts from.
    runs : tuple of FinetuneSettings
        The runs to average, each without ``after`` or ``network`` of its own.
    version : str, optional
        The version component; default: the stock one, the base's and what each run did.
    """

    lang: str
    base: FinetuneSettings | AveragedSettings
    runs: tuple[FinetuneSettings, ...]
    version: str | None = None

    def __post_init__(self) -> None:
        if len(self.runs) < 2:
            raise ValueError("averaging needs at least two runs")
        for settings in (self.base, *self.runs):
            if settings.lang != self.lang:
                raise ValueError(f"a {settings.lang} run in a {self.lang} average")
        if any(run.after is not None or run.network is not None for run in self.runs):
            raise ValueError("the averaged runs start from the base: give them no "
                             "after or network of their own")


_SLOW_LOWER_LAYERS = (2e-5, 3e-4, 1e-3)

#: Monospace faces that lack only Abkhaz Ԥ ԥ (left out by the default choice): their Ј is
#: a J with a serif on top, their І slab-serifed (fonts-firacode, fonts-freefont-ttf,
#: fonts-liberation2, fonts-cmu).
MONOSPACE_FACES = (
    "Fira Code", "Fira Code Bold", "Fira Code Medium", "FreeMono Bold", "FreeMono Oblique",
    "FreeMono Bold Oblique", "Liberation Mono", "Liberation Mono Bold", "Liberation Mono Italic",
    "Liberation Mono Bold Italic", "CMU Typewriter Text Medium", "CMU Typewriter Text Bold",
    "CMU Typewriter Text Medium Italic", "CMU Typewriter Text Bold Italic")
#: More designs with every added Cyrillic letter (fonts-sil-andika, -charis, -doulos,
#: -gentiumplus, fonts-vollkorn, fonts-firacode).
MORE_DESIGNS = (
    "Andika", "Andika Bold", "Andika Bold Italic", "Andika Italic", "Charis SIL",
    "Charis SIL Bold", "Charis SIL Bold Italic", "Charis SIL Italic", "Doulos SIL",
    "Fira Code", "Fira Code Bold", "Fira Code Medium", "Gentium Plus", "Gentium Plus Bold",
    "Gentium Plus Bold Italic", "Gentium Plus Italic", "Vollkorn", "Vollkorn Bold",
    "Vollkorn Bold Italic", "Vollkorn Italic")

_RUS_FIFTH_RUN = FinetuneSettings(
    lang="rus", iterations=10000, seed=5,
    focus=training_text.FOURTH_RUN_HARD_CHARACTERS["rus"], respelled=0.5, cldr_words=True,
    exposures=(-1, 0, 1), ptsizes=(12, 10, 14, 5, 7),
    layer_learning_rates=_SLOW_LOWER_LAYERS,
    after=FinetuneSettings(
        lang="rus", iterations=10000, seed=4,
        focus=training_text.THIRD_RUN_HARD_CHARACTERS["rus"], respelled=0.5,
        cldr_words=True, exposures=(-1, 0, 1), ptsizes=(12, 10, 14, 5, 7),
        layer_learning_rates=_SLOW_LOWER_LAYERS,
        after=FinetuneSettings(
            lang="rus", iterations=10000, seed=3,
            focus=training_text.STILL_HARD_CHARACTERS["rus"],
            layer_learning_rates=_SLOW_LOWER_LAYERS,
            after=FinetuneSettings(
                lang="rus", iterations=10700, focus=training_text.HARD_CHARACTERS["rus"],
                layer_learning_rates=_SLOW_LOWER_LAYERS,
                after=FinetuneSettings(lang="rus", iterations=60000,
                                       layer_learning_rates=_SLOW_LOWER_LAYERS)))))

#: The sixth stage of ``rus``: six runs from the fifth, each on text and faces of its own
#: (focus on its weakest letters, monospace faces, more designs, capitalised plain
#: lines, made-up words), averaged.
_RUS_SIXTH = FinetuneSettings(lang="rus", respelled=0.5, cldr_words=True,
                              exposures=(-1, 0, 1), ptsizes=(12, 10, 14, 5, 7),
                              layer_learning_rates=_SLOW_LOWER_LAYERS)
_RUS_SIXTH_RUNS = (
    replace(_RUS_SIXTH, seed=6, focus="ЈІЇһ", extra_fonts=MONOSPACE_FACES),
    replace(_RUS_SIXTH, seed=8, focus="ҞҚЇЈІһ", capitalised=0.3, extra_fonts=MONOSPACE_FACES),
    replace(_RUS_SIXTH, seed=8, focus="ҞҚЇЈІһ", capitalised=0.3, context_free=1000,
            extra_fonts=MONOSPACE_FACES),
    replace(_RUS_SIXTH, seed=6, focus="ҞҚЇЈІһҠҺ", context_free=1000),
    replace(_RUS_SIXTH, seed=6, focus="ҞҚЇЈІһҠҺ", context_free=1000,
            extra_fonts=MONOSPACE_FACES),
    replace(_RUS_SIXTH, seed=6, focus="ҞҚЇЈІһҠҺ", context_free=1000, extra_fonts=MORE_DESIGNS),
)

#: The settings of the models shipped in ``ocr/models`` (``build-models``): ``eng`` from
#: the ``Latin`` script model's network (it already reads most of the added letters; its
#: 48-px input tells accents over capitals apart, at 1.6x ``eng``'s CPU per page), ``rus``
#: from its own; both with the lower layers nearly still so that plain text reads as well
#: as with the stock models. ``eng`` then has a second, slower run on more lines that
#: shows the letters the first read worst (and their look-alikes) three times as often;
#: stopped at 14100 iterations, before it began to answer them on plain words.
#: ``rus`` has three more: the letters its first run read worst, then those its second
#: still read worst, three times as often, each on text of its own seed; then those its
#: third read worst, on text where half of their lines are respelled dictionary words and
#: CLDR's words are added, drawn at three stroke weights and in small print too (which
#: keeps the rare letters off plain words in small print); then six runs from that fifth
#: one, averaged (:class:`AveragedSettings`)
#: (src/ocr/models/MODELS.md has the figures, and the runs that were not shipped).
SHIPPED: dict[str, FinetuneSettings | AveragedSettings] = {
    "eng": FinetuneSettings(
        lang="eng", lines=8000, min_count=70, iterations=14100,
        focus=training_text.HARD_CHARACTERS["eng"] + "Ěě¼ļĽ",
        layer_learning_rates=(1e-5, 1e-4, 5e-4),
        after=FinetuneSettings(lang="eng", network="Latin", iterations=17400,
                               layer_learning_rates=_SLOW_LOWER_LAYERS)),
    "rus": AveragedSettings(lang="rus", base=_RUS_FIFTH_RUN, runs=_RUS_SIXTH_RUNS),
}


# -- running tools ------------------------------------------------------------------------

def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise FileNotFoundError(
            f"{name} is not installed; it comes with Debian's tesseract-ocr and "
            "tesseract-ocr training tools (apt-get install tesseract-ocr libtesseract-dev "
            "tesseract-ocr-eng; the training tools are in the 'tesseract-ocr' package's "
            "companions, e.g. 'apt-get install tesseract-ocr-all' or building Tesseract "
            "with training tools)")
    return path


def _env() -> dict[str, str]:
    return dict(os.environ, OMP_THREAD_LIMIT="1", LC_ALL="C.UTF-8")


_Arg = str | int | float | os.PathLike[str]


def _run(args: Sequence[_Arg], *, cwd: Path | None = None,
         log_to: Path | None = None, append: bool = False) -> str:
    """Run a tool; its output goes to ``log_to`` as it comes (when given) and is returned."""
    cmd = [_tool(str(args[0])), *map(str, args[1:])]
    if log_to is not None:
        with open(log_to, "a" if append else "w", encoding="utf-8", errors="replace") as log:
            returncode = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=cwd,
                                        env=_env(), check=False).returncode
        output = log_to.read_text(encoding="utf-8", errors="replace")
    else:
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=_env(),
                              check=False, errors="replace")
        returncode, output = done.returncode, done.stdout + done.stderr
    if returncode != 0:
        tail = "\n".join(output.strip().splitlines()[-15:])
        raise TrainingError(f"{' '.join(map(str, args))} failed ({returncode}):\n{tail}")
    return output


def _fingerprint(*parts: str | bytes) -> str:
    """A digest of everything a stage's output depends on."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def _stock_folder(settings: FinetuneSettings | AveragedSettings) -> Path:
    from .._tesseract import find_tessdata

    while isinstance(settings, AveragedSettings):
        settings = settings.base
    return find_tessdata(settings.tessdata)


# -- 1. the stock model ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Stock:
    """The stock model's files in the work folder."""

    traineddata: Path
    prefix: Path  # prefix + "lstm-unicharset" etc.
    float_lstm: Path
    version: str

    def component(self, name: str) -> Path:
        return Path(f"{self.prefix}{name}")


def extract_stock(lang: str, work: Path, *, tessdata: Path | None = None,
                  folder_name: str = "stock") -> Stock:
    """Copy the installed ``lang`` model to ``work/folder_name``, unpack its components,
    de-quantize its LSTM."""
    from .._tesseract import find_tessdata

    source = find_tessdata(tessdata) / f"{lang}.traineddata"
    folder = work / folder_name
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / f"{lang}.traineddata"
    shutil.copyfile(source, copy)
    stock = read_traineddata(copy)
    if "lstm" not in stock or "lstm-unicharset" not in stock or "lstm-recoder" not in stock:
        raise TrainingError(f"{source} is not an LSTM model with a recoded unicharset")
    prefix = folder / f"{lang}."
    for name in stock:
        Path(f"{prefix}{name}").write_bytes(stock[name])
    model = parse_model(stock["lstm"], source=f"the lstm component of {source}")
    float_lstm = folder / f"{lang}.float.lstm"
    float_lstm.write_bytes(dequantize(model).to_bytes())
    return Stock(copy, prefix, float_lstm, stock.version)


# -- 2. text ------------------------------------------------------------------------------

def _added_chars(settings: FinetuneSettings) -> str:
    if settings.add_chars is not None:
        return settings.add_chars
    return training_text.ADDED_CHARACTERS.get(settings.lang, "")


def write_training_text(settings: FinetuneSettings, work: Path, stock: Stock) -> Path:
    """The training text, one line per line, in ``work/LANG.training_text``.

    Raises ValueError when a character to add (one the stock model lacks) is not in it.
    """
    out = work / f"{settings.lang}.training_text"
    if settings.text is not None:
        if (settings.focus or settings.respelled or settings.cldr_words
                or settings.context_free or settings.capitalised
                or settings.lookalike_initials):
            raise ValueError("focus, respelled, CLDR words, context-free and capitalised "
                             "lines and look-alike initials shape the generated text; a "
                             "text of your own (--text) must show the characters as you "
                             "want them")
        lines = [unicodedata.normalize("NFC", line.strip()) for line in
                 Path(settings.text).read_text(encoding="utf-8").splitlines()]
        lines = [line for line in lines if line]
    elif settings.lang in training_text.LANGUAGES:
        lines = training_text.training_lines(settings.lang, lines=settings.lines,
                                             seed=settings.seed, min_count=settings.min_count,
                                             focus=settings.focus,
                                             focus_factor=settings.focus_factor,
                                             respelled=settings.respelled,
                                             cldr_words=settings.cldr_words,
                                             context_free=settings.context_free,
                                             capitalised=settings.capitalised,
                                             lookalike_initials=settings.lookalike_initials,
                                             tessdata=settings.tessdata)
    else:
        raise ValueError(f"no text generator for {settings.lang!r}: give a training text "
                         "(--text FILE) holding the characters to add")
    present = set("".join(lines)) | set(
        unicharset_entries(stock.component("lstm-unicharset").read_bytes()))
    missing = [c for c in _added_chars(settings) if c not in present and not c.isspace()]
    if missing:
        raise ValueError(f"the training text never has {' '.join(missing)}: a character "
                         "can only be learnt from lines that show it")
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return out


# -- 3. unicharset --------------------------------------------------------------------------

def build_unicharset(stock: Stock, text_path: Path, work: Path) -> Path:
    """``unicharset_extractor`` on the text, merged into the stock ``lstm-unicharset``."""
    extracted = work / "text.unicharset"
    merged = work / "merged.unicharset"
    _run(["unicharset_extractor", "--output_unicharset", extracted, "--norm_mode", "1",
          text_path])
    _run(["merge_unicharsets", stock.component("lstm-unicharset"), extracted, merged])
    old = unicharset_entries(stock.component("lstm-unicharset").read_bytes())
    new = unicharset_entries(merged.read_bytes())
    if new[:len(old)] != old:
        raise TrainingError("merge_unicharsets did not keep the stock ids")
    return merged


def new_characters(stock: Stock, unicharset: Path) -> list[str]:
    """The unichars ``unicharset`` has beyond the stock ones."""
    old = unicharset_entries(stock.component("lstm-unicharset").read_bytes())
    return unicharset_entries(unicharset.read_bytes())[len(old):]


# -- 4. dictionaries ------------------------------------------------------------------------

_EDGE_PUNCT = re.compile(r"^[^\w]+|[^\w]+$")


def build_wordlists(stock: Stock, text_path: Path, added: Sequence[str],
                    work: Path) -> dict[str, Path]:
    """The stock word, punctuation and number lists, the word list grown by the words
    of the training text that carry an added character."""
    lists: dict[str, Path] = {}
    for kind in ("word", "punc", "number"):
        dawg = stock.component(f"lstm-{kind}-dawg")
        out = work / f"stock.{kind}s"
        if dawg.is_file():
            _run(["dawg2wordlist", stock.component("lstm-unicharset"), dawg, out])
        else:
            out.write_text("", encoding="utf-8")
        lists[kind] = out
    added_set = set(added)
    new_words: set[str] = set()
    for line in text_path.read_text(encoding="utf-8").splitlines():
        for token in line.split():
            word = _EDGE_PUNCT.sub("", token)
            if word and added_set & set(word):
                new_words.add(word)
    words = lists["word"].read_text(encoding="utf-8").splitlines()
    known = set(words)
    words += sorted(w for w in new_words if w not in known)
    grown = work / "words"
    grown.write_text("".join(w + "\n" for w in words), encoding="utf-8")
    lists["word"] = grown
    return lists


# -- 5. starter traineddata -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Starter:
    """``combine_lang_model``'s output: the new charset and dictionaries."""

    traineddata: Path
    added: tuple[str, ...]


def build_starter(lang: str, stock: Stock, unicharset: Path, lists: dict[str, Path],
                  work: Path) -> Starter:
    """Run ``combine_lang_model`` into ``work/starter/LANG/LANG.traineddata``."""
    script_dir = work / "langdata"
    script_dir.mkdir(exist_ok=True)
    # combine_lang_model insists on a radical-stroke table; it matters only for Han
    (script_dir / "radical-stroke.txt").write_text(
        "# no Han characters: radicals and strokes are not used\n", encoding="utf-8")
    output = work / "starter"
    (output / lang).mkdir(parents=True, exist_ok=True)
    _run(["combine_lang_model", "--input_unicharset", unicharset, "--script_dir",
          script_dir, "--words", lists["word"], "--puncs", lists["punc"], "--numbers",
          lists["number"], "--output_dir", output, "--lang", lang],
         log_to=work / "combine_lang_model.log")
    path = output / lang / f"{lang}.traineddata"
    starter = read_traineddata(path)
    for name in ("lstm-unicharset", "lstm-recoder"):
        if name not in starter:
            raise TrainingError(f"combine_lang_model wrote no {name}")
    return Starter(path, tuple(new_characters(stock, unicharset)))


# -- 6. rendering ---------------------------------------------------------------------------

def training_fonts(settings: FinetuneSettings, chars: str) -> list[str]:
    """Fonts to render in: the training families (:data:`~ocr.training.text.TRAINING_FAMILIES`,
    never the held-out ones) covering ``chars``, regular/bold/italic faces, monospace
    included. For ``eng``/``rus``: :func:`~ocr.training.text.recommended_fonts`.
    Then ``settings.extra_fonts``, which must be installed."""
    if settings.fonts is not None:
        names = list(settings.fonts)
    else:
        if settings.lang in training_text.LANGUAGES and settings.add_chars is None:
            train, _ = training_text.recommended_fonts(settings.lang)
        else:
            pool = [f for f in training_text.installed_fonts(settings.font_dirs)
                    if training_text._core(f)]
            train, _ = training_text.split_fonts(training_text.fonts_covering(chars, pool))
        if not train:
            raise TrainingError(f"no installed training font covers {chars!r}")
        names = [f.name for f in train]
    if settings.extra_fonts:
        installed = {f.name for f in training_text.installed_fonts(settings.font_dirs)}
        missing = [name for name in settings.extra_fonts if name not in installed]
        if missing:
            raise TrainingError(f"extra fonts not installed under {settings.font_dirs}: "
                                f"{', '.join(missing)}")
        names += [name for name in settings.extra_fonts if name not in names]
    return names


def _slices(lines: Sequence[str], parts: int, repeats: int) -> list[list[str]]:
    """``repeats`` rounds of ``lines`` cut into ``parts`` slices of (nearly) equal size."""
    stream = list(lines) * repeats
    size = -(-len(stream) // parts)
    return [stream[i * size:(i + 1) * size] for i in range(parts)]


def _font_file_name(font: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", font).strip("_")


def _render_one(font: str, lines: Sequence[str], ptsize: int, exposure: int, ground: Path,
                fonts_dir: str, tessdata: Path, lang: str) -> Path | None:
    base = ground / f"{lang}.{_font_file_name(font)}.exp{exposure}"
    lstmf = Path(f"{base}.lstmf")
    text_file = Path(f"{base}.txt")
    text_file.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    _run(["text2image", "--fonts_dir", fonts_dir, "--fontconfig_tmpdir", ground,
          "--font", font, "--text", text_file, "--outputbase", base, "--ptsize", ptsize,
          "--resolution", 300, "--leading", 32, "--char_spacing", 0, "--exposure", exposure,
          "--strip_unrenderable_words", "--max_pages", 0], cwd=ground)
    tif = Path(f"{base}.tif")
    if not tif.is_file():
        return None
    # relative names: Tesseract shuffles a page's lines with a seed taken from its name,
    # so the same lines train in the same order whatever folder the run is in
    _run(["tesseract", tif.name, base.name, "--tessdata-dir", tessdata, "-l", lang,
          "lstm.train"], cwd=ground)
    tif.unlink()  # the pages are in the .lstmf now
    return lstmf if lstmf.is_file() else None


_LSTM_TRAIN_CONFIG = """\
file_type                   .bl
textord_fast_pitch_test T
tessedit_zero_rejection T
tessedit_minimal_rejection F
tessedit_write_rep_codes F
edges_children_fix F
edges_childarea 0.65
edges_boxarea 0.9
tessedit_train_line_recognizer T
textord_no_rejects T
tessedit_init_config_only T
"""


def render(settings: FinetuneSettings, text_path: Path, fonts: Sequence[str], work: Path,
           *, log: Log = print) -> Path:
    """Render the text in every font and make ``.lstmf`` line data; returns the list file.

    The lines of an earlier run with the same text, fonts and sizes are kept (rendering
    is a quarter of a run); anything else starts afresh."""
    ground = work / "ground"
    listfile = work / "train.list"
    drawn = [list(fonts), list(settings.ptsizes), settings.renders_per_line, settings.lang,
             "relative names"]
    if settings.exposures != (0,):
        drawn.append(list(settings.exposures))
    key = _fingerprint(text_path.read_bytes(), json.dumps(drawn),
        (work / "stock" / f"{settings.lang}.traineddata").read_bytes())
    done = ground / "rendered.key"
    if (done.is_file() and done.read_text(encoding="utf-8") == key and listfile.is_file()
            and all(Path(p).is_file() for p in listfile.read_text(encoding="utf-8").split())):
        log("  rendered lines of an earlier run reused")
        return listfile
    if ground.exists():
        shutil.rmtree(ground)
    ground.mkdir(parents=True)
    # tessdata/configs/lstm.train, Tesseract's own, written here so that any stock
    # folder serves: read each line of the box file as a training line
    (ground / "lstm.train").write_text(_LSTM_TRAIN_CONFIG, encoding="utf-8")
    lines = text_path.read_text(encoding="utf-8").splitlines()
    slices = _slices(lines, len(fonts), settings.renders_per_line)
    tessdata = work / "stock"
    jobs = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, settings.jobs)) as pool:
        for i, (font, part) in enumerate(zip(fonts, slices)):
            ptsize = settings.ptsizes[i % len(settings.ptsizes)]
            for exposure, lines_drawn in zip(settings.exposures,
                                             _slices(part, len(settings.exposures), 1)):
                jobs.append((font, pool.submit(
                    _render_one, font, lines_drawn, ptsize, exposure, ground,
                    settings.font_dirs[0], tessdata, settings.lang)))
        made = []
        rendered = set()
        for font, job in jobs:
            result = job.result()
            if result is None:
                log(f"  {font}: nothing rendered")
            else:
                made.append(result)
                rendered.add(font)
    listfile.write_text("".join(f"{p}\n" for p in made), encoding="utf-8")
    done.write_text(key, encoding="utf-8")
    log(f"  {len(rendered)} fonts rendered, {len(lines) * settings.renders_per_line} lines")
    return listfile


# -- 7. the starting model ------------------------------------------------------------------

def initial_model(stock: Stock, starter: Starter, work: Path, *, warm_start: bool = True,
                  bias_offset: float = 1.0,
                  layer_rates: tuple[float, float, float] | None = None,
                  input_height: int | None = None) -> Path:
    """The float model of ``stock`` (the model whose network is started from) with its
    output layer on the starter's codes (``work/initial.lstm``).

    Existing characters keep their rows; a new character starts from the row of the first
    of its :func:`~ocr.training.charset.base_letters` the stock model has, its bias
    lowered by ``bias_offset`` (so the base letter still wins until training tells them
    apart), or, without one (or ``warm_start=False``), from the mean of all rows, as
    ``lstmtraining --old_traineddata`` would start it. ``layer_rates`` (lower layers,
    last LSTM, output) are stored in the model for lstmtraining to use; ``input_height``
    sets the height it scales lines to.
    """
    old_td = read_traineddata(stock.traineddata)
    new_td = read_traineddata(starter.traineddata)
    old_unichars = unicharset_entries(old_td["lstm-unicharset"])
    new_unichars = unicharset_entries(new_td["lstm-unicharset"])
    old_recoder = read_recoder(old_td["lstm-recoder"])
    new_recoder = read_recoder(new_td["lstm-recoder"])
    mapping = code_map(new_unichars, new_recoder, old_unichars, old_recoder)
    warm: dict[int, int] = {}
    chosen: dict[str, str] = {}
    if warm_start:
        old_ids = {u: i for i, u in enumerate(old_unichars)}
        for uid, unichar in enumerate(new_unichars):
            codes = new_recoder.codes[uid]
            if len(codes) != 1 or mapping[codes[0]] >= 0:
                continue
            for base in base_letters(unichar):
                if base in old_ids and len(old_recoder.codes[old_ids[base]]) == 1:
                    warm[codes[0]] = old_recoder.codes[old_ids[base]][0]
                    chosen[unichar] = base
                    break
    model = dequantize(parse_model(stock.float_lstm.read_bytes()))
    if input_height is not None:
        model = with_input_height(model, input_height)
    null_char = new_recoder.null_code(len(new_unichars))
    remapped = remap_outputs(model, mapping, null_char=null_char, warm=warm,
                             bias_offset=bias_offset)
    if layer_rates is not None:
        lower, last_lstm, output = layer_rates
        remapped = with_part_learning_rates(remapped, lower=lower, last_lstm=last_lstm,
                                            output=output)
    out = work / "initial.lstm"
    out.write_bytes(remapped.to_bytes())
    (work / "warm_start.json").write_text(json.dumps(chosen, ensure_ascii=False, indent=0),
                                          encoding="utf-8")
    return out


# -- 8. training ------------------------------------------------------------------------------

def train(settings: FinetuneSettings, initial: Path, starter: Starter, listfile: Path,
          work: Path, *, log: Log = print) -> Path:
    """``lstmtraining`` from ``initial`` until iteration ``settings.iterations``; returns the
    last checkpoint.

    An interrupted run is resumed: lstmtraining restores its own checkpoint (written every
    100 iterations: weights, optimizer state, iteration counts) when one exists, and the
    checkpoints are kept when the starting model, charset, lines and learning rate are
    those of this run. So a run stopped and started again, or started again with more
    iterations, ends with the model an uninterrupted run would have made. Checkpoints of
    any other run, or of one that was asked for more iterations, are removed."""
    folder = work / "checkpoints"
    output = folder / settings.lang
    key = _run_key(settings, initial, starter, listfile)
    # which run the checkpoints belong to, and the most iterations it was asked for: a
    # checkpoint may be up to there, so a run asking for fewer must start afresh
    state_file = folder / "run.json"
    checkpoint = Path(f"{output}_checkpoint")
    state = _run_state(folder)
    resuming = (state.get("key") == key and checkpoint.is_file()
                and settings.iterations >= state.get("iterations", 0))
    if resuming:
        log(f"  resuming from {checkpoint}")
    else:
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
    state_file.write_text(json.dumps({"key": key, "iterations": settings.iterations}),
                          encoding="utf-8")
    args: list[_Arg] = [
        "lstmtraining", "--continue_from", initial, "--traineddata", starter.traineddata,
        "--model_output", output, "--train_listfile", listfile,
        "--max_iterations", settings.iterations, "--target_error_rate", 0,
        "--debug_interval", 0]
    if settings.layer_learning_rates is None:  # else the rates stored in the initial model
        args += ["--reset_learning_rate", "--learning_rate", settings.learning_rate]
    started = time.monotonic()
    _run(args, log_to=work / "lstmtraining.log", append=resuming)
    log(f"  lstmtraining: to iteration {settings.iterations} in "
        f"{time.monotonic() - started:.0f} s")
    if not checkpoint.is_file():
        raise TrainingError(f"lstmtraining wrote no {checkpoint}")
    return checkpoint


def _run_key(settings: FinetuneSettings, initial: Path, starter: Starter, listfile: Path) -> str:
    """What makes a run's checkpoints its own: the starting model, charset, lines, rate."""
    lines = [Path(p).read_bytes() for p in listfile.read_text(encoding="utf-8").split()]
    return _fingerprint(initial.read_bytes(), starter.traineddata.read_bytes(), *lines,
                        repr(settings.learning_rate))


def _run_state(checkpoints: Path) -> dict[str, Any]:
    try:
        state = json.loads((checkpoints / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def latest_checkpoint(settings: FinetuneSettings, initial: Path, starter: Starter,
                      listfile: Path, work: Path) -> tuple[Path, int]:
    """A copy of the latest checkpoint of this run in ``work`` (which may still be
    training, or have been stopped) and the iteration it was written at.

    Raises :class:`TrainingError` when ``work`` holds no checkpoint of a run with these
    settings."""
    folder = work / "checkpoints"
    checkpoint = folder / f"{settings.lang}_checkpoint"
    if not checkpoint.is_file():
        raise TrainingError(f"{work} holds no checkpoint to take a model from: start the "
                            "run first (the same command without --snapshot)")
    if _run_state(folder).get("key") != _run_key(settings, initial, starter, listfile):
        raise TrainingError(f"the checkpoints in {folder} are of a run with other settings "
                            "(model, text, fonts or learning rates): give this run's options")
    copy = work / "snapshot" / checkpoint.name
    copy.parent.mkdir(exist_ok=True)
    for _ in range(20):
        # lstmtraining rewrites the file every 100 iterations: a copy taken while it
        # writes is torn, and is taken again
        before = checkpoint.stat()
        shutil.copyfile(checkpoint, copy)
        after = checkpoint.stat()
        if (before.st_mtime_ns, before.st_size) == (after.st_mtime_ns, after.st_size):
            try:
                return copy, parse_model(copy.read_bytes()).training_iteration
            except ModelFormatError:
                pass
        time.sleep(0.5)
    raise TrainingError(f"{checkpoint} kept changing or does not parse as a checkpoint")


# -- 9. the integer model -----------------------------------------------------------------------

def default_version(settings: FinetuneSettings, stock: Stock, starter: Starter,
                    network: Stock | None = None) -> str:
    started = (f" from the network of {network.version}"
               if network is not None and network.version != stock.version else "")
    return (f"{stock.version} + ocr fine-tune{started}: "
            f"{_run_description(settings, len(starter.added))}")


def _run_description(settings: FinetuneSettings, added: int) -> str:
    """What a run did, as its version says it: "+80 characters (lstmtraining ...)"."""
    rates = (settings.layer_learning_rates and
             "/".join(f"{r:g}" for r in settings.layer_learning_rates))
    focus = (f", {len(settings.focus)} characters x{settings.focus_factor}"
             if settings.focus else "")
    if settings.respelled:
        focus += f", {settings.respelled:.0%} respelled"
    if settings.cldr_words:
        focus += f", CLDR words of Babel {cldr.babel_version()}"
    if settings.context_free:
        focus += f", {settings.context_free} context-free lines"
    if settings.capitalised:
        focus += f", {settings.capitalised:.0%} of plain lines capitalised"
    if settings.lookalike_initials:
        focus += f", {settings.lookalike_initials:.0%} of their words with look-alike initials"
    if settings.extra_fonts:
        focus += f", {len(settings.extra_fonts)} more faces"
    if settings.exposures != (0,):
        focus += f", exposures {'/'.join(map(str, settings.exposures))}"
    if settings.ptsizes != DEFAULT_PTSIZES:
        focus += f", sizes {'/'.join(map(str, settings.ptsizes))} pt"
    if settings.input_height is not None:
        focus += f", input {settings.input_height} px high"
    return (f"+{added} characters "
            f"(lstmtraining {settings.iterations} iterations, lr "
            f"{rates or format(settings.learning_rate, 'g')}, text seed {settings.seed}{focus})")


def finish(settings: FinetuneSettings, checkpoint: Path, stock: Stock, starter: Starter,
           work: Path, out: Path, *, network: Stock | None = None) -> Path:
    """The checkpoint as an integer traineddata at ``out``.

    ``lstmtraining --stop_training`` writes the float model; it is quantized here, as
    ``--convert_to_int`` computes it but without padding the scales to the converting
    machine's SIMD width, so the bytes do not depend on the machine. The other
    components are the starter's (new charset and dictionaries); any other component of
    the stock model is kept.
    """
    float_td = work / f"{settings.lang}.float.traineddata"
    _run(["lstmtraining", "--stop_training", "--continue_from", checkpoint, "--traineddata",
          starter.traineddata, "--model_output", float_td])
    trained = read_traineddata(float_td)
    model = quantize(parse_model(trained["lstm"]), arithmetic="float32")
    result: TrainedData = read_traineddata(stock.traineddata)
    for name in ("lstm-unicharset", "lstm-recoder", "lstm-word-dawg", "lstm-punc-dawg",
                 "lstm-number-dawg"):
        result = (result.with_component(name, trained[name]) if name in trained
                  else result.without_component(name))
    version = settings.version or default_version(settings, stock, starter, network)
    result = result.with_component("lstm", model.to_bytes())
    result = result.with_component("version", version.encode("utf-8"))
    out.parent.mkdir(parents=True, exist_ok=True)
    result.write(out)
    return out


# -- the whole run ------------------------------------------------------------------------------

def finetune(settings: FinetuneSettings, work: str | os.PathLike[str],
             out: str | os.PathLike[str], *, snapshot: bool = False,
             log: Log = print) -> Path:
    """Every stage, in ``work``; the integer model is written to ``out``.

    With ``snapshot``, no training: the model is made from the latest checkpoint of the
    run in ``work`` (running or stopped), as a run to that iteration would have made it
    (its version says that iteration)."""
    work_dir = Path(work).resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    out_path = Path(out).resolve()
    lang = settings.lang
    if settings.after is not None:
        settings = _start_after(settings, settings.after, work_dir, log)
    started = time.monotonic()

    def stage(name: str) -> None:
        log(f"[{lang} {time.monotonic() - started:6.0f} s] {name}")

    stage("stock model")
    stock = extract_stock(lang, work_dir, tessdata=settings.tessdata)
    network = stock
    if settings.network not in (None, lang):
        network = extract_stock(settings.network, work_dir, tessdata=settings.tessdata,
                                folder_name="network")
    stage("training text")
    text_path = write_training_text(settings, work_dir, stock)
    stage("unicharset")
    unicharset = build_unicharset(stock, text_path, work_dir)
    added = new_characters(stock, unicharset)
    stage(f"dictionaries (+{len(added)} characters)")
    lists = build_wordlists(stock, text_path, added, work_dir)
    starter = build_starter(lang, stock, unicharset, lists, work_dir)
    fonts = training_fonts(settings, "".join(added))
    stage(f"rendering in {len(fonts)} fonts")
    listfile = render(settings, text_path, fonts, work_dir, log=log)
    stage("initial model")
    initial = initial_model(network, starter, work_dir, warm_start=settings.warm_start,
                            bias_offset=settings.bias_offset,
                            layer_rates=settings.layer_learning_rates,
                            input_height=settings.input_height)
    if snapshot:
        checkpoint, iterations = latest_checkpoint(settings, initial, starter, listfile,
                                                   work_dir)
        stage(f"integer model of the checkpoint at iteration {iterations}")
        finish(replace(settings, iterations=iterations), checkpoint, stock, starter,
               checkpoint.parent, out_path, network=network)
        stage(f"done: {out_path}")
        return out_path
    stage(f"training ({settings.iterations} iterations)")
    checkpoint = train(settings, initial, starter, listfile, work_dir, log=log)
    stage("integer model")
    finish(settings, checkpoint, stock, starter, work_dir, out_path, network=network)
    summary = dict(asdict(settings), text=str(settings.text) if settings.text else None,
                   tessdata=str(settings.tessdata) if settings.tessdata else None,
                   fonts=fonts, added="".join(added), seconds=round(time.monotonic() - started))
    (work_dir / "settings.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1),
                                            encoding="utf-8")
    stage(f"done: {out_path}")
    return out_path


def _start_after(settings: FinetuneSettings, before: FinetuneSettings | AveragedSettings,
                 work: Path, log: Log) -> FinetuneSettings:
    """Make the run (or average) ``before`` (to its end) in ``work/before``; ``settings``
    pointed at a folder that holds the stock model and, as ``LANG-before``, the model it
    made."""
    from .._tesseract import find_tessdata

    if before.lang != settings.lang:
        raise ValueError(f"a {settings.lang} run cannot start after a {before.lang} run")
    if settings.network not in (None, settings.lang):
        raise ValueError("a run after another starts from that run's network: "
                         f"give network={settings.network!r} to the first run")
    folder = work / "before"
    target = folder / "model" / f"{before.lang}.traineddata"
    model = (finetune_averaged(before, folder, target, log=log)
             if isinstance(before, AveragedSettings) else
             finetune(before, folder, target, log=log))
    tessdata = folder / "tessdata"
    tessdata.mkdir(exist_ok=True)
    stock = tessdata / f"{settings.lang}.traineddata"
    stock.unlink(missing_ok=True)
    stock.symlink_to(find_tessdata(settings.tessdata) / f"{settings.lang}.traineddata")
    shutil.copyfile(model, tessdata / f"{settings.lang}-before.traineddata")
    return replace(settings, after=None, network=f"{settings.lang}-before", tessdata=tessdata)


def finetune_averaged(settings: AveragedSettings, work: str | os.PathLike[str],
                      out: str | os.PathLike[str], *, log: Log = print) -> Path:
    """The base run in ``work/before``, each run in ``work/run-N``, then their mean at
    ``out`` (:func:`ocr.training.average.averaged_traineddata`). Rerun, every run goes on
    from where it stopped."""
    work_dir = Path(work).resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    first = _start_after(settings.runs[0], settings.base, work_dir, log)
    base = read_traineddata(work_dir / "before" / "model" / f"{settings.lang}.traineddata")
    runs = []
    for number, run in enumerate(settings.runs, start=1):
        run_dir = work_dir / f"run-{number}"
        finetune(replace(run, network=first.network, tessdata=first.tessdata), run_dir,
                 run_dir / f"{settings.lang}.traineddata", log=log)
        # the float model finish() left there: the mean is taken before quantizing
        runs.append(read_traineddata(run_dir / f"{settings.lang}.float.traineddata"))
    stock = read_traineddata(_stock_folder(settings.base) / f"{settings.lang}.traineddata")
    version = settings.version or averaged_version(settings, stock, base)
    out_path = Path(out).resolve()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    averaged_traineddata(runs, base, version=version).write(out_path)
    log(f"[{settings.lang}] mean of {len(runs)} runs: {out_path}")
    return out_path


def averaged_version(settings: AveragedSettings, stock: TrainedData,
                     base: TrainedData) -> str:
    """The stock version, the base model's, and what each averaged run did."""
    added = len(set(unicharset_entries(base["lstm-unicharset"]))
                - set(unicharset_entries(stock["lstm-unicharset"])))
    runs = " | ".join(_run_description(run, added) for run in settings.runs)
    return (f"{stock.version} + ocr mean of {len(settings.runs)} fine-tunes from the "
            f"network of {base.version}: {runs}")


def build_models(out: str | os.PathLike[str], work: str | os.PathLike[str], *,
                 langs: Sequence[str] | None = None,
                 settings: dict[str, FinetuneSettings | AveragedSettings] | None = None,
                 log: Log = print) -> list[Path]:
    """Rebuild the shipped models: every language at once, each on one core.

    Rendering runs one process per language; each lstmtraining runs single-threaded.
    """
    chosen: dict[str, FinetuneSettings | AveragedSettings] = dict(settings or SHIPPED)
    langs = list(chosen) if langs is None else list(langs)
    work_dir = Path(work)
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(langs)) as pool:
        futures = []
        for lang in langs:
            config = _one_job(chosen[lang]) if len(langs) > 1 else chosen[lang]
            target = Path(out) / f"{lang}.traineddata"
            if isinstance(config, AveragedSettings):
                futures.append(pool.submit(finetune_averaged, config, work_dir / lang,
                                           target, log=log))
            else:
                futures.append(pool.submit(finetune, config, work_dir / lang, target,
                                           log=log))
        return [f.result() for f in futures]


@overload
def _one_job(settings: FinetuneSettings) -> FinetuneSettings: ...
@overload
def _one_job(settings: AveragedSettings) -> AveragedSettings: ...
def _one_job(settings: FinetuneSettings | AveragedSettings) -> FinetuneSettings | AveragedSettings:
    """``settings`` and the runs it comes after, rendering in one process."""
    if isinstance(settings, AveragedSettings):
        return replace(settings, base=_one_job(settings.base),
                       runs=tuple(_one_job(run) for run in settings.runs))
    return replace(settings, jobs=1, after=settings.after and _one_job(settings.after))


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use: python -m ocr.training finetune | build-models")
