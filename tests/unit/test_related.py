"""Related questions (相关题目): what the pairs file expects is found, and the exact properties
of every list: 3–5 links, never the page itself, the same every build, small books and
unanswered questions handled."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.book.model import Book, Chapter, Location, Question
from scripts.dev.bench_related import hits, load_pairs
from scripts.emit.related import FEWEST, MOST, Document, relate
from scripts.emit.words import segment_words
from scripts.pipeline import related_questions, split_books

from ..conftest import BOOK

# Measured: 30 of 30 pairs (1.00) with `python -m scripts bench related`; the floor leaves room
# for a book edit to move a pair or two, not for the method to lose a family.
FLOOR = 0.85


@pytest.fixture(scope="module")
def ours():
    return split_books([BOOK], home=None)


def slugs_of(result, related) -> dict[str, list[str]]:
    return {q.slug: [other.slug for other in related[id(q)]] for book in result.books for q in book.questions}


def test_the_pairs_a_reader_should_be_offered_are_found(ours):
    questions = [q for book in ours.books for q in book.questions]
    related = [[questions.index(other) for other in ours.related[id(q)]] for q in questions]
    found = hits(related, [q.slug for q in questions], load_pairs())
    assert len(found) >= 15
    assert sum(found) / len(found) >= FLOOR


def test_every_question_links_three_to_five_others_never_itself(ours):
    lists = slugs_of(ours, ours.related)
    assert len(lists) == 95
    for slug, related in lists.items():
        assert FEWEST <= len(related) <= MOST, slug
        assert slug not in related and len(set(related)) == len(related), slug


def test_the_same_book_gives_the_same_links_every_build(ours):
    again = split_books([BOOK])
    assert slugs_of(again, again.related) == slugs_of(ours, ours.related)
    assert slugs_of(ours, related_questions(ours.books)) == slugs_of(ours, ours.related)


def test_every_question_page_ends_with_its_related_questions(ours):
    for entry in ours.site.manifest:
        page = ours.site.files[entry.path]
        block = page.split('<div class="qa-related" markdown>', 1)[1]
        assert block.count("](") == len(ours.related[next(id(q) for b in ours.books for q in b.questions if q.slug == entry.slug)])
        assert "## 相关题目" in block and 'class="qa-related__chapter"' in block and "qa-status" in block


def test_english_pages_list_the_registry_titles_and_english_pages():
    result = split_books([BOOK], home={"zh": _home("题库"), "en": _home("Questions")})
    page = result.site.files["sd15/sd-cfg-principles.en.md"]
    block = page.split('<div class="qa-related" markdown>', 1)[1]
    assert "## Related questions" in block
    assert "[What is the difference between Classifier-Free Guidance and Classifier Guidance?](../diffusion-basics/cfg-vs-classifier-guidance.en.md)" in block
    assert "Diffusion Model Fundamentals" in block and "有答案" not in block


def _home(title):
    from scripts.emit.pages import HomeText

    return HomeText(title)


# ---------- small books, made here ----------

def book(*chapters: tuple[str, list[tuple[str, str]]]) -> Book:
    """A slugged book: chapters of (slug, [(title, answer), …])."""
    made = []
    for number, (slug, items) in enumerate(chapters, 1):
        chapter = Chapter(title=slug, prefix="", location=Location(Path("b.md"), number), slug=slug, number=number)
        for place, (title, answer) in enumerate(items):
            chapter.questions.append(Question(title=title, number=None, anchor=title, answer=answer,
                                              location=Location(Path("b.md"), 100 * number + place), answer_line=0,
                                              chapter=chapter, slug=f"{slug}-{place}"))
        made.append(chapter)
    return Book(path=Path("b.md"), title="b", chapters=made, toc=[], has_toc=False)


def related_slugs(made: Book) -> dict[str, list[str]]:
    related = related_questions([made])
    return {q.slug: [o.slug for o in related[id(q)]] for q in made.questions}


FILLER = [("介绍一下马尔可夫链", "马尔可夫链是随机过程。"), ("GAN的判别器是什么", "判别器区分真假图像。"),
          ("什么是余弦调度", "余弦调度让噪声平滑增加。"), ("如何评价FID指标", "FID衡量分布距离。")]


def test_a_chapter_of_one_question_still_gets_links_from_other_chapters():
    made = book(("one", [("LoRA微调的原理是什么", "LoRA 在权重旁加低秩矩阵。")]),
                ("many", [("LoRA训练有哪些技巧", "LoRA 的秩和学习率要调。"), *FILLER]))
    lists = related_slugs(made)
    assert FEWEST <= len(lists["one-0"]) <= MOST
    assert lists["one-0"][0] == "many-0"


@pytest.mark.parametrize("size", [1, 2, 3])
def test_a_book_of_fewer_than_four_questions_links_every_other_question(size: int):
    made = book(("only", FILLER[:size]))
    for slug, related in related_slugs(made).items():
        assert sorted(related) == sorted(q.slug for q in made.questions if q.slug != slug)


def test_an_unanswered_question_is_matched_by_its_title():
    made = book(("c", [*FILLER[:2], ("SDXL Refiner的作用", ""), ("介绍一下SDXL的VAE", "SDXL 重新训练了 VAE。"),
                       *FILLER[2:], ("Refiner模型如何工作", "")]))
    lists = related_slugs(made)
    assert set(lists["c-2"][:2]) == {"c-6", "c-3"}  # the other Refiner question and the other SDXL one
    assert lists["c-6"][0] == "c-2"  # two unanswered questions find each other by their titles alone


def _scores(documents: list[Document]) -> list[list[int]]:
    return relate(documents, segment_words).related


def test_words_most_questions_share_do_not_decide():
    common = "Stable Diffusion模型"
    documents = [Document(f"{common}的VAE有什么作用"), Document(f"{common}的训练技巧"), Document(f"{common}的采样器"),
                 Document(f"{common}里VAE的结构"), Document(f"{common}的推理速度"), Document(f"{common}的数据清洗")]
    assert _scores(documents)[0][0] == 3


def test_title_words_weigh_more_than_answer_words():
    documents = [Document("什么是Refiner", "用来细化图像。"), Document("马尔可夫链", "和 Refiner 无关的随机过程。"),
                 Document("Refiner的训练", "在高分辨率上训练。"), Document("余弦调度", "噪声平滑增加。")]
    assert _scores(documents)[0][:2] == [2, 1]


def test_latin_terms_are_case_folded():
    documents = [Document("sdxl有什么改进"), Document("马尔可夫链"), Document("余弦调度"), Document("SDXL的训练方法")]
    assert _scores(documents)[0][0] == 3


def test_english_titles_add_signal_where_the_chinese_ones_share_nothing():
    documents = [Document("甲方法是什么", title_en="What is model merging?"), Document("马尔可夫链", title_en="Markov chains"),
                 Document("余弦调度", title_en="Cosine schedules"), Document("乙技巧有哪些", title_en="Tips for merging models")]
    assert _scores(documents)[0][0] == 3


def test_equal_scores_are_broken_by_book_order():
    documents = [Document("同样的题目")] * 7
    related = _scores(documents)
    assert related[0] == [1, 2, 3, 4, 5]
    assert related[3] == [2, 4, 1, 5, 0]  # nearest in the book first, the earlier one of two equally near


def test_the_links_do_not_depend_on_the_interpreters_hash_seed():
    import os
    import subprocess
    import sys

    from ..conftest import ROOT

    script = ("from pathlib import Path; from scripts.pipeline import split_books; r = split_books([Path('aigc-interview-book.md')]);"
              "print([[o.slug for o in r.related[id(q)]] for q in r.books[0].questions])")
    runs = {subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed},
                           capture_output=True, text=True, check=True).stdout for seed in ("1", "2")}
    assert len(runs) == 1


def test_on_a_site_of_several_books_each_book_relates_its_own_questions_and_links_its_own_mentions(tmp_path: Path):
    second = tmp_path / "second-book.md"
    second.write_text(BOOK.read_text(encoding="utf-8"), encoding="utf-8")
    result = split_books([BOOK, second], home=None)
    first, other = result.books
    for book in result.books:
        own = {id(q) for q in book.questions}
        assert all(id(r) in own for q in book.questions for r in result.related[id(q)])
    # A second book is compared with itself only: its lists are what it gets alone.
    alone = split_books([second], home=None)
    assert [[r.slug for r in result.related[id(q)]] for q in other.questions] == \
           [[r.slug for r in alone.related[id(q)]] for q in alone.books[0].questions]
    assert len(result.mentions) == len(first.questions) + len(other.questions)
    assert any(result.mentions.values())


def test_the_books_of_a_site_are_segmented_in_one_go_and_related_within_each():
    calls = []

    def counting(texts):
        calls.append(len(texts))
        return segment_words(texts)

    first = book(("a", [("LoRA训练有哪些技巧", "LoRA 的秩和学习率要调。"), *FILLER]))
    second = book(("b", [("LoRA微调的原理是什么", "LoRA 在权重旁加低秩矩阵。"), *FILLER]))
    related = related_questions([first, second], counting)
    assert len(calls) == 1  # one Node process for the site, not one a book
    for made in (first, second):
        assert related[id(made.questions[0])] and all(other in made.questions for q in made.questions for other in related[id(q)])
    assert related_questions([first], segment_words)[id(first.questions[0])] == related[id(first.questions[0])]
