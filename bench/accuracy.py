"""Accuracy harness: character error rate of ``ocr`` and of stock tesserocr, by condition.

Renders its own document pages (English, Russian, mixed English/Russian prose, in six
fonts), degrades them under named conditions (noise, blur, uneven lighting, ...), reads
each page with ``ocr`` as configured by default (or by ``engine_factory``) and with
tesserocr used directly (``SetImage`` + ``GetUTF8Text``, stock settings, the same
language data), and tabulates the character error rate and the time each took.

CER is the sum of edit distances over the sum of truth lengths of a condition's pages,
after collapsing every run of whitespace to one space (line breaks are not errors).
Everything is deterministic: the same pages, pixel for pixel, on every run.

The two contenders do not see quite the same input: tesserocr's ``SetImage`` hands the
page over as a BMP, which Pillow writes at 96 dpi, while ``ocr`` passes no resolution
for an image that declares none, so Tesseract estimates one. On a few pages (some of
``rotated`` and ``uneven``) that alone changes what Tesseract reads.

As a script::

    python bench/accuracy.py                      # every condition, ~2 minutes
    python bench/accuracy.py --quick              # 2-3 pages per condition
    python bench/accuracy.py --conditions clean,uneven --json accuracy.json

As a module (``bench/`` and ``tests/`` on ``sys.path``)::

    rows = accuracy.evaluate(["clean", "noise"], quick=True)
    print(accuracy.format_table(rows))

    # another configuration of the engine: a factory taking the list of languages
    rows = accuracy.evaluate(engine_factory=lambda languages: ocr.OcrEngine(
        languages, max_resolution=2000))
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import time
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

import numpy as np
from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # pages, textmetrics

import pages as rendering  # noqa: E402
from shared_data import SHARED  # noqa: E402
from textmetrics import edit_distance  # noqa: E402

# -- the text -------------------------------------------------------------------------
# Written for this harness. Paragraph by paragraph; a page holds two or three of them.

ENGLISH = (
    "On Tuesday, 14 March, the harbour office in Port Ellery reopened after nine weeks "
    "of repairs. The new roof cost $48,300, almost twice the first estimate, and the town "
    "council has asked for a full account by the end of April. Until the lift is "
    "inspected, visitors should use the side entrance on Quay Street.",

    "Most of the delay came from the weather. Between January and early March the site "
    "lost 23 working days to rain and wind, and two deliveries of slate were turned back "
    "at the bridge because the lorries were too heavy. \"We could have cut corners,\" said "
    "the site manager, Helen Marsh, \"but nobody wanted a roof that leaks in five years.\"",

    "The office now has a small reading room with maps, tide tables and old photographs "
    "of the fishing fleet. It is open from 9:30 to 16:00 on weekdays and from 10:00 to "
    "13:00 on Saturdays; entry is free, although donations are welcome. School groups of "
    "up to 30 pupils can book a guided visit by telephone.",

    "Researchers at the county archive have begun to scan the harbour ledgers, which "
    "cover the years 1842 to 1967. Each volume is photographed page by page at 400 dpi, "
    "checked by hand and then indexed, so that a family historian can search for a ship, "
    "a captain or a cargo without touching the fragile paper.",

    "The first results are encouraging. Of the 2,150 pages processed so far, fewer than "
    "3% needed a second photograph, usually because the ink had faded or a page was "
    "folded. The team expects to finish the 1890s by the autumn and hopes to publish the "
    "complete index online early next year.",

    "Anyone who owns letters, diaries or photographs connected with the harbour is "
    "invited to lend them for copying. Originals are returned within a week. Please write "
    "to the archivist, Dr. Samuel Okafor, at 7 Mill Lane, or leave a message with the "
    "front desk; every contribution will be acknowledged in the printed catalogue.",
)

RUSSIAN = (
    "Во вторник, 14 марта, в Заречье открылась новая районная библиотека. Её построили "
    "на месте старого кинотеатра всего за одиннадцать месяцев, а на книги и мебель город "
    "выделил 12,5 миллиона рублей. Читальный зал рассчитан на 60 мест, и уже в первый "
    "день там не было ни одного свободного стула.",

    "Директор библиотеки Анна Сергеевна Лёвина рассказала, что фонд пока насчитывает "
    "около 18 000 книг. Ещё четыре тысячи томов передали жители: кто-то принёс собрание "
    "сочинений Толстого, кто-то — старые учебники по химии и географии. «Мы рады любому "
    "подарку, но просим приносить книги в хорошем состоянии», — добавила она.",

    "Библиотека работает ежедневно, кроме понедельника, с 10:00 до 20:00. Для детей "
    "младше 14 лет по субботам проводятся занятия: чтение вслух, настольные игры и кружок "
    "рисования. Записаться можно у администратора или по телефону; занятия бесплатные, "
    "но число мест ограничено.",

    "Осенью в Заречье пройдёт фестиваль местной истории. Организаторы собирают старые "
    "фотографии, письма и открытки, связанные с районом. Всё, что удастся найти, "
    "отсканируют, а оригиналы вернут владельцам. Лучшие снимки покажут на выставке в "
    "фойе, где раньше продавали билеты в кино.",

    "Утром шёл мелкий дождь, и дорога к реке стала скользкой. Мы вышли из дома в "
    "половине седьмого, взяли с собой термос с чаем, два бутерброда и старую карту, на "
    "которой ещё был отмечен мост, снесённый в 1987 году. Через час туман рассеялся, и "
    "над лесом показалось солнце.",

    "Весной цены на овощи обычно растут. По данным областной статистики, за март огурцы "
    "подорожали на 17%, а помидоры — на 9%. Зато картофель и морковь почти не изменились "
    "в цене. Специалисты советуют не запасаться продуктами впрок: к июню, когда появится "
    "новый урожай, цены снова снизятся.",
)

MIXED = (
    "Компания Northwind Logistics открыла склад в Казани площадью 12 000 квадратных "
    "метров. Для учёта товаров там используют систему Warehouse Manager 5.2, а накладные "
    "печатаются сразу на двух языках. По словам руководителя проекта Ольги Петровой, "
    "переход с Excel на новую программу занял всего три недели.",

    "Инструкция к роутеру написана по-английски: «Press and hold the RESET button for 10 "
    "seconds, then wait until the POWER light turns green». В переводе это значит: "
    "нажмите кнопку RESET и держите её десять секунд, а затем дождитесь, пока индикатор "
    "POWER загорится зелёным.",

    "The conference programme lists talks in both languages. On Friday morning Dr. Ivan "
    "Sokolov will speak about river ecology («Экология малых рек»), and after lunch a "
    "panel will discuss open data in city planning. Slides in English and Russian will "
    "be posted on the website by 5 June.",

    "Меню кафе у вокзала: borscht — борщ со сметаной, 320 рублей; pelmeni — пельмени с "
    "говядиной, 410 рублей; black tea — чёрный чай, 90 рублей. Card payments accepted. "
    "Оплата картой принимается, Wi-Fi бесплатный, пароль спросите у кассира.",
)


@dataclass(frozen=True)
class PageSpec:
    """A page to render: its name, paragraphs, languages and font (a key of pages.FONTS)."""

    name: str
    paragraphs: tuple[str, ...]
    languages: tuple[str, ...]
    font: str
    quick: bool = False
    """Whether the page is in the ``quick`` subset."""


PAGE_SPECS = (
    PageSpec("english-dejavu-serif", ENGLISH[0:3], ("eng",), "serif", quick=True),
    PageSpec("english-noto-sans", ENGLISH[3:6], ("eng",), "noto-sans"),
    PageSpec("russian-noto-serif", RUSSIAN[0:3], ("rus",), "noto-serif", quick=True),
    PageSpec("russian-liberation-sans", RUSSIAN[3:6], ("rus",), "liberation-sans"),
    PageSpec("mixed-liberation-serif", MIXED[0:2], ("eng", "rus"), "liberation-serif", quick=True),
    PageSpec("mixed-liberation-mono", MIXED[2:4], ("eng", "rus"), "liberation-mono"),
)

EM = 34
"""The em size of the text in pixels, at which stock Tesseract reads a clean page almost
perfectly (capitals about 24 px tall)."""
SMALL_EM = 15
"""The em size of the ``small`` condition (capitals about 11 px tall)."""
LARGE_EM = 72
"""The em size of the ``large`` condition: 9 pt type scanned at 600 dpi."""
PAGE_WIDTH, MARGIN = 1400, 100
"""At ``EM``; the page is scaled with the em size, so lines break at the same words."""


def render(spec: PageSpec, em: int = EM) -> Image.Image:
    """The clean page for ``spec`` with text of ``em`` pixels: black on white, mode L."""
    return rendering.document(spec.paragraphs, font_name=spec.font, size=em,
                              width=round(PAGE_WIDTH * em / EM), margin=round(MARGIN * em / EM))


# -- the conditions -------------------------------------------------------------------
# Each degradation is a function image -> image with its parameters as keywords; the
# condition table below picks the parameters for the n-th page.


def seed(*parts: object) -> int:
    """A seed that is the same on every run (unlike ``hash`` of a str)."""
    return zlib.crc32("/".join(map(str, parts)).encode())


def add_noise(image: Image.Image, *, sigma: float = 25.0, seed: int = 0) -> Image.Image:
    """Additive gaussian noise of ``sigma`` gray levels, clipped to 0..255."""
    pixels = np.asarray(image, dtype=np.float32)
    noise = np.random.default_rng(seed).normal(0.0, sigma, pixels.shape)
    return Image.fromarray(np.clip(np.rint(pixels + noise), 0, 255).astype(np.uint8))


def blur(image: Image.Image, *, radius: float = 1.4) -> Image.Image:
    """Gaussian blur with a standard deviation of ``radius`` pixels."""
    return image.filter(ImageFilter.GaussianBlur(radius))


def illumination(width: int, height: int, *, floor: float = 0.2, angle: float = 30.0,
                 shadow: tuple[float, float, float, float] = (0.3, 0.35, 0.25, 0.5),
                 vignette: float = 0.25) -> np.ndarray:
    """A smooth light field over a ``height`` x ``width`` page, spanning ``floor`` to 1.

    The product of three factors, then stretched linearly onto ``floor``..1: a linear
    fall-off across the page from one side to the other, along the direction ``angle``
    (degrees, 0 is left to right, 90 top to bottom); a soft shadow ``(x, y, radius,
    depth)``, a gaussian dip of ``depth`` centred at ``x, y`` (fractions of the width and
    height) with ``radius`` a fraction of the width; and a vignette that darkens the
    corners by ``vignette``.
    """
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    u, v = x / width - 0.5, y / height - 0.5
    direction = np.radians(angle)
    field = -(u * np.cos(direction) + v * np.sin(direction))  # darker along `angle`
    field -= field.min() - 1.0
    sx, sy, radius, depth = shadow
    field *= 1.0 - depth * np.exp(-((u + 0.5 - sx) ** 2 + ((v + 0.5 - sy) * height / width) ** 2)
                                  / (2 * radius ** 2))
    field *= 1.0 - vignette * (u ** 2 + v ** 2) * 2
    low, high = field.min(), field.max()
    return (floor + (1.0 - floor) * (field - low) / (high - low)).astype(np.float32)


def shade(image: Image.Image, *, ink: int = 70, paper: int = 235, floor: float = 0.2,
          angle: float = 30.0, shadow: tuple[float, float, float, float] = (0.3, 0.35, 0.3, 0.6),
          vignette: float = 0.25) -> Image.Image:
    """Uneven lighting, as in a photograph of a page under a lamp.

    The page is first given the contrast of a photograph (black becomes ``ink``, white
    ``paper``), then multiplied by the light field of :func:`illumination` (``floor``,
    ``angle``, ``shadow``, ``vignette`` are its parameters). With ``floor * paper < ink``
    the paper in the darkest place is darker than the ink in the brightest, so no single
    global threshold separates text from background.
    """
    pixels = np.asarray(image, dtype=np.float32)
    printed = ink + (paper - ink) * pixels / 255.0
    field = illumination(image.width, image.height, floor=floor, angle=angle, shadow=shadow,
                         vignette=vignette)
    return Image.fromarray(np.rint(printed * field).astype(np.uint8))


def invert(image: Image.Image, *, background: int = 32, ink: int = 224) -> Image.Image:
    """Light text on a dark page: white becomes ``background``, black ``ink``."""
    pixels = np.asarray(image, dtype=np.float32)
    return Image.fromarray(np.rint(ink + (background - ink) * pixels / 255.0).astype(np.uint8))


def invert_band(image: Image.Image, *, background: int = 32, ink: int = 224) -> Image.Image:
    """A banner: the second paragraph set light-on-dark across the page, from the middle
    of the gap above it to the middle of the gap below it; the rest stays as it is."""
    pixels = np.asarray(image)
    blank = ~(pixels < 128).any(axis=1)
    edges = np.flatnonzero(np.diff(blank.astype(np.int8)))  # where ink starts or stops
    inked = np.flatnonzero(~blank)
    gaps = [(a + 1, b + 1) for a, b in zip(edges[:-1], edges[1:])
            if blank[a + 1] and inked[0] < a < inked[-1]]
    line_gap = np.median([b - a for a, b in gaps])
    paragraph_gaps = [(a + b) // 2 for a, b in gaps if b - a > 1.5 * line_gap]
    top = paragraph_gaps[0] if paragraph_gaps else 0
    bottom = paragraph_gaps[1] if len(paragraph_gaps) > 1 else pixels.shape[0]
    out = pixels.copy()
    out[top:bottom] = np.asarray(invert(Image.fromarray(pixels[top:bottom]),
                                        background=background, ink=ink))
    return Image.fromarray(out)


def colorize(image: Image.Image, *, ink: tuple[int, int, int],
             paper: tuple[int, int, int]) -> Image.Image:
    """An RGB page: black becomes the colour ``ink``, white ``paper``, and the
    anti-aliased edges blend between them."""
    level = np.asarray(image, dtype=np.float32)[..., None] / 255.0
    rgb = np.asarray(ink, np.float32) + (np.asarray(paper, np.float32) - ink) * level
    return Image.fromarray(np.rint(rgb).astype(np.uint8), "RGB")


def jpeg(image: Image.Image, *, quality: int = 20) -> Image.Image:
    """The page saved as a JPEG of ``quality`` and decoded again."""
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    buffer.seek(0)
    with Image.open(buffer) as decoded:
        return decoded.convert(image.mode)


def rotate(image: Image.Image, *, degrees: float) -> Image.Image:
    """The page turned ``degrees`` counter-clockwise (bicubic), grown to fit, white corners."""
    return image.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


# Per-page parameters: page n takes entry n (modulo the length).
LIGHTS = (  # the direction of the fall-off, and the shadow (x, y, radius, depth)
    (20.0, (0.25, 0.3, 0.29, 0.7)),
    (160.0, (0.7, 0.75, 0.33, 0.63)),
    (250.0, (0.6, 0.2, 0.26, 0.7)),
    (75.0, (0.2, 0.8, 0.39, 0.56)),
    (300.0, (0.8, 0.4, 0.29, 0.7)),
    (120.0, (0.35, 0.6, 0.36, 0.63)),
)
COLORS = (  # (ink, paper)
    ((20, 40, 110), (250, 243, 220)),   # navy on cream
    ((150, 20, 30), (250, 228, 225)),   # dark red on pale pink
    ((255, 255, 255), (40, 90, 160)),   # white on a blue banner
    ((25, 95, 45), (255, 250, 205)),    # dark green on pale yellow
    ((250, 215, 70), (45, 52, 70)),     # yellow on dark slate
    ((0, 0, 0), (255, 235, 60)),        # black on highlighter yellow
)
ANGLES = (1.5, -2.5, 3.0, -1.0, 2.0, -3.0)


@dataclass(frozen=True)
class Condition:
    """How a condition makes its pages: the em size to render at, then ``degrade``
    applied to the clean page (with the page's index in :data:`PAGE_SPECS`)."""

    name: str
    description: str
    degrade: Callable[[Image.Image, int], Image.Image]
    em: int = EM


CONDITIONS = {condition.name: condition for condition in (
    Condition("clean", "black on white, text 34 px em", lambda image, n: image),
    Condition("small", f"clean, re-rendered with text {SMALL_EM} px em",
              lambda image, n: image, em=SMALL_EM),
    Condition("large", f"clean, re-rendered with text {LARGE_EM} px em (a 600 dpi scan)",
              lambda image, n: image, em=LARGE_EM),
    Condition("small-jpeg", f"text {SMALL_EM} px em, saved as JPEG at quality 35",
              lambda image, n: jpeg(image, quality=35), em=SMALL_EM),
    Condition("noise", "additive gaussian noise, sigma 25 gray levels",
              lambda image, n: add_noise(image, sigma=25.0, seed=seed("noise", n))),
    Condition("blur", "gaussian blur, sigma 1.4 px", lambda image, n: blur(image, radius=1.4)),
    Condition("uneven", "ink 70 / paper 235 times a light field down to 0.2 "
              "(fall-off, shadow, vignette)",
              lambda image, n: shade(image, floor=0.2, angle=LIGHTS[n % len(LIGHTS)][0],
                                     shadow=LIGHTS[n % len(LIGHTS)][1])),
    Condition("dark", "light text (224) on a dark page (32)", lambda image, n: invert(image)),
    Condition("banner", "the second paragraph light-on-dark in a band across the page",
              lambda image, n: invert_band(image)),
    Condition("color", "RGB: coloured ink on coloured paper, six combinations",
              lambda image, n: colorize(image, ink=COLORS[n % len(COLORS)][0],
                                        paper=COLORS[n % len(COLORS)][1])),
    Condition("jpeg", "JPEG at quality 20", lambda image, n: jpeg(image, quality=20)),
    Condition("rotated", "turned by 1 to 3 degrees either way, white corners",
              lambda image, n: rotate(image, degrees=ANGLES[n % len(ANGLES)])),
)}

SCANS = "scans"
SCAN_FILES = (  # (image, languages), relative to ../shared/data; truth from manifest.json
    ("tesseract-ocr_test/testing/phototest.tif", ("eng",)),
    ("tesseract-ocr_test/testing/eurotext.tif", ("Latin",)),
)
CONDITION_NAMES = (*CONDITIONS, SCANS)


# -- pages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One page to read: the image, its text, the languages to read it with, a name."""

    image: Image.Image
    truth: str
    languages: tuple[str, ...]
    name: str


def pages(condition: str, quick: bool = False) -> list[Page]:
    """The pages of ``condition`` (one of :data:`CONDITION_NAMES`), the same every run.

    ``quick`` keeps a subset: one English, one Russian and one mixed page (both scans
    for ``scans``). ``scans`` gives no pages when ``../shared/data`` is absent.
    """
    if condition == SCANS:
        return scan_pages()
    if condition not in CONDITIONS:
        raise ValueError(f"unknown condition {condition!r}; the conditions are {CONDITION_NAMES}")
    return [_page(condition, n) for n, page in enumerate(PAGE_SPECS) if page.quick or not quick]


def page(condition: str, name: str) -> Page:
    """The page ``name`` (of :data:`PAGE_SPECS`) of ``condition``, as :func:`pages`
    gives it, rendered alone."""
    if condition not in CONDITIONS:
        raise ValueError(f"unknown condition {condition!r}; the conditions are {CONDITION_NAMES}")
    names = [spec.name for spec in PAGE_SPECS]
    if name not in names:
        raise ValueError(f"unknown page {name!r}; the pages are {names}")
    return _page(condition, names.index(name))


def _page(condition: str, n: int) -> Page:
    spec, page = CONDITIONS[condition], PAGE_SPECS[n]
    return Page(spec.degrade(render(page, spec.em), n), " ".join(page.paragraphs),
                page.languages, page.name)


def shared_data() -> Path:
    """``../shared/data`` (or ``$OCR_SHARED_DIR/data``), which may be absent."""
    return SHARED / "data"


def scan_pages() -> list[Page]:
    """The real scans of :data:`SCAN_FILES` with their ground truth; none without them."""
    folder = shared_data()
    if not (folder / "manifest.json").is_file():
        return []
    truths = {entry["image"]: entry["text"]
              for entry in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))}
    result = []
    for image, languages in SCAN_FILES:
        with Image.open(folder / image) as opened:
            opened.load()
            result.append(Page(opened.copy(), (folder / truths[image]).read_text(encoding="utf-8"),
                               languages, Path(image).stem))
    return result


