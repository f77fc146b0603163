"""The boundary to Tesseract: the only module that imports tesserocr.

Language-data discovery, one initialised ``PyTessBaseAPI`` per language set, pixels
handed over with ``SetImageBytes`` (no re-encoding), results read with the iterator
after ``Recognize()`` (which runs without the GIL).

``tesserocr`` is imported lazily: importing it runs a Tesseract Init, and
``import ocr`` must stay cheap.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Literal, NamedTuple, Sequence

import numpy as np
import numpy.typing as npt

from .errors import LanguageNotAvailableError, RecognitionError, TessdataNotFoundError

__all__ = [
    "ApiPool",
    "BUNDLED_DIR",
    "LanguageData",
    "Models",
    "bundled_languages",
    "MAX_SIDE",
    "RawLine",
    "RawWord",
    "TesseractApi",
    "find_tessdata",
    "installed_languages",
]

BUNDLED_DIR = Path(__file__).with_name("models")
"""The models shipped in the package, fine-tuned from Tesseract's to read more
characters (see MODELS.md): ``rus`` for now."""

Models = Literal["bundled", "stock"]
MODELS: tuple[str, ...] = ("bundled", "stock")

MAX_SIDE = 32767
"""Tesseract stores coordinates in int16: no image side may exceed this."""

_LANGUAGE_CODE = re.compile(r"^[A-Za-z0-9_]+(/[A-Za-z0-9_]+)?$")
_NOT_LANGUAGES = {"osd", "equ"}  # orientation detection and equations: not recognition languages

# Debian/Ubuntu package names of the script models (ISO 15924 codes).
_SCRIPT_PACKAGES = {
    "Arabic": "arab", "Armenian": "armn", "Bengali": "beng", "Canadian_Aboriginal": "cans",
    "Cherokee": "cher", "Cyrillic": "cyrl", "Devanagari": "deva", "Ethiopic": "ethi",
    "Fraktur": "frak", "Georgian": "geor", "Greek": "grek", "Gujarati": "gujr",
    "Gurmukhi": "guru", "HanS": "hans", "HanS_vert": "hans-vert", "HanT": "hant",
    "HanT_vert": "hant-vert", "Hangul": "hang", "Hangul_vert": "hang-vert", "Hebrew": "hebr",
    "Japanese": "jpan", "Japanese_vert": "jpan-vert", "Kannada": "knda", "Khmer": "khmr",
    "Lao": "laoo", "Latin": "latn", "Malayalam": "mlym", "Myanmar": "mymr", "Oriya": "orya",
    "Sinhala": "sinh", "Syriac": "syrc", "Tamil": "taml", "Telugu": "telu", "Thaana": "thaa",
    "Thai": "thai", "Tibetan": "tibt", "Vietnamese": "viet",
}


class RawWord(NamedTuple):
    text: str
    box: tuple[int, int, int, int]
    """(left, top, right, bottom) in the pixels given to Tesseract; right/bottom exclusive."""
    confidence: float
    """0..100, as Tesseract reports it."""
    in_dictionary: bool = False
    """Whether the language that read it has the word in its dictionary."""


class RawLine(NamedTuple):
    block: int
    paragraph: int
    confidence: float
    words: list[RawWord]


def _system_tessdata_dirs() -> list[Path]:
    """Where Tesseract's packages install language data, most specific first."""
    versioned = sorted(glob.glob("/usr/share/tesseract-ocr/*/tessdata"), reverse=True)
    dirs = [Path(d) for d in versioned] + [
        Path("/usr/share/tessdata"),
        Path("/usr/local/share/tessdata"),
        Path("/usr/local/share/tesseract-ocr/tessdata"),
        Path("/opt/homebrew/share/tessdata"),  # Homebrew on Apple silicon
        Path("/home/linuxbrew/.linuxbrew/share/tessdata"),
        Path("/opt/local/share/tessdata"),  # MacPorts
        Path(sys.prefix) / "share" / "tessdata",  # conda
    ]
    if sys.platform == "win32":
        for root in filter(None, (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)"))):
            dirs.append(Path(root) / "Tesseract-OCR" / "tessdata")
    return dirs


def _has_models(directory: Path) -> bool:
    try:
        return any(directory.glob("*.traineddata"))
    except OSError:
        return False


def find_tessdata(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The language-data folder: ``explicit``, else ``TESSDATA_PREFIX``, else a system one.

    ``TESSDATA_PREFIX`` may name the ``tessdata`` folder itself or its parent, as both
    conventions are in use. The working directory is never searched.
    """
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_dir():
            raise TessdataNotFoundError(f"the tessdata folder {str(path)!r} does not exist")
        return path.resolve()
    prefix = os.environ.get("TESSDATA_PREFIX")
    if prefix:
        for path in (Path(prefix), Path(prefix) / "tessdata"):
            if _has_models(path):
                return path.resolve()
        raise TessdataNotFoundError(
            f"TESSDATA_PREFIX={prefix!r} holds no *.traineddata files (neither the folder "
            "nor its 'tessdata' subfolder); fix or unset it")
    searched = _system_tessdata_dirs()
    for path in searched:
        if _has_models(path):
            return path.resolve()
    raise TessdataNotFoundError(
        "no Tesseract language data found. Install some, e.g. "
        "'apt-get install tesseract-ocr-eng' (Debian/Ubuntu) or 'brew install tesseract', "
        "or pass tessdata= / set TESSDATA_PREFIX. Searched: "
        + ", ".join(str(p) for p in searched))


def installed_languages(tessdata: Path) -> list[str]:
    """Recognition languages with a model in ``tessdata`` (including ``script/`` ones)."""
    names = {p.stem for p in tessdata.glob("*.traineddata")}
    names |= {f"script/{p.stem}" for p in tessdata.glob("script/*.traineddata")}
    return sorted(names - _NOT_LANGUAGES, key=lambda n: (n.startswith("script/"), n.lower()))


def package_hint(code: str) -> str:
    """How to install the model for ``code`` on Debian/Ubuntu."""
    script = code.removeprefix("script/")
    if script in _SCRIPT_PACKAGES:
        return f"apt-get install tesseract-ocr-script-{_SCRIPT_PACKAGES[script]}"
    return f"apt-get install tesseract-ocr-{code.lower().replace('_', '-')}"


def bundled_languages() -> list[str]:
    """The language codes of the models shipped in the package (read with
    ``OcrEngine(models="bundled")``).

    Examples
    --------
    >>> ocr.bundled_languages()
    ['eng', 'rus']
    """
    return sorted(p.stem for p in BUNDLED_DIR.glob("*.traineddata"))


def cache_dir() -> Path:
    """Where ``ocr`` keeps files it makes for itself: ``OCR_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/ocr``, else ``~/.cache/ocr``."""
    explicit = os.environ.get("OCR_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "ocr"


def _link(target: Path, link: Path) -> None:
    """Make ``link`` point at ``target`` (replacing whatever is there), atomically."""
    try:
        if link.is_symlink() and Path(os.readlink(link)) == target:
            return
    except OSError:
        pass
    link.parent.mkdir(parents=True, exist_ok=True)
    temporary = link.with_name(f".{link.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        temporary.symlink_to(target)
    except OSError:  # no symlinks here (Windows without the privilege): copy instead
        import shutil

        shutil.copyfile(target, temporary)
    os.replace(temporary, link)


class LanguageData:
    """Where each language's model is, and the one folder Tesseract reads a set from.

    With ``models="bundled"`` the models shipped in the package (:data:`BUNDLED_DIR`)
    stand for their languages (``eng``, ``rus``) and every other language comes from the
    language-data folder (``tessdata``, else :func:`find_tessdata`), which may then be
    missing altogether. With ``models="stock"`` only that folder is used.

    Tesseract reads every language of a set from one folder: a set of bundled languages
    is read from :data:`BUNDLED_DIR`, a set of folder languages from the folder, and a
    mixed set (``eng+rus``) from a folder of symbolic links in the cache
    (:func:`cache_dir`, one per pair of folders), where a link is added the first time a
    language is asked for. Nothing is done per recognition: the engine asks once per
    language set.
    """

    def __init__(self, tessdata: str | os.PathLike[str] | None = None,
                 models: str = "bundled") -> None:
        if models not in MODELS:
            raise ValueError(f"models must be 'bundled' (the fine-tuned models shipped "
                             f"with ocr) or 'stock' (only the language-data folder), not "
                             f"{models!r}")
        self.models = models
        self._tessdata_arg = tessdata
        self._folder: Path | None = None
        self._folder_error: Exception | None = None
        self._lock = threading.Lock()

    @property
    def folder(self) -> Path:
        """The language-data folder (raises TessdataNotFoundError when there is none)."""
        if self._folder is None:
            self._folder = find_tessdata(self._tessdata_arg)
        return self._folder

    def _folder_or_none(self) -> Path | None:
        if (self.models == "stock" or self._tessdata_arg is not None
                or os.environ.get("TESSDATA_PREFIX")):
            return self.folder  # a folder asked for must exist; stock needs one
        try:
            return self.folder
        except TessdataNotFoundError:
            return None

    def bundled(self) -> list[str]:
        return bundled_languages() if self.models == "bundled" else []

    def languages(self) -> list[str]:
        """Every language available: the bundled ones and the folder's."""
        folder = self._folder_or_none()
        names = set(self.bundled())
        if folder is not None:
            names |= set(installed_languages(folder))
        return sorted(names, key=lambda n: (n.startswith("script/"), n.lower()))

    def datapath(self, languages: Sequence[str]) -> Path:
        """The folder to give Tesseract for ``languages``; checks that each one exists."""
        bundled = set(self.bundled())
        folder = self._folder_or_none()
        for code in languages:
            _check_code(code)
            if code in bundled:
                continue
            if folder is None or not (folder / f"{code}.traineddata").is_file():
                installed = ", ".join(self.languages()) or "none"
                where = (f"in {str(folder)!r}" if folder is not None
                         else "(no Tesseract language-data folder was found)")
                raise LanguageNotAvailableError(
                    f"language {code!r} is not installed {where}. Installed: {installed}. "
                    f"To add it: {package_hint(code)} (Debian/Ubuntu), or put its "
                    ".traineddata file in that folder.")
        mine = [code for code in languages if code in bundled]
        if not mine:
            assert folder is not None
            return folder
        if len(mine) == len(languages):
            return BUNDLED_DIR
        assert folder is not None
        return self._mixed(folder, languages)

    def _mixed(self, folder: Path, languages: Sequence[str]) -> Path:
        bundled = set(self.bundled())
        key = hashlib.sha256(f"{folder}\0{BUNDLED_DIR.resolve()}".encode()).hexdigest()[:16]
        root = cache_dir() / f"tessdata-{key}"
        with self._lock:
            try:
                self._fill(root, folder, bundled, languages)
            except OSError as exc:
                raise LanguageNotAvailableError(
                    f"cannot make the folder that lets Tesseract read "
                    f"{'+'.join(languages)} (bundled and installed models) at {str(root)!r}: "
                    f"{exc.strerror or exc}. Set OCR_CACHE_DIR to a writable folder.") from exc
        return root

    @staticmethod
    def _fill(root: Path, folder: Path, bundled: set[str], languages: Sequence[str]) -> None:
        root.mkdir(parents=True, exist_ok=True)
        for code in languages:
            source = (BUNDLED_DIR.resolve() if code in bundled else folder) / f"{code}.traineddata"
            _link(source, root / f"{code}.traineddata")


def _check_code(code: str) -> None:
    if not _LANGUAGE_CODE.match(code):
        raise LanguageNotAvailableError(
            f"{code!r} is not a Tesseract language code (expected e.g. 'eng', 'rus', "
            "'chi_sim', 'Latin')")


class TesseractApi:
    """One initialised Tesseract instance for one language set.

    Tesseract instances are not thread-safe: a lock serialises recognitions on this one
    (an :class:`ApiPool` gives each thread its own).
    """

    def __init__(self, tessdata: Path, languages: Sequence[str], *, psm: int = 3,
                 variables: dict[str, str] | None = None) -> None:
        import tesserocr

        self.languages = tuple(languages)
        self._lock = threading.Lock()
        # Variables go to the constructor: SetVariable after Init reaches only the first
        # language of a multi-language set (tesseract #3037).
        try:
            self._api = tesserocr.PyTessBaseAPI(
                path=str(tessdata) + os.sep, lang="+".join(self.languages), psm=psm,
                oem=tesserocr.OEM.DEFAULT, variables=dict(variables or {}))
        except RuntimeError as exc:
            raise RecognitionError(
                f"Tesseract could not load {'+'.join(self.languages)!r} from "
                f"{str(tessdata)!r}: {exc}. A model file may be corrupt or for another "
                "Tesseract version.") from exc
        # Tesseract drops a secondary language whose model fails to load and carries on.
        missing = set(self.languages) - set(self._api.GetLoadedLanguages())
        if missing:
            self._api.End()
            raise RecognitionError(
                f"Tesseract could not load {', '.join(sorted(missing))!r} from "
                f"{str(tessdata)!r}: the model file may be corrupt or for another "
                "Tesseract version.")
        self._ril = tesserocr.RIL
        self._iterate = tesserocr.iterate_level

    def recognize(self, pixels: npt.NDArray[np.uint8], dpi: int | None = None) -> list[RawLine]:
        """Recognise a C-contiguous gray image; lines in Tesseract's reading order."""
        height, width = pixels.shape
        data = pixels.tobytes()  # SetImageBytes takes only bytes; `data` outlives the read
        with self._lock:
            api = self._api
            api.SetImageBytes(data, width, height, 1, width)
            if dpi is not None:
                api.SetSourceResolution(dpi)
            if not api.Recognize():
                raise RecognitionError(f"Tesseract failed to recognise a {width}x{height} image")
            lines = self._read_lines(api)
            api.Clear()
        return lines

    def _read_lines(self, api: Any) -> list[RawLine]:
        ril = self._ril
        iterator = api.GetIterator()
        lines: list[RawLine] = []
        if iterator is None:
            return lines
        block = paragraph = -1
        words: list[RawWord] = []
        for item in self._iterate(iterator, ril.WORD):
            if item.IsAtBeginningOf(ril.TEXTLINE) or not lines:
                if item.IsAtBeginningOf(ril.BLOCK) or block < 0:
                    block += 1
                if item.IsAtBeginningOf(ril.PARA) or paragraph < 0:
                    paragraph += 1
                words = []
                lines.append(RawLine(block, paragraph, item.Confidence(ril.TEXTLINE), words))
            text = None if item.Empty(ril.WORD) else item.GetUTF8Text(ril.WORD)
            if text:
                words.append(RawWord(text, item.BoundingBox(ril.WORD), item.Confidence(ril.WORD),
                                     item.WordIsFromDictionary()))
        return [line for line in lines if line.words]

    def close(self) -> None:
        with self._lock:
            self._api.End()


class ApiPool:
    """Initialised Tesseract instances of one configuration, lent one per thread.

    The first instance is made at construction (so errors show at once); more are made
    when several threads recognise at the same time, and kept for reuse.
    """

    def __init__(self, tessdata: Path, languages: Sequence[str], *, psm: int = 3,
                 variables: dict[str, str] | None = None) -> None:
        self._config = (tessdata, tuple(languages), psm, variables)
        self._idle: list[TesseractApi] = [self._make()]
        self._all = list(self._idle)
        self._lock = threading.Lock()

    def _make(self) -> TesseractApi:
        tessdata, languages, psm, variables = self._config
        return TesseractApi(tessdata, languages, psm=psm, variables=variables)

    @contextmanager
    def lend(self) -> Iterator[TesseractApi]:
        """An instance for this thread's exclusive use until the block ends."""
        with self._lock:
            api = self._idle.pop() if self._idle else None
        if api is None:
            api = self._make()  # outside the lock: an Init takes ~0.1 s
            with self._lock:
                self._all.append(api)
        try:
            yield api
        finally:
            with self._lock:
                self._idle.append(api)

    @property
    def size(self) -> int:
        """How many instances exist (idle or lent)."""
        return len(self._all)

    def close(self) -> None:
        with self._lock:
            apis, self._all, self._idle = self._all, [], []
        for api in apis:
            api.close()
