"""Visual debugging: a page with its word boxes drawn, coloured by confidence."""

from __future__ import annotations

import colorsys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:
    from .image import ImageSource
    from .result import OcrResult

__all__ = ["draw_boxes", "confidence_color"]

_FONT_FILES = (  # a font with Latin and Cyrillic, if the system has one
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)


def confidence_color(confidence: float) -> tuple[int, int, int]:
    """Red for 50 % or less, through orange and yellow, to green for 100 %."""
    share = min(max((confidence - 0.5) / 0.5, 0.0), 1.0)
    r, g, b = colorsys.hsv_to_rgb(share / 3, 0.9, 0.85)  # hue 0 (red) .. 1/3 (green)
    return (round(r * 255), round(g * 255), round(b * 255))


def draw_boxes(result: OcrResult, image: ImageSource | None = None, *,
               text: bool = False) -> Image.Image:
    """The page with each word's box outlined in its confidence colour.

    Parameters
    ----------
    result : OcrResult
        What ``recognize`` returned.
    image : path, bytes, PIL image, numpy array..., optional
        The image that was recognised (anything ``load_image`` accepts), drawn in
        colour underneath; it must have the result's size. Without it, the boxes are
        drawn on white paper of that size.
    text : bool
        Also write each recognised word above its box (on a light label), to compare
        what was read with what is printed.

    Returns
    -------
    PIL.Image.Image
        An RGB image of the result's size.

    Examples
    --------
    >>> result = engine.recognize("scan.png")
    >>> result.draw("scan.png", text=True).save("scan-boxes.png")
    """
    page = _page(image, (result.width, result.height))
    draw = ImageDraw.Draw(page)
    stroke = max(1, round(min(page.size) / 600))
    label_font = _font(max(10, round(np.median([w.y1 - w.y0 for w in result.boxes]) * 0.6))
                       if result.boxes else 12)
    for word in result.boxes:
        color = confidence_color(word.confidence)
        draw.rectangle((word.x0, word.y0, word.x1 - 1, word.y1 - 1), outline=color, width=stroke)
        if text:
            left, top, right, bottom = draw.textbbox((word.x0, 0), word.text, font=label_font)
            y = max(0, word.y0 - (bottom - top) - 2 * stroke)
            draw.rectangle((left - 1, y, right + 1, y + bottom - top + 2), fill=(255, 255, 235))
            draw.text((word.x0, y - top + 1), word.text, font=label_font, fill=color)
    return page


def _page(image: ImageSource | None, size: tuple[int, int]) -> Image.Image:
    from .image import open_color

    page = Image.new("RGB", size, (255, 255, 255)) if image is None else open_color(image)
    if page.size != size:
        raise ValueError(f"the image is {page.size[0]}x{page.size[1]} but the result is for "
                         f"{size[0]}x{size[1]}: pass the image that was recognised")
    return page


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in _FONT_FILES:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)