# -- reading and scoring --------------------------------------------------------------


class Engine(Protocol):
    """What the harness needs of an engine: ``recognize(image).text``."""

    def recognize(self, image: Image.Image) -> Any: ...


EngineFactory = Callable[[list[str]], Engine]


def normalize(text: str) -> str:
    """Every run of whitespace collapsed to one space, and none at the ends."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Reading:
    """What one contender made of one page."""

    text: str
    edits: int
    """Edit distance to the truth, both normalized."""
    seconds: float


@dataclass(frozen=True)
class PageResult:
    name: str
    languages: tuple[str, ...]
    chars: int
    """Length of the normalized truth."""
    ocr: Reading
    tesserocr: Reading


@dataclass(frozen=True)
class Row:
    """One line of the table: a condition's pages, summed."""

    condition: str
    description: str
    results: tuple[PageResult, ...]
    note: str = ""

    @property
    def pages(self) -> int:
        return len(self.results)

    @property
    def chars(self) -> int:
        return sum(result.chars for result in self.results)

    def readings(self, contender: str) -> list[Reading]:
        """Every page's reading by ``contender``, ``"ocr"`` or ``"tesserocr"``."""
        readings: list[Reading] = [getattr(result, contender) for result in self.results]
        return readings

    def cer(self, contender: str) -> float:
        """Sum of edit distances over sum of truth lengths (NaN without pages)."""
        edits = sum(reading.edits for reading in self.readings(contender))
        return edits / self.chars if self.chars else float("nan")

    def seconds(self, contender: str) -> float:
        return sum(reading.seconds for reading in self.readings(contender))

    @property
    def cer_ocr(self) -> float:
        return self.cer("ocr")

    @property
    def cer_tesserocr(self) -> float:
        return self.cer("tesserocr")


