"""Figures: their intrinsic size, WebP copies per width, and the <img> attributes that use them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from scripts.render.figures import WIDTHS, Figure, FigureError, prepare_figure, size_figures, variant_path


def image(path: Path, size: tuple[int, int], mode: str = "RGBA", format: str = "PNG") -> Path:
    Image.new(mode, size, (10, 20, 30, 0) if mode == "RGBA" else (10, 20, 30)).save(path, format)
    return path


def test_a_wide_figure_gets_a_copy_at_every_narrower_width(tmp_path: Path):
    figure, copies = prepare_figure(image(tmp_path / "wide.png", (2100, 922)), "imgs/wide.png", tmp_path / "cache")
    assert (figure.width, figure.height) == (2100, 922)
    assert [w for w, _ in figure.variants] == list(WIDTHS)
    assert sorted(copies) == sorted(f"imgs/wide.{w}w.webp" for w in WIDTHS)
    for width, path in figure.variants:
        with Image.open(copies[path]) as copy:
            assert copy.format == "WEBP" and copy.size == (width, round(922 * width / 2100))


def test_a_narrow_figure_is_never_enlarged(tmp_path: Path):
    figure, copies = prepare_figure(image(tmp_path / "icon.png", (188, 55)), "imgs/icon.png", tmp_path / "cache")
    assert figure == Figure(188, 55, ()) and copies == {}


def test_copies_are_cached_by_content_not_by_name(tmp_path: Path):
    source = image(tmp_path / "a.png", (1000, 500))
    _, first = prepare_figure(source, "imgs/a.png", tmp_path / "cache")
    stamps = {path: file.stat().st_mtime_ns for path, file in first.items()}
    _, again = prepare_figure(source, "imgs/a.png", tmp_path / "cache")
    assert {path: file.stat().st_mtime_ns for path, file in again.items()} == stamps
    image(source, (1000, 500), "RGB")  # new content under the same name: new copies
    _, changed = prepare_figure(source, "imgs/a.png", tmp_path / "cache")
    assert set(changed.values()).isdisjoint(first.values())


def test_a_jpeg_named_png_and_a_palette_image_convert(tmp_path: Path):
    jpeg = image(tmp_path / "photo.png", (1200, 800), "RGB", "JPEG")
    assert prepare_figure(jpeg, "imgs/photo.png", tmp_path / "c")[0].width == 1200
    palette = tmp_path / "p.png"
    Image.new("P", (1000, 400)).save(palette)
    assert len(prepare_figure(palette, "imgs/p.png", tmp_path / "c")[1]) == 2


def test_an_unreadable_figure_is_an_error_naming_it(tmp_path: Path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    with pytest.raises(FigureError, match="broken.png"):
        prepare_figure(broken, "imgs/broken.png", tmp_path / "cache")


FIGURES = {
    "imgs/a.png": Figure(2100, 922, ((480, variant_path("imgs/a.png", 480)), (960, variant_path("imgs/a.png", 960)))),
    "imgs/图 b.png": Figure(300, 100, ()),
}


def test_every_known_figure_gets_its_size_and_the_first_alone_loads_eagerly():
    html = ('<p><img alt="A" src="../../imgs/a.png"></p><img src="../../imgs/%E5%9B%BE%20b.png">'
            '<img src="https://example.org/remote.png"><img src="../../assets/logo.png">')
    out = size_figures(html, "sd3/x/", FIGURES)
    first, second, remote, logo = out.split("<img")[1:]
    assert 'width="2100" height="922"' in first and "loading" not in first
    assert 'srcset="../../imgs/a.480w.webp 480w, ../../imgs/a.960w.webp 960w, ../../imgs/a.png 2100w"' in first
    assert 'width="300" height="100"' in second and 'loading="lazy"' in second and "srcset" not in second
    assert remote == ' src="https://example.org/remote.png">' and logo == ' src="../../assets/logo.png">'


def test_pages_at_any_depth_name_the_same_figure():
    assert 'width="2100"' in size_figures('<img src="../../../imgs/a.png">', "en/sd3/x/", FIGURES)
    assert 'width="2100"' in size_figures('<img src="imgs/a.png">', "", FIGURES)


def test_an_author_s_own_size_is_kept():
    out = size_figures('<img src="../imgs/a.png" width="50%">', "sd3/", FIGURES)
    assert 'width="50%"' in out and 'height="922"' not in out and "srcset" in out


def test_an_unchanged_figure_is_not_read_again(tmp_path: Path, monkeypatch):
    source = image(tmp_path / "a.png", (1000, 500))
    first = prepare_figure(source, "imgs/a.png", tmp_path / "cache")

    def no_reading(*args, **kwargs):
        raise AssertionError("the figure was opened again")

    monkeypatch.setattr(Image, "open", no_reading)
    assert prepare_figure(source, "imgs/a.png", tmp_path / "cache") == first
