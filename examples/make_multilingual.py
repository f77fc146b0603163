#!/usr/bin/env python3
"""Render multilingual.png: the three lines of the tutorial's expected output.

    python examples/make_multilingual.py [OUT.png]

Needs DejaVu Sans (Debian: fonts-dejavu-core), which has every glyph used here.
The committed PNG was made by this script; re-running it gives the same pixels.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

LINES = (
    "Hello, world! \u013f is a Latin\u2011extended character.",
    "\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440! \u0494 is a Cyrillic character.",
    "Special combo: \u01e2 is a ligature.",
)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SIZE = 36  # px: about 12 pt at 220 dpi
MARGIN = 40
LEADING = 1.6


def render(lines: tuple[str, ...] = LINES, font_path: str = FONT, size: int = SIZE) -> Image.Image:
    font = ImageFont.truetype(font_path, size)
    widths = [font.getbbox(line)[2] for line in lines]
    step = round(size * LEADING)
    image = Image.new("L", (max(widths) + 2 * MARGIN, 2 * MARGIN + step * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((MARGIN, MARGIN + i * step), line, font=font, fill=0)
    return image


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("multilingual.png")
    render().save(out, optimize=True)
    print(f"wrote {out}")