def timed_read(read: Callable[[Image.Image], str], page: Page) -> Reading:
    """Read ``page`` with ``read``, timing the call only, and score the text."""
    start = time.perf_counter()
    text = read(page.image)
    seconds = time.perf_counter() - start
    return Reading(text, edit_distance(normalize(text), normalize(page.truth)), seconds)


class Contenders:
    """``ocr`` engines and tesserocr APIs, one of each per language set, made on first use
    (their start-up is not timed) and closed with :meth:`close`."""

    def __init__(self, engine_factory: EngineFactory | None = None,
                 tessdata: str | Path | None = None) -> None:
        import ocr
        import ocr._tesseract

        self._factory: EngineFactory = engine_factory or ocr.OcrEngine
        self._tessdata = str(ocr._tesseract.find_tessdata(tessdata))
        self._engines: dict[tuple[str, ...], Engine] = {}
        self._apis: dict[tuple[str, ...], Any] = {}

    def ocr(self, languages: tuple[str, ...]) -> Callable[[Image.Image], str]:
        if languages not in self._engines:
            self._engines[languages] = self._factory(list(languages))
        engine = self._engines[languages]
        return lambda image: str(engine.recognize(image).text)

    def tesserocr(self, languages: tuple[str, ...]) -> Callable[[Image.Image], str]:
        if languages not in self._apis:
            import tesserocr

            self._apis[languages] = tesserocr.PyTessBaseAPI(path=self._tessdata + "/",
                                                            lang="+".join(languages))
        api = self._apis[languages]

        def read(image: Image.Image) -> str:
            api.SetImage(image)
            return str(api.GetUTF8Text())
        return read

    def close(self) -> None:
        for engine in self._engines.values():
            getattr(engine, "close", lambda: None)()
        for api in self._apis.values():
            api.End()
        self._engines.clear()
        self._apis.clear()


