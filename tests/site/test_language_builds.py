"""The other languages build in a second process (scripts/glue/language_builds.py): the site is
the one a build of one language after the other makes, byte for byte, and what the second
process meets is shown, once, and counted by --strict, as if this process had met it."""

from __future__ import annotations

import re
from pathlib import Path

from scripts.book.translations import answer_fingerprint, translation_dir

from ..conftest import mkdocs_build, slugged_book

SCRIPT = "<script>alert(1)</script>"


def files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def news(log: str, site: Path) -> list[str]:
    """The build's log lines, in order of text, without timings and without the folder it wrote to."""
    lines = (re.sub(r"\d+(\.\d+)? (seconds|s)\b", "T", line.replace(str(site), "SITE")) for line in log.splitlines())
    return sorted(line for line in lines if line.strip())


def test_both_ways_build_the_same_site_and_say_the_same(tmp_path: Path, book_figures: Path):
    one_by_one = mkdocs_build(tmp_path / "one" / "site", book_figures, QA_PARALLEL="0")
    side_by_side = mkdocs_build(tmp_path / "two" / "site", book_figures, QA_PARALLEL="1")
    assert one_by_one.returncode == side_by_side.returncode == 0, one_by_one.stderr + side_by_side.stderr
    first, second = files(tmp_path / "one" / "site"), files(tmp_path / "two" / "site")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    sitemap = second["sitemap.xml"].decode()
    english = sitemap.count("<loc>http://127.0.0.1:8000/aigc-interview-site/en/")
    assert 0 < english < sitemap.count("<loc>")  # both languages' pages: the child's half is merged in
    forked = "building the 'en' pages in a second process, beside the 'zh' pages"
    assert forked in side_by_side.stderr and forked not in one_by_one.stderr
    assert news(one_by_one.stderr, tmp_path / "one" / "site") == [line for line in news(side_by_side.stderr, tmp_path / "two" / "site")
                                                                  if forked not in line]


def _translate(book: Path, body: str) -> None:
    question = next(q for q in slugged_book(book).questions if q.slug == "aspect-ratio-bucketing-workflow")
    folder = translation_dir(book)
    folder.mkdir(exist_ok=True)
    (folder / f"{question.slug}.md").write_text(f"---\ntranslates: {answer_fingerprint(question.answer)}\n---\n{body}\n", encoding="utf-8")


def test_a_warning_only_the_second_process_meets_is_shown_and_fails_strict(book_copy: Path, tmp_path: Path, book_figures: Path):
    _translate(book_copy, f"Bucketing groups images by aspect ratio.\n\n{SCRIPT}")
    site = tmp_path / "site"
    result = mkdocs_build(site, book_figures, QA_BOOKS=str(book_copy), QA_PARALLEL="1")
    assert result.returncode == 1, result.stderr
    warnings = re.findall(r"WARNING +- +(\S+): removed <script>, which GitHub does not show either", result.stderr)
    assert len(warnings) == 1 and warnings[0].endswith(f"{translation_dir(book_copy).name}/aspect-ratio-bucketing-workflow.md:6"), result.stderr
    assert "Aborted with 1 warnings in strict mode!" in result.stdout
    assert not site.exists() or not any(site.iterdir())  # nothing half-built is left to publish


def test_what_both_languages_show_is_reported_once(book_copy: Path, tmp_path: Path, book_figures: Path):
    text = book_copy.read_text(encoding="utf-8")
    book_copy.write_text(text.replace("这一设计选择显著提升了模型的性能和灵活性。", f"这一设计选择显著提升了模型的性能和灵活性。{SCRIPT}", 1), encoding="utf-8")
    assert SCRIPT in book_copy.read_text(encoding="utf-8")
    result = mkdocs_build(tmp_path / "site", book_figures, strict=False, QA_BOOKS=str(book_copy), QA_PARALLEL="1")
    assert result.returncode == 0, result.stderr
    removed = [line for line in result.stderr.splitlines() if "removed <script>" in line]
    assert len(removed) == 1, removed  # the Chinese page and the English one both show the book's answer
