"""`python -m scripts propose`: the registry entries new headings need, added without touching the rest."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.book.identity import load_registry, registry_path_for
from scripts.book.slugs import title_hash
from scripts.pipeline import split_books

from ..conftest import ROOT

REGISTRY = """\
# Hand-kept: every byte of this file must survive a propose --write.
chapters:
  "基础":
    slug: basics    # a trailing comment
    en: Basics

sections:
  "入门":
    slug: intro
    en: Getting started

questions:
  # --- 基础 / 入门 ---
  "什么是扩散模型？":
    slug: what-is-diffusion
    en: What is a diffusion model?

  "什么是VAE？": {slug: what-is-vae, en: What is a VAE?}

# Trailing notes stay last.
absent_figures: [never-drawn.png]
"""


def chapter(number: str, name: str, section: str | None, *titles: str) -> tuple[str, str]:
    """(TOC part, body part) of one chapter: `number` 一, 二 …, questions numbered from 1."""
    heading = f"## 第{number}章 {name}\n\n" + (f"### 【一】{section}\n\n" if section else "")
    toc = heading + "".join(f"- [{n}.{t}](#{n}.{t})\n" for n, t in enumerate(titles, 1)) + "\n"
    body = heading + "".join(f'<h3 id="{n}.{t}">{n}.{t}</h3>\n\n答{n}。\n\n' for n, t in enumerate(titles, 1))
    return toc, body


def write_book(path: Path, chapters: list[tuple[str, str]]) -> Path:
    path.write_text("# 目录\n\n" + "".join(t for t, _ in chapters) + "---\n\n" + "".join(b for _, b in chapters), encoding="utf-8")
    return path


def run(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scripts", *map(str, args)], cwd=ROOT, capture_output=True, text=True)


def only_inserted(before: bytes, after: bytes) -> list[str]:
    """The lines `after` adds to `before`; fails if anything of `before` changed or moved."""
    old, new = before.decode("utf-8").splitlines(keepends=True), after.decode("utf-8").splitlines(keepends=True)
    added = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        assert op in ("equal", "insert"), (op, old[i1:i2], new[j1:j2])
        added += new[j1:j2] if op == "insert" else []
    return added


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """Two chapters, the registry naming only the first chapter's first two questions and section."""
    path = write_book(tmp_path / "small.md", [
        chapter("一", "基础", "入门", "什么是扩散模型？", "什么是LoRA？", "什么是VAE？"),
        chapter("二", "进阶", None, "介绍一下SDXL的Refiner", "LoRA是什么"),
    ])
    registry_path_for(path).write_text(REGISTRY, encoding="utf-8")
    return path


def test_write_then_strict_split_passes_and_nothing_is_left_to_propose(book: Path):
    registry = registry_path_for(book)
    before = registry.read_bytes()
    urls_before = [(q.chapter.slug, q.slug) for q in split_books([book]).books[0].questions]
    assert run("split", "--check", "--strict", book).returncode == 1

    shown = run("propose", book)
    assert shown.returncode == 0 and registry.read_bytes() == before  # without --write, only a diff
    assert f"+++ {registry}" in shown.stdout and '+    slug: lora\n' in shown.stdout
    assert "add --write" in shown.stdout

    written = run("propose", "--write", book)
    assert written.returncode == 0, written.stderr
    assert f"{book}:" in written.stdout and "new question '什么是LoRA？' → lora" in written.stdout
    assert "make urls" in written.stdout
    added = only_inserted(before, registry.read_bytes())
    lora_again = f"lora-{title_hash('LoRA是什么')}"
    assert "".join(added) == (
        '\n  "进阶":\n    slug: jin-jie\n    en: ""\n'
        '  "什么是LoRA？":\n    slug: lora\n    en: ""\n\n'
        f'\n  "介绍一下SDXL的Refiner":\n    slug: sdxl-refiner\n    en: ""\n'
        f'\n  "LoRA是什么":\n    slug: {lora_again}\n    en: ""\n'
    )
    text = registry.read_text(encoding="utf-8")
    # Each where a reviewer looks for it: LoRA between the two questions around it in the book.
    assert text.index('"什么是扩散模型？"') < text.index('"什么是LoRA？"') < text.index('"什么是VAE？"')
    assert text.index('"LoRA是什么"') < text.index("# Trailing notes stay last.")

    check = run("split", "--check", "--strict", book)
    assert check.returncode == 0, check.stderr
    assert [(q.chapter.slug, q.slug) for q in split_books([book]).books[0].questions] == urls_before  # no URL moved
    assert load_registry(registry).lookup("questions", "LoRA是什么").en == ""

    after = registry.read_bytes()
    again = run("propose", "--write", book)
    assert again.returncode == 0 and f"{registry}: nothing to add" in again.stdout
    assert registry.read_bytes() == after and "make urls" not in again.stdout


def test_a_new_question_of_our_book_lands_beside_its_neighbour(book_copy: Path):
    text = book_copy.read_text(encoding="utf-8")
    toc_line = "- [13.Stable Diffusion 3.5的改进在哪里？](#13.Stable-Diffusion-3.5的改进在哪里?)\n"
    new_toc = toc_line + "- [14.什么是MMDiT？](#14.什么是MMDiT？)\n"
    body_anchor = '<h3 id="2.介绍一下Disco-Diffusion的原理">'
    assert text.count(toc_line) == 1 and text.count(body_anchor) == 1
    text = text.replace(toc_line, new_toc)
    text += '\n<h3 id="14.什么是MMDiT？">14.什么是MMDiT？</h3>\n\nMMDiT是SD3的主干。\n'
    book_copy.write_text(text, encoding="utf-8")
    registry = registry_path_for(book_copy)
    before = registry.read_bytes()

    result = run("propose", "--write", book_copy)
    assert result.returncode == 0, result.stderr
    assert sorted(only_inserted(before, registry.read_bytes())) == sorted(["\n", '  "什么是MMDiT？":\n', "    slug: mmdit\n", '    en: ""\n'])
    # Right after the question before it, above the comment that opens the next group.
    assert ('en: What improvements does Stable Diffusion 3.5 bring?\n\n  "什么是MMDiT？":\n    slug: mmdit\n    en: ""\n\n'
            "# Figures the book links") in registry.read_text(encoding="utf-8")
    check = run("split", "--check", "--strict", book_copy)
    assert check.returncode == 0, check.stderr