def evaluate_page(page: Page, contenders: Contenders) -> PageResult:
    """Both contenders' readings of ``page``."""
    read_ocr, read_tesserocr = contenders.ocr(page.languages), contenders.tesserocr(page.languages)
    return PageResult(page.name, page.languages, len(normalize(page.truth)),
                      timed_read(read_ocr, page), timed_read(read_tesserocr, page))


def describe(condition: str) -> str:
    if condition == SCANS:
        return "real scans from ../shared/data: phototest (eng), eurotext (Latin)"
    return CONDITIONS[condition].description


def evaluate(conditions: Sequence[str] | None = None, quick: bool = False,
             engine_factory: EngineFactory | None = None,
             progress: Callable[[Row], None] | None = None) -> list[Row]:
    """Read every page of every condition with both contenders; one row per condition.

    Parameters
    ----------
    conditions : sequence of str, optional
        Names from :data:`CONDITION_NAMES`, in the order wanted; default all of them.
    quick : bool
        Only the quick subset of pages (see :func:`pages`).
    engine_factory : callable, optional
        Makes the ``ocr`` engine for a list of language codes; default
        ``ocr.OcrEngine``, i.e. whatever the engine does by default. Pass e.g.
        ``lambda languages: configured(ocr.OcrEngine(languages))`` to measure another
        configuration.
    progress : callable, optional
        Called with each row as soon as it is done.

    Returns
    -------
    list of Row
        In the order of ``conditions``. A condition without pages (``scans`` when
        ``../shared/data`` is absent) has a row with no results and a ``note``.
    """
    names = list(CONDITION_NAMES if conditions is None else conditions)
    unknown = [name for name in names if name not in CONDITION_NAMES]
    if unknown:
        raise ValueError(f"unknown conditions {unknown}; the conditions are {CONDITION_NAMES}")
    contenders = Contenders(engine_factory)
    rows = []
    try:
        for name in names:
            results = tuple(evaluate_page(page, contenders) for page in pages(name, quick))
            note = "" if results else f"skipped: {shared_data()} is absent"
            rows.append(Row(name, describe(name), results, note))
            if progress is not None:
                progress(rows[-1])
    finally:
        contenders.close()
    return rows


