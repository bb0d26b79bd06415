from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts.book.identity import check_chapter_slugs, fallback_slug, load_registry, registry_path_for
from scripts.book.model import BookError
from scripts.book.slugs import title_hash
from scripts.emit.urls import RESERVED_SLUGS

from ..conftest import BOOK, slugged


def test_registry_covers_every_question_of_our_book():
    book, report = slugged(BOOK)
    assert report.warnings == [] and report.errors == []
    assert [c.slug for c in book.chapters] == ["diffusion-basics", "sd15", "sdxl", "sd3"]
    slugs = [q.slug for q in book.questions]
    assert len(slugs) == len(set(slugs)) == 95
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) and len(s) <= 60 for s in slugs)


def test_registry_slugs_are_hand_written_not_fallbacks():
    book, _ = slugged(BOOK)
    registry = load_registry(registry_path_for(BOOK))
    assert [q.slug for q in book.questions] == [registry.lookup("questions", q.title).slug for q in book.questions]
    assert sum(q.slug == fallback_slug(q.title) for q in book.questions) == 1  # 什么是SDXL Refiner？ → sdxl-refiner, both ways
    bucketing = next(q for q in book.questions if q.number == 17 and q.chapter.slug == "sd15")
    assert bucketing.slug == "aspect-ratio-bucketing-workflow"


def test_renumbering_and_reordering_keep_every_url(book_copy: Path):
    before = {q.title: (q.chapter.slug, q.slug) for q in slugged(book_copy)[0].questions}
    text = book_copy.read_text(encoding="utf-8")
    text = text.replace(">17.介绍一下长宽比分桶训练策略", ">42.介绍一下长宽比分桶训练策略")
    first = '<h3 id="1.介绍一下Diffusion-Model的原理和本质">1.介绍一下Diffusion Model的原理和本质</h3>\n'
    second = '<h3 id="2.介绍一下Disco-Diffusion的原理">2.介绍一下Disco Diffusion的原理</h3>\n'
    text = text.replace(first, "@@").replace(second, first).replace("@@", second)
    book_copy.write_text(text, encoding="utf-8")
    book, report = slugged(book_copy)
    assert {q.title: (q.chapter.slug, q.slug) for q in book.questions} == before
    assert next(q for q in book.questions if q.slug == "aspect-ratio-bucketing-workflow").number == 42
    assert book.questions[0].title == "介绍一下Disco Diffusion的原理"
    assert report.warnings == []


def test_reworded_question_falls_back_and_points_at_the_old_key(book_copy: Path):
    text = book_copy.read_text(encoding="utf-8").replace(">7.介绍一下什么是马尔可夫链<", ">7.请介绍一下什么是马尔可夫链<")
    book_copy.write_text(text, encoding="utf-8")
    book, report = slugged(book_copy)
    (warning,) = report.warnings
    question = next(q for q in book.questions if q.title == "请介绍一下什么是马尔可夫链")
    assert question.slug == fallback_slug(question.title) == fallback_slug("请介绍一下什么是马尔可夫链")
    assert warning.location.line == question.location.line
    assert "Did you mean '介绍一下什么是马尔可夫链'" in warning.message
    assert re.search(r"registry\.yml:\d+, slug 'markov-chain", warning.message)
    assert "make propose" not in warning.message  # a new entry would move its URL; the key is what to change


def test_fallback_slug_is_readable_and_deterministic():
    assert fallback_slug("什么是LoRA？") == fallback_slug("什么是 LoRA?") == "lora"
    assert fallback_slug("为什么？") == "wei-shen-me"  # nothing but question words: they are the title
    assert fallback_slug("基础", "chapters") == "ji-chu"
    assert fallback_slug("？？？") == "question" and fallback_slug("？", "chapters") == "chapter"


