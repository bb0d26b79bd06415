"""Draw the installed app's icons (docs/assets/images/icon-*.png), named in the web app manifests.

    .venv/bin/python -m scripts.dev.app_icons [OUT_DIR]

A phone shows them on its home screen and in its app switcher: 192 and 512 px for Android, a
maskable 512 px whose drawing keeps inside the safe zone (the inner 80% circle) for launchers
that crop icons to their own shape, and a 180 px apple-touch-icon for iOS. Drawn with Debian's
Noto Sans CJK (fonts-noto-cjk) in the indigo of the link-preview cards; the PNGs are committed,
so the build never needs the font.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "assets" / "images"
FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
INDIGO, LIGHT = (63, 81, 181), (255, 255, 255)  # Material's indigo primary, theme_color of the manifests
# file name: (size, part of the side the glyphs may fill, corner radius as a part of the side)
ICONS = {
    "icon-192.png": (192, 0.72, 0.18),
    "icon-512.png": (512, 0.72, 0.18),
    "icon-maskable-512.png": (512, 0.52, 0.0),  # full bleed: the launcher cuts the shape
    "apple-touch-icon.png": (180, 0.72, 0.0),  # iOS rounds the corners itself
}


def icon(size: int, fill: float, radius: float) -> Image.Image:
    scale = 4  # drawn large, scaled down: smooth edges without antialiasing support in ImageDraw
    side = size * scale
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([0, 0, side - 1, side - 1], radius=round(side * radius), fill=INDIGO)
    font = ImageFont.truetype(str(FONT), round(side * fill * 0.62), index=2)  # index 2: SC
    draw.text((side / 2, side * 0.47), "面试", font=font, fill=LIGHT, anchor="mm")
    small = ImageFont.truetype(str(FONT), round(side * fill * 0.2), index=2)
    draw.text((side / 2, side * 0.47 + side * fill * 0.45), "AIGC", font=small, fill=(200, 206, 240), anchor="mm")
    return image.resize((size, size), Image.LANCZOS)


def main(argv: list[str] | None = None) -> None:
    out = Path((argv or sys.argv[1:] or [str(OUT)])[0])
    for name, (size, fill, radius) in ICONS.items():
        path = out / name
        icon(size, fill, radius).save(path, "PNG", optimize=True)
        print(f"{path}: {path.stat().st_size / 1024:.1f} KB")


if __name__ == "__main__":
    main()
