"""The splitter end to end, through its command line: what a user and the build rely on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scripts.cli import main

from ..conftest import BOOK, FIXTURES, ROOT


def split(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scripts", "split", *map(str, args)], cwd=ROOT, capture_output=True, text=True)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory, book_figures: Path) -> Path:
    out = tmp_path_factory.mktemp("split") / "pages"
    result = split(BOOK, "--out", out, "--strict", "--images", book_figures)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def manifest(site: Path) -> list[dict]:
    return json.loads((site / "manifest.json").read_text(encoding="utf-8"))


def test_our_book_yields_the_expected_pages(site: Path, manifest: list[dict]):
    assert len(manifest) == 95
    assert sum(e["answered"] for e in manifest) == 40
    assert len({e["chapter_slug"] for e in manifest}) == 4
    assert len({(e["chapter_slug"], e["section_slug"]) for e in manifest if e["section_slug"]}) == 6
    pages = [p for p in site.rglob("*.md") if p.name != "index.md"]
    assert len(pages) == 95
    assert len(list(site.rglob("index.md"))) == 1 + 1 + 4 + 6  # home, review, chapters, sections


def test_every_toc_anchor_resolves_to_exactly_one_generated_page(site: Path, manifest: list[dict]):
    from scripts.book.parse import parse_book
    from scripts.book.text import match_key

    pages_by_anchor: dict[str, list[str]] = {}
    for entry in manifest:
        pages_by_anchor.setdefault(match_key(entry["anchor"]), []).append(entry["path"])
    toc = parse_book(BOOK).toc
    assert len(toc) == 95
    for item in toc:
        paths = pages_by_anchor.get(match_key(item.target), [])
        assert len(paths) == 1, item
        assert (site / paths[0]).is_file()


def test_no_question_is_duplicated(manifest: list[dict]):
    titles = [e["title"] for e in manifest]
    urls = [e["url"] for e in manifest]
    slugs = [e["slug"] for e in manifest]
    assert len(set(titles)) == len(set(urls)) == len(set(slugs)) == 95


def test_manifest_fields(manifest: list[dict]):
    entry = next(e for e in manifest if e["slug"] == "aspect-ratio-bucketing-workflow")
    assert entry == entry | {
        "url": "sd15/aspect-ratio-bucketing-workflow/",
        "title": "介绍一下长宽比分桶训练策略（Aspect Ratio Bucketing）的具体流程",
        "number": 17,
        "chapter": "第二章 Stable Diffusion 1.5系列核心高频考点",
        "chapter_slug": "sd15",
        "section": "【一】Stable Diffusion 1.5基础高频考点",
        "section_slug": "basics",
        "anchor": "17.介绍一下长宽比分桶训练策略（AspectRatioBucketing）的具体流程",
        "source": "aigc-interview-book.md",
        "line": 585,
        "answered": True,
    }
    assert entry["title_en"] and entry["formulas"] == 1


def test_question_page_has_front_matter_and_title(site: Path):
    text = (site / "sd15" / "aspect-ratio-bucketing-workflow.md").read_text(encoding="utf-8")
    front, body = text.split("---\n", 2)[1:]
    meta = yaml.safe_load(front)
    assert meta["slug"] == "aspect-ratio-bucketing-workflow" and meta["line"] == 585 and meta["answered"] is True
    assert meta["section"] == "【一】Stable Diffusion 1.5基础高频考点" and meta["number"] == 17
    assert body.startswith("\n# 介绍一下长宽比分桶训练策略（Aspect Ratio Bucketing）的具体流程\n")


def test_unanswered_pages_carry_one_consistent_notice(site: Path, manifest: list[dict]):
    notices = set()
    for entry in manifest:
        text = (site / entry["path"]).read_text(encoding="utf-8")
        if not entry["answered"]:
            notices.add(text.split("\n# ", 1)[1].split("\n", 2)[2].split('\n<div class="qa-related"', 1)[0])  # each lists its own 相关题目
    assert len(notices) == 1
    assert "暂无参考答案" in notices.pop()


def test_chapter_and_section_indexes_list_questions_in_book_order(site: Path, manifest: list[dict]):
    text = (site / "sd15" / "basics" / "index.md").read_text(encoding="utf-8")
    expected = [e["slug"] for e in manifest if e["section_slug"] == "basics" and e["chapter_slug"] == "sd15"]
    positions = [text.index(f"(../{slug}.md)") for slug in expected]
    assert positions == sorted(positions) and len(expected) == 25
    assert text.count("qa-status--answered") == sum(e["answered"] for e in manifest if e["section_slug"] == "basics")
    chapter = (site / "sdxl" / "index.md").read_text(encoding="utf-8")
    assert "共 9 题，其中 3 题有参考答案。" in chapter
    assert all(f"({e['slug']}.md)" in chapter for e in manifest if e["chapter_slug"] == "sdxl")


def test_reruns_are_byte_identical(site: Path, tmp_path: Path, book_figures: Path):
    again = tmp_path / "again"
    assert split(BOOK, "--out", again, "--images", book_figures).returncode == 0
    assert tree(again) == tree(site)


def test_unchanged_output_is_not_rewritten(tmp_path: Path):
    out = tmp_path / "pages"
    assert split(BOOK, "--out", out).returncode == 0
    stamp = (out / "manifest.json").stat().st_mtime_ns
    result = split(BOOK, "--out", out)
    assert result.returncode == 0 and "unchanged" in result.stdout
    assert (out / "manifest.json").stat().st_mtime_ns == stamp


def test_a_failed_run_leaves_the_previous_output_untouched(tmp_path: Path):
    out = tmp_path / "pages"
    assert split(BOOK, "--out", out).returncode == 0
    before = tree(out)
    result = split(FIXTURES / "bad" / "unclosed-fence.md", "--out", out)
    assert result.returncode == 1
    assert tree(out) == before
    # no staging folder left behind: only the link, the one version it names, and the lock
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([".pages.lock", out.readlink().name, "pages"])


def test_no_stale_files_survive_a_rerun(tmp_path: Path):
    out = tmp_path / "pages"
    assert split(BOOK, "--out", out).returncode == 0
    assert split(FIXTURES / "books" / "no-toc.md", "--out", out).returncode == 0
    assert not (out / "sd15").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {p.relative_to(out).as_posix() for p in out.rglob("*.md")} == {"index.md", "review/index.md", *(e["path"] for e in manifest),
                                                                   f"{manifest[0]['chapter_slug']}/index.md"}


def test_refuses_to_replace_a_folder_it_did_not_write(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = split(BOOK, "--out", tmp_path)
    assert result.returncode == 2 and "refusing" in result.stderr
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_check_validates_without_writing(tmp_path: Path):
    out = tmp_path / "pages"
    result = split(BOOK, "--check", "--strict", "--out", out)
    assert result.returncode == 0, result.stderr
    assert not out.exists()
    assert "questions: 95 (1 exact duplicate(s) merged)" in result.stdout
    assert "answered:  40" in result.stdout and "sections:  6" in result.stdout


@pytest.mark.parametrize("fixture", sorted(p.name for p in (FIXTURES / "bad").glob("*.md")))
def test_malformed_books_exit_1_with_file_line_and_no_traceback(fixture: str, tmp_path: Path):
    path = FIXTURES / "bad" / fixture
    out = tmp_path / "pages"
    result = split(path, "--out", out)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith(f"{path}:")
    assert not out.exists()


@pytest.mark.parametrize("fixture", sorted(p.name for p in (FIXTURES / "slips").glob("*.md")))
def test_a_slip_is_a_warning_and_an_error_under_strict(fixture: str, tmp_path: Path):
    path = FIXTURES / "slips" / fixture
    expected = yaml.safe_load((FIXTURES / "slips" / "expected.yml").read_text(encoding="utf-8"))[fixture]
    out = tmp_path / "pages"
    lenient = split(path, "--out", out)
    assert lenient.returncode == 0, lenient.stderr
    warned = [line for line in lenient.stderr.splitlines() if ": warning: " in line]
    assert sorted(int(line.removeprefix(f"{path}:").split(":")[0]) for line in warned) == sorted(expected["warnings"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [e["slug"] for e in manifest] == [page[1] for page in expected["pages"]]
    strict = split(path, "--out", tmp_path / "strict", "--strict")
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert all(f"{path}:{line}: warning: " in strict.stderr for line in expected["warnings"])
    assert not (tmp_path / "strict").exists()


def test_toc_mismatch_is_a_warning_and_an_error_under_strict(tmp_path: Path):
    path = FIXTURES / "books" / "toc-mismatch.md"
    lenient = split(path, "--check")
    assert lenient.returncode == 0 and f"{path}:4: warning: TOC entry" in lenient.stderr
    strict = split(path, "--check", "--strict")
    assert strict.returncode == 1 and f"{path}:4: warning: TOC entry" in strict.stderr


def test_missing_registry_entry_is_an_error_under_strict(book_copy: Path):
    text = book_copy.read_text(encoding="utf-8").replace(">7.介绍一下什么是马尔可夫链<", ">7.请介绍一下什么是马尔可夫链<")
    book_copy.write_text(text, encoding="utf-8")
    assert split(book_copy, "--check").returncode == 0
    result = split(book_copy, "--check", "--strict")
    assert result.returncode == 1 and "Did you mean" in result.stderr


@pytest.mark.parametrize("args", [[], ["--out"], [str(BOOK)], ["missing-book.md", "--check"], [str(BOOK), "--check", "--bogus"]])
def test_usage_errors_exit_2(args: list[str], capsys):
    with pytest.raises(SystemExit) as raised:
        main(["split", *args])
    assert raised.value.code == 2


def test_several_books_share_one_site(tmp_path: Path):
    other = tmp_path / "other.md"
    other.write_text('## 第一章 附录\n\n<h3 id="1.附加题">1.附加题</h3>\n\n答案。\n', encoding="utf-8")
    out = tmp_path / "pages"
    result = split(BOOK, other, "--out", out)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest) == 96
    assert manifest[0]["source"] == "aigc-interview-book.md" and manifest[-1]["source"].endswith("/other.md")
    assert "books:     2" in result.stdout


def test_front_matter_survives_any_title(tmp_path: Path):
    title = 'Q: "引号"、反斜杠\\ 与 #井号 *星号* $x$ <think> [括号]'
    book = tmp_path / "odd.md"
    book.write_text(f'## 第一章 a\n\n<h3 id="1.odd">1.{title.replace("<", "&lt;")}</h3>\n\n答。\n', encoding="utf-8")
    out = tmp_path / "pages"
    assert split(book, "--out", out).returncode == 0
    (page,) = [p for p in out.rglob("*.md") if p.name != "index.md"]
    front = page.read_text(encoding="utf-8").split("---\n", 2)[1]
    assert yaml.safe_load(front)["title"] == title


def test_english_pages_sit_beside_the_chinese_ones(tmp_path: Path):
    out = tmp_path / "pages"
    assert split(BOOK, "--out", out, "--english").returncode == 0
    english = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.en.md"))
    assert len(english) == 1 + 1 + 4 + 6 + 95  # home, review, chapters, sections, questions
    page = (out / "sd15" / "aspect-ratio-bucketing-workflow.en.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(page.split("---\n", 2)[1])
    assert meta["title"] == meta["title"].strip() and meta["source_title"].startswith("介绍一下长宽比分桶") and meta["translation"] == "none"
    assert "The answer is in Chinese" in page and "AI绘画领域中的长宽比分桶训练策略" in page