@pytest.mark.parametrize(
    ("registry", "line", "message"),
    [
        ('questions:\n  "甲":\n    slug: Not_Kebab\n', 2, "needs a slug of lowercase ASCII words"),
        ('questions:\n  "甲":\n    slug: same\n  "乙":\n    slug: same\n', 4, "slug 'same' is already used at line 2"),
        ('questions:\n  "甲 ":\n    slug: a\n  "甲":\n    slug: b\n', 4, "is listed twice (first at line 2)"),
        ("pages:\n  x: 1\n", 1, "unknown group 'pages'"),
        ("questions: [\n", 2, "invalid YAML"),
        # Shapes that used to end in an AttributeError or TypeError traceback:
        ("questions:\n  ? [a, b]\n  : {slug: x}\n", 2, "must be a heading text, not a list or mapping"),
        ("questions:\n  a: {slug: x, formerly: [[old]]}\n", 2, "'formerly' must be a list of former slugs"),
        ("[a]: 1\n", 1, "unknown group '(a list or mapping)'"),
        ("questions:\n  a: {slug: {x: 1}}\n", 2, "'slug' must be a text"),
        ("questions:\n  a:\n    en: [x]\n", 3, "'en' must be a text"),
        ("questions:\n  a: {? [x]: 1}\n", 2, "a field name must be a word"),
        # Read errors: a short message, never PyYAML's dump of the offending lines.
        ("questions:\n  a: {slug: x\n", 3, "invalid YAML: while parsing a flow mapping, did not find expected ',' or '}'"),
        ("questions:\n  a: \x01\n", 2, "U+0001 is not allowed in a YAML file"),
        (b"questions:\n  a: \xff\n", 2, "not valid UTF-8 (byte 0xff at column 6); save the registry as UTF-8"),
    ],
)
def test_registry_errors_name_file_and_line(tmp_path: Path, registry, line, message):
    path = tmp_path / "book.registry.yml"
    path.write_bytes(registry if isinstance(registry, bytes) else registry.encode("utf-8"))
    with pytest.raises(BookError) as raised:
        load_registry(path)
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.location.path == path and diagnostic.location.line == line
    assert message in diagnostic.message
    assert "\n" not in diagnostic.message and "^" not in diagnostic.message


def test_chapter_slugs_stay_unique_across_books(book_copy: Path, tmp_path: Path):
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other = other_dir / book_copy.name
    other.write_bytes(book_copy.read_bytes())
    other.with_name(book_copy.stem + ".registry.yml").write_bytes(registry_path_for(book_copy).read_bytes())
    books = [slugged(book_copy)[0], slugged(other)[0]]
    diagnostics = []
    check_chapter_slugs(books, diagnostics)
    assert len(diagnostics) == 4
    assert diagnostics[0].location.path == other
    assert f"already used by {book_copy}:" in diagnostics[0].message


def test_chapter_slug_may_not_shadow_site_folders(tmp_path: Path):
    path = tmp_path / "b.md"
    path.write_text('## 第一章 资源\n\n<h3 id="1.q">1.q</h3>\n', encoding="utf-8")
    registry_path_for(path).write_text('chapters:\n  "资源":\n    slug: assets\n', encoding="utf-8")
    book, _ = slugged(path)
    diagnostics = []
    check_chapter_slugs([book], diagnostics, RESERVED_SLUGS)
    assert "assets" in RESERVED_SLUGS and "reserved" in diagnostics[0].message


def small_book(tmp_path: Path, markdown: str, registry: str | None = None) -> Path:
    path = tmp_path / "small.md"
    path.write_text(markdown, encoding="utf-8")
    if registry is not None:
        registry_path_for(path).write_text(registry, encoding="utf-8")
    return path


def questions(*titles: str) -> str:
    return "".join(f'<h3 id="{n}.{t}">{n}.{t}</h3>\n\n答。\n\n' for n, t in enumerate(titles, 1))


def test_our_book_without_its_registry_reads_in_every_url(tmp_path: Path):
    bare = tmp_path / BOOK.name
    bare.write_bytes(BOOK.read_bytes())
    book, report = slugged(bare)
    assert [d for d in report.diagnostics if d.severity == "error"] == []
    assert [c.slug for c in book.chapters] == ["diffusion-model-ji-chu-zhi-shi", "stable-diffusion-1-5-xi-lie",
                                               "stable-diffusion-xl", "stable-diffusion-3-xi-lie"]
    slugs = [q.slug for q in book.questions]
    assert len(set(slugs)) == len(slugs) == 95
    assert "ma-er-ke-fu-lian" in slugs and "pag-perturbed-attention-guidance" in slugs
    # The two bucketing questions share their first ten words: only the second gets a suffix.
    bucketing = [s for s in slugs if s.startswith("zhang-kuan-bi") or s.startswith("chang-kuan-bi")]
    assert bucketing == ["chang-kuan-bi-fen-tong-xun-lian-ce-lve-aspect", "chang-kuan-bi-fen-tong-xun-lian-ce-lve-aspect-" + title_hash(
        "介绍一下长宽比分桶训练策略（Aspect Ratio Bucketing）的具体流程")]
    assert [s for s in slugs if re.search(r"-[0-9a-f]{4}$", s)] == bucketing[1:]
    assert all(re.search(r"[a-z]{2}", s) for s in slugs)  # words, never a bare hash


