"""Draw the English link-preview card (docs/assets/images/og-en.jpg), the twin of og-default.jpg.

    .venv/bin/python -m scripts.dev.og_image [OUT.jpg]

Chat apps show og:image beside a shared link; pages under /en/ get this card so an English
reader does not see a Chinese one. Drawn with Debian's Noto Sans CJK (fonts-noto-cjk), whose
Latin glyphs match the Chinese card; the JPEG is committed, so the build never needs the font.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "assets" / "images" / "og-en.jpg"
SIZE = (1200, 630)
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
TOP, BOTTOM = (49, 63, 160), (92, 107, 192)  # Material's indigo, as on the Chinese card
LINES = ("AIGC ALGORITHM ENGINEERS  ·  INTERVIEW PREP", "AIGC Interview Questions",
         "Diffusion models and Stable Diffusion, one question per page")
TAGS = ("Diffusion", "SD 1.5", "SDXL", "SD 3")


def font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / f"NotoSansCJK-{weight}.ttc"), size, index=2)  # index 2: SC


def card() -> Image.Image:
    width, height = SIZE
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(height):  # a diagonal-looking gradient: top-left dark, bottom-right light
        t = y / (height - 1)
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * t * 0.8) for a, b in zip(TOP, BOTTOM, strict=True)))
    for x in range(800, width, 24):  # the dot grid of the Chinese card
        for y in range(10, 430, 24):
            fade = max(0.0, 1 - ((x - 1200) ** 2 + (y - 10) ** 2) ** 0.5 / 520)
            if fade:
                draw.ellipse([x - 1.5, y - 1.5, x + 1.5, y + 1.5], fill=tuple(round(c + (255 - c) * 0.35 * fade) for c in TOP))
    draw.text((96, 134), LINES[0], font=font("Regular", 28), fill=(222, 226, 245))
    draw.text((92, 205), LINES[1], font=font("Bold", 84), fill=(255, 255, 255))
    draw.text((96, 352), LINES[2], font=font("Regular", 34), fill=(236, 238, 250))
    x = 96
    for tag in TAGS:
        label = font("Regular", 28)
        text_width = draw.textlength(tag, font=label)
        draw.rounded_rectangle([x, 446, x + text_width + 56, 504], radius=29, fill=(88, 102, 190), outline=(150, 160, 220), width=2)
        draw.text((x + 28, 456), tag, font=label, fill=(255, 255, 255))
        x += text_width + 56 + 20
    return image


def main(argv: list[str] | None = None) -> None:
    out = Path((argv or sys.argv[1:] or [str(OUT)])[0])
    card().save(out, "JPEG", quality=88, optimize=True, progressive=True)
    print(f"{out}: {out.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