def test_a_book_without_a_registry_gets_one(tmp_path: Path):
    path = write_book(tmp_path / "new-book.md", [chapter("一", "多模态大模型", "基础知识", "什么是CLIP？", "ViT的结构")])
    result = run("propose", "--write", path)
    assert result.returncode == 0, result.stderr
    registry = load_registry(registry_path_for(path))
    assert registry.lookup("chapters", "多模态大模型").slug == "duo-mo-tai-da-mo-xing"
    assert registry.lookup("sections", "基础知识").slug == "ji-chu-zhi-shi"
    assert [registry.lookup("questions", t).slug for t in ("什么是CLIP？", "ViT的结构")] == ["clip", "vit-jie-gou"]
    assert registry_path_for(path).read_text(encoding="utf-8").startswith("# Stable-identity registry for new-book.md")
    assert run("split", "--check", "--strict", path).returncode == 0


def test_crlf_and_bom_survive(book: Path):
    registry = registry_path_for(book)
    original = b"\xef\xbb\xbf" + REGISTRY.replace("\n", "\r\n").encode("utf-8")
    registry.write_bytes(original)
    assert run("propose", "--write", book).returncode == 0
    after = registry.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and b"\n" not in after.replace(b"\r\n", b"")
    only_inserted(original, after)
    assert run("split", "--check", "--strict", book).returncode == 0


def test_a_reworded_question_is_left_to_a_hand_edit(book: Path):
    text = book.read_text(encoding="utf-8").replace("什么是扩散模型？", "请问什么是扩散模型？")
    book.write_text(text, encoding="utf-8")
    registry = registry_path_for(book)
    result = run("propose", "--write", book)
    assert result.returncode == 1
    assert "'请问什么是扩散模型？' looks like '什么是扩散模型？' reworded" in result.stderr
    assert f"({registry.name}:14, slug 'what-is-diffusion')" in result.stderr
    assert '"请问什么是扩散模型？"' not in registry.read_text(encoding="utf-8")  # the others are added
    assert "slug: lora" in registry.read_text(encoding="utf-8")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("registry", "expected"),
    [
        ("questions:\n  a: {slug: x\n", ":3: error: invalid YAML"),
        ("questions:\n  a:\n    slug: Not_A_Slug\n", ":2: error: 'a' needs a slug of lowercase ASCII words"),
        ('questions: {"什么是扩散模型？": {slug: what-is-diffusion}}\n', ":1: error: 'questions' is written inline"),
    ],
)
def test_a_malformed_registry_is_named_and_left_alone(book: Path, registry: str, expected: str):
    path = registry_path_for(book)
    path.write_text(registry, encoding="utf-8")
    result = run("propose", "--write", book)
    assert result.returncode == 1
    assert f"{path}{expected}" in result.stderr
    assert "Traceback" not in result.stderr and path.read_text(encoding="utf-8") == registry


def test_an_unwritable_registry_is_named_and_left_alone(book: Path):
    path = registry_path_for(book)
    before = path.read_bytes()
    (path.parent / f".{path.name}.proposed").mkdir()  # where the new text would be written first
    result = run("propose", "--write", book)
    assert result.returncode == 1
    assert f"{path}:0: error: cannot write the registry: Is a directory" in result.stderr
    assert "Traceback" not in result.stderr and path.read_bytes() == before


def test_an_unreadable_registry_is_named(book: Path):
    path = registry_path_for(book)
    path.unlink()
    path.mkdir()
    result = run("propose", book)
    assert result.returncode == 1 and f"{path}:0: error: cannot read the registry" in result.stderr
    assert "Traceback" not in result.stderr


def test_one_bad_registry_and_no_registry_is_written(book: Path, tmp_path: Path):
    other = tmp_path / "other" / "small.md"
    other.parent.mkdir()
    shutil.copy(book, other)
    registry_path_for(other).write_text("questions: [\n", encoding="utf-8")
    before = registry_path_for(book).read_bytes()
    result = run("propose", "--write", book, other)
    assert result.returncode == 1 and f"{registry_path_for(other)}:2: error: invalid YAML" in result.stderr
    assert registry_path_for(book).read_bytes() == before


def test_a_missing_book_is_a_usage_error(tmp_path: Path):
    result = run("propose", tmp_path / "nope.md")
    assert result.returncode == 2 and "no such file" in result.stderr


def test_an_inline_group_without_new_entries_is_no_obstacle(book: Path):
    path = registry_path_for(book)
    inline_chapters = REGISTRY.replace('chapters:\n  "基础":\n    slug: basics    # a trailing comment\n    en: Basics\n',
                                       'chapters: {"基础": {slug: basics}, "进阶": {slug: advanced}}\n')
    path.write_text(inline_chapters, encoding="utf-8")
    result = run("propose", "--write", book)
    assert result.returncode == 0, result.stderr
    assert only_inserted(inline_chapters.encode("utf-8"), path.read_bytes())
    assert run("split", "--check", "--strict", book).returncode == 0