def test_collision_suffix_only_on_the_second_of_two(tmp_path: Path):
    path = small_book(tmp_path, "## 第一章 基础\n\n" + questions("什么是LoRA？", "LoRA是什么", "什么是VAE？"))
    book, report = slugged(path)
    assert [q.slug for q in book.questions] == ["lora", f"lora-{title_hash('LoRA是什么')}", "vae"]
    assert len(report.warnings) == 4 and not [d for d in report.diagnostics if d.severity == "error"]
    assert all(w.message.endswith("(make propose adds it)") for w in report.warnings)
    again, _ = slugged(path)
    assert [q.slug for q in again.questions] == [q.slug for q in book.questions]


def test_fallbacks_keep_clear_of_registry_slugs(tmp_path: Path):
    registry = ('chapters:\n  "基础":\n    slug: ji-chu\nsections:\n  "入门":\n    slug: vae\n'
                'questions:\n  "旧问题，已删去":\n    slug: lora\n')
    path = small_book(tmp_path, "## 第一章 基础\n\n### 【一】入门\n\n" + questions("什么是LoRA？", "什么是VAE？", "index"), registry)
    book, report = slugged(path)
    assert [q.slug for q in book.questions] == [f"lora-{title_hash('什么是LoRA？')}", f"vae-{title_hash('什么是VAE？')}",
                                                f"index-{title_hash('index')}"]
    assert book.chapters[0].slug == "ji-chu" and book.chapters[0].sections[0].slug == "vae"
    assert not [d for d in report.diagnostics if d.severity == "error"]


def test_a_section_yields_to_a_question_of_its_chapter(tmp_path: Path):
    path = small_book(tmp_path, "## 第一章 基础\n\n### 【一】VAE\n\n" + questions("VAE", "GAN"))
    book, report = slugged(path)
    assert [q.slug for q in book.questions] == ["vae", "gan"]
    assert book.chapters[0].sections[0].slug == f"vae-{title_hash('VAE')}"
    assert not [d for d in report.diagnostics if d.severity == "error"]


def test_a_section_title_in_two_chapters_gets_one_slug(tmp_path: Path):
    path = small_book(tmp_path, "## 第一章 甲\n\n### 【一】基础\n\n" + questions("问一")
                      + "## 第二章 乙\n\n### 【一】基础\n\n" + questions("问二"))
    book, report = slugged(path)
    assert [s.slug for c in book.chapters for s in c.sections] == ["ji-chu", "ji-chu"]
    assert sum("'基础' has no slug" in d.message for d in report.warnings) == 1


def test_chapter_fallbacks_avoid_the_site_folders_and_may_repeat_across_books(tmp_path: Path):
    from scripts.pipeline import split_books

    path = small_book(tmp_path, "## 第一章 Assets\n\n" + questions("问一") + "## 第二章 About\n\n" + questions("问二"))
    other = tmp_path / "other" / "second.md"
    other.parent.mkdir()
    other.write_text("## 第一章 Assets\n\n" + questions("问三"), encoding="utf-8")
    alone = [c.slug for b in split_books([path]).books for c in b.chapters]
    assert alone == [f"assets-{title_hash('Assets')}", f"about-{title_hash('About')}"]
    assert not set(alone) & RESERVED_SLUGS
    # Side by side, each book has its own folder: the same chapter title gives the same slug.
    books = split_books([path, other]).books
    assert [[c.slug for c in b.chapters] for b in books] == [alone, [f"assets-{title_hash('Assets')}"]]
    assert books[0].slug != books[1].slug
