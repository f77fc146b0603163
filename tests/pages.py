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
    "noto-sans": FONT_DIR / "noto/NotoSans-Regular.ttf",     # fonts-noto-core
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


def a4_page(*, dpi: int = 300, point_size: float = 11, font_name: str = "serif",
            paragraphs: int = 4) -> Image.Image:
    """A full A4 page of English prose at ``dpi``, in one column."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    size = round(point_size * dpi / 72)
    face = font(font_name, size)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    margin, step, y = dpi, round(size * 1.5), dpi
    words = " ".join(ENGLISH * 6).split()
    for _ in range(paragraphs):
        line: list[str] = []
        for word in words:
            if face.getlength(" ".join(line + [word])) > width - 2 * margin and line:
                draw.text((margin, y), " ".join(line), font=face, fill=0)
                y += step
                line = []
            line.append(word)
        draw.text((margin, y), " ".join(line), font=face, fill=0)
        y += 2 * step
    return image


def gray(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"))
