"""Published URLs never disappear silently: removing one fails the build until it redirects."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scripts.emit.redirects import redirect_href, redirect_map, translated_redirects
from scripts.emit.url_lock import check_lock, lock_path_for, read_lock, write_lock
from scripts.emit.urls import book_urls, page_url

from ..conftest import BOOK, mkdocs_build, slugged_book


def test_check_lock_reports_vanished_and_unlisted():
    report = check_lock(["a/", "b/", "c/"], live={"a/", "d/"}, redirected={"b/"})
    assert report.vanished == ["c/"] and report.unlisted == ["d/"]


def test_lock_round_trip(tmp_path: Path):
    path = tmp_path / "x.urls.txt"
    write_lock(path, ["b/", "a/", "a/"])
    assert read_lock(path) == ["a/", "b/"]
    assert read_lock(tmp_path / "missing.txt") == []


def test_committed_lock_lists_every_url_of_our_book():
    book = slugged_book(BOOK)
    assert set(book_urls(book)) <= set(read_lock(lock_path_for(BOOK)))
    assert len(book_urls(book)) == 4 + 6 + 95


def test_former_slugs_become_redirects(book_copy: Path):
    registry = book_copy.with_name(book_copy.stem + ".registry.yml")
    text = registry.read_text(encoding="utf-8")
    text = text.replace("slug: aspect-ratio-bucketing-workflow\n", "slug: bucketing-workflow\n    formerly: [aspect-ratio-bucketing-workflow]\n")
    text = text.replace("slug: sdxl\n", "slug: stable-diffusion-xl\n    formerly: [sdxl]\n")
    registry.write_text(text, encoding="utf-8")
    redirects = redirect_map([slugged_book(book_copy)])
    assert redirects["sd15/aspect-ratio-bucketing-workflow.md"] == "sd15/bucketing-workflow.md"
    assert redirects["sdxl/index.md"] == "stable-diffusion-xl/index.md"
    assert redirects["sdxl/sdxl-refiner.md"] == "stable-diffusion-xl/sdxl-refiner.md"
    assert page_url("sdxl/index.md") == "sdxl/" and page_url("sd15/x.md") == "sd15/x/"
    english = translated_redirects(redirects, ["en"])
    assert english["en/sd15/aspect-ratio-bucketing-workflow/"] == "en/sd15/bucketing-workflow/"
    assert english["en/sdxl/"] == "en/stable-diffusion-xl/" and len(english) == len(redirects)
    assert redirect_href("en/sdxl/sdxl-refiner/", "en/stable-diffusion-xl/sdxl-refiner/") == "../../stable-diffusion-xl/sdxl-refiner/"


@pytest.fixture
def build(book_figures: Path):
    return lambda book, site: mkdocs_build(site, book_figures, QA_BOOKS=str(book))


def test_a_removed_slug_fails_the_build_until_it_redirects(book_copy: Path, tmp_path: Path, build):
    shutil.copy(lock_path_for(BOOK), lock_path_for(book_copy))
    registry = book_copy.with_name(book_copy.stem + ".registry.yml")
    original = registry.read_text(encoding="utf-8")
    registry.write_text(original.replace("slug: aspect-ratio-bucketing-workflow\n", "slug: bucketing-workflow\n"), encoding="utf-8")

    broken = build(book_copy, tmp_path / "broken" / "site")
    assert broken.returncode != 0
    assert "sd15/aspect-ratio-bucketing-workflow/" in broken.stderr and "formerly" in broken.stderr

    registry.write_text(original.replace("slug: aspect-ratio-bucketing-workflow\n", "slug: bucketing-workflow\n    formerly: [aspect-ratio-bucketing-workflow]\n"), encoding="utf-8")
    unlisted = build(book_copy, tmp_path / "unlisted" / "site")
    assert unlisted.returncode != 0 and "new URL sd15/bucketing-workflow/ is not in the lock" in unlisted.stderr

    write_lock(lock_path_for(book_copy), read_lock(lock_path_for(book_copy)) + ["sd15/bucketing-workflow/"])
    site = tmp_path / "fixed" / "site"
    fixed = build(book_copy, site)
    assert fixed.returncode == 0, fixed.stderr
    redirect = (site / "sd15" / "aspect-ratio-bucketing-workflow" / "index.html").read_text(encoding="utf-8")
    assert 'url=../bucketing-workflow/"' in redirect and "location.href" in redirect
    assert (site / "sd15" / "bucketing-workflow" / "index.html").is_file()
    english = (site / "en" / "sd15" / "aspect-ratio-bucketing-workflow" / "index.html").read_text(encoding="utf-8")
    assert 'url=../bucketing-workflow/"' in english and "location.href" in english  # to the English page, beside it
    assert '<html lang="en"' in (site / "en" / "sd15" / "bucketing-workflow" / "index.html").read_text(encoding="utf-8")
