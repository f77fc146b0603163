"""Pages the tests and benchmarks render themselves (fonts from Debian packages)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype")
FONTS = {
    "sans": FONT_DIR / "dejavu/DejaVuSans.ttf",             # fonts-dejavu-core
    "serif": FONT_DIR / "dejavu/DejaVuSerif.ttf",
    "mono": FONT_DIR / "dejavu/DejaVuSansMono.ttf",
    "liberation-serif": FONT_DIR / "liberation2/LiberationSerif-Regular.ttf",  # fonts-liberation2
    "liberation-sans": FONT_DIR / "liberation2/LiberationSans-Regular.ttf",
    "liberation-mono": FONT_DIR / "liberation2/LiberationMono-Regular.ttf",
    "noto-sans": FONT_DIR / "noto/NotoSans-Regular.ttf",     # fonts-noto-core
    "noto-serif": FONT_DIR / "noto/NotoSerif-Regular.ttf",
}

ENGLISH = (
    "The quick brown fox jumps over the lazy dog.",
    "Pack my box with five dozen liquor jugs, 1234567890.",
    "How vexingly quick daft zebras jump!",
)
RUSSIAN = (
    "Съешь же ещё этих мягких французских булок.",
    "Широкая электрификация южных губерний даст мощный толчок.",
)


def font(name: str = "sans", size: int = 32) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS[name]), size)


def render(lines: tuple[str, ...] | list[str], *, font_name: str = "sans", size: int = 32,
           margin: int = 40, leading: float = 1.6, ink: int | tuple[int, ...] = 0,
           paper: int | tuple[int, ...] = 255, mode: str = "L") -> Image.Image:
    """Dark-on-light text lines, left-aligned, in a page just big enough for them."""
    face = font(font_name, size)
    step = round(size * leading)
    width = max(face.getbbox(line)[2] for line in lines) + 2 * margin
    image = Image.new(mode, (width, 2 * margin + step * len(lines)), paper)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((margin, margin + i * step), line, font=face, fill=ink)
    return image


def wrap(words: list[str], face: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy word wrap: as many words on each line as fit in ``width`` pixels.

    A word longer than ``width`` gets a line of its own.
    """
    lines: list[str] = []
    line: list[str] = []
    for word in words:
        if line and face.getlength(" ".join(line + [word])) > width:
            lines.append(" ".join(line))
            line = []
        line.append(word)
    if line:
        lines.append(" ".join(line))
    return lines


A4_PARAGRAPH = " ".join(ENGLISH * 6)


def a4_page_text(paragraphs: int = 4) -> list[str]:
    """The paragraphs :func:`a4_page` draws."""
    return [A4_PARAGRAPH] * paragraphs


def a4_page(*, dpi: int = 300, point_size: float = 11, font_name: str = "serif",
            paragraphs: int = 4) -> Image.Image:
    """A full A4 page of English prose at ``dpi``, in one column."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    size = round(point_size * dpi / 72)
    face = font(font_name, size)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    margin, step, y = dpi, round(size * 1.5), dpi
    words = A4_PARAGRAPH.split()
    for _ in range(paragraphs):
        for line in wrap(words, face, width - 2 * margin):
            draw.text((margin, y), line, font=face, fill=0)
            y += step
        y += step
    return image


def document(paragraphs: tuple[str, ...] | list[str], *, font_name: str = "serif",
             size: int = 34, width: int = 1400, margin: int = 100, leading: float = 1.45,
             paragraph_gap: float = 0.8) -> Image.Image:
    """A page of prose: ``paragraphs`` word-wrapped in one column, black on white.

    Parameters
    ----------
    paragraphs : sequence of str
        The text, one string per paragraph.
    font_name : str
        A key of :data:`FONTS`.
    size : int
        The em size in pixels (capitals come out about 0.7 of it).
    width, margin : int
        The page width and the margin on all four sides, in pixels; the height is
        what the text needs.
    leading, paragraph_gap : float
        The line pitch, and the extra space between paragraphs, in ems.

    Examples
    --------
    >>> document(["First paragraph.", "Second one."], font_name="noto-sans", size=30)
    """
    face = font(font_name, size)
    blocks = [wrap(text.split(), face, width - 2 * margin) for text in paragraphs]
    step, gap = round(size * leading), round(size * paragraph_gap)
    height = 2 * margin + step * sum(map(len, blocks)) + gap * (len(blocks) - 1)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    y = margin
    for lines in blocks:
        for line in lines:
            draw.text((margin, y), line, font=face, fill=0)
            y += step
        y += gap
    return image


def gray(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"))