def total(rows: Sequence[Row]) -> Row:
    """All the rows' pages as one row."""
    return Row("total", "every page above", tuple(r for row in rows for r in row.results))


# -- output ---------------------------------------------------------------------------

HEADER = ("condition", "pages", "chars", "CER ocr", "CER tesserocr", "seconds ocr",
          "seconds tesserocr")


def table_cells(row: Row) -> tuple[str, ...]:
    if not row.results:
        return (row.condition, "0", "0", row.note, "", "", "")
    return (row.condition, str(row.pages), str(row.chars), f"{row.cer_ocr:.2%}",
            f"{row.cer_tesserocr:.2%}", f"{row.seconds('ocr'):.2f}",
            f"{row.seconds('tesserocr'):.2f}")


def format_table(rows: Sequence[Row]) -> str:
    """A Markdown table of ``rows`` and their total, columns aligned."""
    cells = [HEADER] + [table_cells(row) for row in [*rows, total(rows)]]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADER))]

    def line(values: Sequence[str]) -> str:
        padded = [v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(values, widths))]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 1) + ":" if i else "-" * (w + 2)
                          for i, w in enumerate(widths)) + "|"
    return "\n".join([line(cells[0]), rule, *map(line, cells[1:])])


def row_dict(row: Row) -> dict[str, Any]:
    """``row`` as JSON-ready data: the sums, then every page with both readings."""
    def finite(value: float) -> float | None:
        return None if value != value else round(value, 6)

    return {"condition": row.condition, "description": row.description, "note": row.note,
            "pages": row.pages, "chars": row.chars,
            "cer_ocr": finite(row.cer_ocr), "cer_tesserocr": finite(row.cer_tesserocr),
            "seconds_ocr": round(row.seconds("ocr"), 4),
            "seconds_tesserocr": round(row.seconds("tesserocr"), 4),
            "results": [asdict(result) for result in row.results]}


