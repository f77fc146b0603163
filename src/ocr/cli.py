"""The ``ocr`` command: recognise image files and folders, write text or structured output.

    ocr PATH... [-l eng+rus] [--format text|json|jsonl|hocr|tsv|alto] [-o OUT_DIR]
        [--workers N] [--max-resolution N] [--preprocess auto|none|STEPS] [--overlay]
    ocr --list-languages
    ocr --version

Exit status: 0 every input was read; 3 some failed (each is reported on stderr, the
others go on); 1 all failed; 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence, TextIO

from . import __version__, pipeline
from .engine import OcrEngine, Preprocessing, available_languages
from .errors import OcrError
from .result import OcrResult

__all__ = ["main"]

EXIT_OK, EXIT_ALL_FAILED, EXIT_USAGE, EXIT_SOME_FAILED = 0, 1, 2, 3

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".jpe", ".tif", ".tiff", ".bmp", ".gif", ".webp",
                  ".pbm", ".pgm", ".ppm", ".pnm", ".jp2", ".j2k", ".jpx"}
FORMATS = {"text": ".txt", "json": ".json", "jsonl": ".jsonl", "hocr": ".hocr", "tsv": ".tsv",
           "alto": ".xml"}
# formats that cannot be concatenated on one stream: one document per input
_DOCUMENT_FORMATS = {"hocr", "tsv", "alto"}


@dataclass(frozen=True)
class Input:
    """An image to read: where it is, and its path relative to what the user named
    (for mirroring the input tree under the output folder)."""

    source: Path | None  # None: standard input
    relative: Path


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # the reader went away (ocr ... | head): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.list_languages:
        for code in available_languages(models=args.models):
            print(code)
        return EXIT_OK
    if not args.paths:
        parser.error("name at least one image file or folder (or - for standard input)")
    try:
        steps = _preprocessing(args.preprocess)
    except ValueError as exc:
        parser.error(str(exc))
    if args.out is None and args.overlay:
        parser.error("--overlay writes images: give an output folder with -o")
    inputs = list(_inputs(args.paths))
    if args.out is None and len(inputs) > 1 and args.format in _DOCUMENT_FORMATS:
        parser.error(f"--format {args.format} gives one document per image: with several "
                     "inputs, give an output folder with -o")
    missing = [str(i.source) for i in inputs if i.source is not None and not i.source.exists()]
    for path in missing:
        print(f"ocr: {path}: no such file or folder", file=sys.stderr)
    inputs = [i for i in inputs if i.source is None or i.source.exists()]
    if not inputs:
        print("ocr: no image files to read", file=sys.stderr)
        return EXIT_ALL_FAILED
    try:
        engine = OcrEngine(args.languages, workers=args.workers, max_resolution=args.max_resolution,
                           preprocessing=steps, psm=args.psm, models=args.models,
                           fix_lookalikes=not args.keep_lookalikes,
                           compare_languages=not args.no_compare_languages)
    except (OcrError, ValueError, TypeError) as exc:
        print(f"ocr: {exc}", file=sys.stderr)
        return EXIT_USAGE
    with engine:
        failed = _run(engine, inputs, args) + len(missing)
    total = len(inputs) + len(missing)
    return EXIT_OK if not failed else EXIT_ALL_FAILED if failed == total else EXIT_SOME_FAILED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ocr", description="Recognise text in images with Tesseract, in-process and in parallel.",
        epilog="Exit status: 0 all read, 3 some failed, 1 all failed, 2 usage error.")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="image files, folders (searched recursively), or - for standard input")
    parser.add_argument("-l", "--languages", default="eng",
                        help="Tesseract languages, e.g. eng+rus (default: eng)")
    parser.add_argument("-f", "--format", choices=sorted(FORMATS), default="text",
                        help="output format (default: text)")
    parser.add_argument("-o", "--out", type=Path, metavar="OUT_DIR",
                        help="write one file per image here, mirroring the input folders "
                        "(jsonl: one results.jsonl); default: standard output")
    parser.add_argument("-j", "--workers", type=int, help="parallel workers (default: one per core)")
    parser.add_argument("--max-resolution", type=int, metavar="PX",
                        help="shrink images whose longer side exceeds PX before recognition")
    parser.add_argument("--preprocess", default="auto", metavar="auto|none|STEPS",
                        help="auto (default), none, or steps in order, separated by commas: "
                        "invert, flatten, deskew, otsu, sauvola[=WINDOW], threshold=LEVEL, "
                        "rescale[=FACTOR]")
    parser.add_argument("--psm", type=int, default=3, help="Tesseract page segmentation mode (default 3)")
    parser.add_argument("--models", choices=("bundled", "stock"), default="bundled",
                        help="bundled (default): the models shipped with ocr for eng and "
                        "rus, which read more characters; stock: Tesseract's installed "
                        "models for every language (faster for eng)")
    parser.add_argument("--keep-lookalikes", action="store_true",
                        help="keep Latin and Cyrillic look-alike letters as Tesseract read "
                        "them (default: each word put in one script, see ocr.lookalikes)")
    parser.add_argument("--no-compare-languages", action="store_true",
                        help="keep Tesseract's choice of language for each word on pages "
                        "with Latin and Cyrillic words (default: such pages are read again "
                        "with each language alone and each word keeps the best reading; "
                        "about 1.8x the time for them; see ocr.word_choice)")
    parser.add_argument("--overlay", action="store_true",
                        help="also write NAME.overlay.png: the page with word boxes coloured by confidence")
    parser.add_argument("--list-languages", action="store_true", help="list the installed languages")
    parser.add_argument("--version", action="version", version=_version())
    return parser


def _version() -> str:
    try:
        import tesserocr

        tesseract = tesserocr.tesseract_version().split()[1]
    except Exception:  # the version line is informative only
        tesseract = "unknown"
    return f"ocr {__version__} (tesseract {tesseract})"


def _preprocessing(spec: str) -> Preprocessing:
    if spec == "auto":
        return "auto"
    if spec == "none":
        return None
    steps: list[pipeline.Step] = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, _, value = item.partition("=")
        try:
            if name == "invert" and not value:
                steps.append(pipeline.Invert())
            elif name == "flatten" and not value:
                steps.append(pipeline.Flatten())
            elif name == "deskew" and not value:
                steps.append(pipeline.Deskew())
            elif name == "otsu" and not value:
                steps.append(pipeline.Binarize("otsu"))
            elif name == "sauvola":
                steps.append(pipeline.Binarize("sauvola", window=int(value) if value else None))
            elif name == "threshold" and value:
                steps.append(pipeline.Binarize("fixed", level=int(value)))
            elif name == "rescale":
                steps.append(pipeline.Rescale(factor=float(value) if value else None))
            else:
                raise ValueError
        except ValueError:
            raise ValueError(f"--preprocess: cannot read {item!r} (auto, none, or steps among "
                             "invert, flatten, deskew, otsu, sauvola[=WINDOW], threshold=LEVEL, "
                             "rescale[=FACTOR])") from None
    if not steps:
        raise ValueError("--preprocess: no steps given")
    return steps


def _inputs(paths: Sequence[str]) -> Iterator[Input]:
    """Each named file, and the image files in each named folder (sorted, recursively)."""
    for name in paths:
        if name == "-":
            yield Input(None, Path("stdin"))
            continue
        path = Path(name)
        if path.is_dir():
            for folder, subfolders, files in os.walk(path):
                subfolders.sort()
                for file in sorted(files):
                    found = Path(folder) / file
                    if found.suffix.lower() in IMAGE_SUFFIXES:
                        yield Input(found, found.relative_to(path))
        else:
            yield Input(path, Path(path.name))


def _run(engine: OcrEngine, inputs: list[Input], args: argparse.Namespace) -> int:
    """Read every input, write what was asked; returns the number that failed."""
    sources = [sys.stdin.buffer.read() if i.source is None else i.source for i in inputs]
    progress = _Progress(len(inputs))
    stream = _Output(args, len(inputs))
    failed = 0
    try:
        for item, source, result in zip(inputs, sources, engine.recognize_many(sources)):
            if isinstance(result, OcrError):
                failed += 1
                progress.write(f"ocr: {item.source or '-'}: {result}")
            else:
                stream.write(item, result)
                if args.overlay:
                    overlay = args.out / item.relative.with_suffix(".overlay.png")
                    overlay.parent.mkdir(parents=True, exist_ok=True)
                    result.draw(source, text=True).save(overlay)
            progress.update()
    finally:
        progress.close()
        stream.close()
    return failed


class _Output:
    """Where results go: standard output, or files under the output folder."""

    def __init__(self, args: argparse.Namespace, count: int) -> None:
        self.format, self.out, self.count = args.format, args.out, count
        self.first = True
        self.jsonl: TextIO | None = None
        if self.format == "jsonl":
            if self.out is None:
                self.jsonl = sys.stdout
            else:
                self.out.mkdir(parents=True, exist_ok=True)
                self.jsonl = open(self.out / "results.jsonl", "w", encoding="utf-8")
        if self.format == "json" and self.out is None and count > 1:
            sys.stdout.write("[\n")

    def write(self, item: Input, result: OcrResult) -> None:
        name = str(item.source) if item.source is not None else "-"
        if self.jsonl is not None:
            self.jsonl.write(json.dumps({"path": name, **result.to_dict()}, ensure_ascii=False) + "\n")
            self.jsonl.flush()  # one line per result, as it comes: readable through a pipe
            return
        document = _render(result, self.format)
        if self.out is not None:
            target = self.out / item.relative.with_suffix(FORMATS[self.format])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(document, encoding="utf-8")
        elif self.format == "json" and self.count > 1:
            sys.stdout.write(("" if self.first else ",\n") + json.dumps(
                {"path": name, **result.to_dict()}, ensure_ascii=False, indent=2))
        elif self.format == "text" and self.count > 1:
            sys.stdout.write(f"{'' if self.first else chr(10)}==> {name} <==\n{document}")
        else:
            sys.stdout.write(document)
        sys.stdout.flush()
        self.first = False

    def close(self) -> None:
        if self.format == "json" and self.out is None and self.count > 1:
            sys.stdout.write("\n]\n")
        if self.jsonl is not None and self.jsonl is not sys.stdout:
            self.jsonl.close()


def _render(result: OcrResult, format: str) -> str:
    if format == "text":
        return result.text + "\n" if result.text else ""
    if format == "json":
        return result.to_json(indent=2) + "\n"
    if format == "hocr":
        return result.to_hocr()
    if format == "tsv":
        return result.to_tsv()
    return result.to_alto()


class _Progress:
    """A progress bar on stderr when it is a terminal (tqdm); messages always."""

    def __init__(self, total: int) -> None:
        self.bar = None
        if sys.stderr.isatty() and total > 1:
            from tqdm import tqdm

            try:
                columns = os.get_terminal_size(sys.stderr.fileno()).columns
            except OSError:
                columns = 0
            # a terminal that reports no width (a bare pty) still gets a bar
            self.bar = tqdm(total=total, unit="image", file=sys.stderr, ncols=columns or 80)

    def update(self) -> None:
        if self.bar is not None:
            self.bar.update()

    def write(self, message: str) -> None:
        if self.bar is not None:
            self.bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

