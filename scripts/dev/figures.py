"""Stand-in figures for the book's own: the real ones are the owner's and never part of the
repository, so tests and benchmarks make small images with the file names the book links."""

from __future__ import annotations

from pathlib import Path

from scripts.settings import IMAGE_FOLDER

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "aigc-interview-book.md"


def linked_figures(book: Path = BOOK) -> list[str]:
    """The file names of the figures a book links in its image folder, minus those its registry
    says were never published, as the pipeline itself reads them."""
    from scripts.book.identity import load_registry, registry_path_for
    from scripts.book.normalise import normalise_answer
    from scripts.book.parse import parse_book

    absent = load_registry(registry_path_for(book)).absent_figures
    parsed = parse_book(book)
    texts = [q.answer for q in parsed.questions] + [h.intro for c in parsed.chapters for h in [c, *c.sections]]
    paths = {path for text in texts for path in normalise_answer(text).images}
    return sorted(name for path in paths if (name := path.removeprefix(IMAGE_FOLDER + "/")) not in absent)


def make_figures(folder: Path, names: list[str]) -> Path:
    """Small stand-ins, made here, for figures with these file names: the real ones are the
    book owner's and never part of the repository. PNGs are transparent, as diagrams are."""
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    for number, name in enumerate(names):
        size = (480 + 40 * (number % 5), 270 + 30 * (number % 3))
        jpeg = name.lower().endswith((".jpg", ".jpeg"))
        image = Image.new("RGB" if jpeg else "RGBA", size, (255, 255, 255) if jpeg else (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        draw.rectangle([12, 12, size[0] - 12, size[1] - 12], outline=(40, 60, 160), width=6)
        draw.line([12, size[1] - 12, size[0] - 12, 12], fill=(200, 60, 40), width=6)
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        image.save(folder / name, "JPEG" if jpeg else "PNG")
    return folder