def report(rows: Sequence[Row], *, quick: bool, seconds: float) -> dict[str, Any]:
    import tesserocr

    return {"quick": quick, "wall_seconds": round(seconds, 2),
            "tesseract": tesserocr.tesseract_version().splitlines()[0],
            "rows": [row_dict(row) for row in rows], "total": row_dict(total(rows))}


# -- the script -----------------------------------------------------------------------


def condition_list(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in CONDITION_NAMES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown conditions {unknown}; choose from {','.join(CONDITION_NAMES)}")
    return names


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="one English, one Russian and one mixed page per condition")
    parser.add_argument("--conditions", type=condition_list, default=list(CONDITION_NAMES),
                        help=f"comma-separated, from {','.join(CONDITION_NAMES)} (default all)")
    parser.add_argument("--json", type=Path, help="also write every reading to this file")
    return parser.parse_args(argv)


def print_progress(row: Row) -> None:
    done = row.note or f"{row.pages} pages, {row.seconds('ocr') + row.seconds('tesserocr'):.1f} s"
    print(f"{row.condition}: {done}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    start = time.perf_counter()
    rows = evaluate(args.conditions, quick=args.quick, progress=print_progress)
    seconds = time.perf_counter() - start
    print(format_table(rows))
    print(f"\nwall time {seconds:.1f} s" + (" (quick)" if args.quick else ""))
    if args.json:
        args.json.write_text(json.dumps(report(rows, quick=args.quick, seconds=seconds),
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
