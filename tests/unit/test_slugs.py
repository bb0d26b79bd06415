"""Readable slugs from titles: what a reader sees in a shared link before the registry names a page."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scripts.book.identity import SLUG
from scripts.book.slugs import MAX_CHARS, MAX_WORDS, book_slug, readable_slug, slug_words, slugify, title_hash, unique_slug
from scripts.book.text import match_key


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        # Latin terms kept, lower-cased, never split inside (LoRA is not lo-ra)
        ("SDXL", "sdxl"),
        ("什么是LoRA？", "lora"),
        ("VAE为什么会导致图像变模糊？", "vae-hui-dao-zhi-tu-xiang-bian-mo-hu"),
        ("ControlNet和T2I-Adapter的区别", "controlnet-he-t2i-adapter-qu-bie"),
        ("Q_forward过程", "q-forward-guo-cheng"),
        # mixed Chinese and English, question words dropped
        ("介绍一下Stable Diffusion XL Turbo的原理", "stable-diffusion-xl-turbo-yuan-li"),
        ("Diffusion和GAN的区别有哪些？", "diffusion-he-gan-qu-bie"),
        ("扩散模型是如何引入控制条件的？", "kuo-san-mo-xing-yin-ru-kong-zhi-tiao-jian"),
        ("介绍一下什么是马尔可夫链", "ma-er-ke-fu-lian"),
        # punctuation and full-width characters
        ("ＳＤＸＬ（Ｒｅｆｉｎｅｒ）！", "sdxl-refiner"),
        ("VAE、GAN与Diffusion——“三大”生成模型", "vae-gan-yu-diffusion-san-da-sheng-cheng-mo-xing"),
        ("「Prompt」【权重】", "prompt-quan-zhong"),
        ("Lo\u200bRA\u200d微调", "lora-wei-tiao"),  # zero-width characters join, as in the registry's keys
        # numbers: a version stays one term, written as Hugging Face writes stable-diffusion-v1-5
        ("Stable Diffusion 1.5系列", "stable-diffusion-1-5-xi-lie"),
        ("SD 3.0和SD3.5", "sd-3-0-he-sd3-5"),
        ("Ｖ１．５", "v1-5"),
        ("timesteps=1000时", "timesteps-1000-shi"),
        ("DPM++ 2M Karras", "dpm-2m-karras"),
        # letters outside ASCII: accents off, Greek by name
        ("ε-prediction与v-prediction", "epsilon-prediction-yu-v-prediction"),
        ("Café 与 naïve", "cafe-yu-naive"),
        # polyphones read as the phrase, not the character alone, and as this field reads them
        ("重参数化", "chong-can-shu-hua"),
        ("局部重绘和长宽比", "ju-bu-chong-hui-he-chang-kuan-bi"),
        ("数据集", "shu-ju-ji"),
    ],
)
def test_slugify(title: str, slug: str):
    assert slugify(title) == slug
    assert SLUG.fullmatch(slug)


def test_a_title_of_question_words_alone_keeps_them():
    assert slugify("为什么？") == "wei-shen-me"
    assert slugify("是什么？有哪些？") == "shi-shen-me-you-na-xie"


@pytest.mark.parametrize("title", ["", "？！…", "🚀🔥", "  ", "こんにちは", "→ ∑ ×"])
def test_nothing_spellable_is_empty_and_the_kind_names_it(title: str):
    assert slugify(title) == ""
    assert readable_slug(title) == "question"
    assert readable_slug(title, "chapters") == "chapter" and readable_slug(title, "sections") == "section"


def test_long_titles_stop_at_a_word_boundary():
    title = "在Stable Diffusion 1.5的经典失败案例中，生成图像中的猫出现头部缺失的问题的本质原因及优化方案？"
    slug = slugify(title)
    assert slug == "zai-stable-diffusion-1-5-jing-dian-shi-bai"  # not …-an, half of 案例
    assert len(slug) <= MAX_CHARS and len(slug.split("-")) <= MAX_WORDS
    assert "-".join(slug_words(title)).startswith(slug + "-")  # whole words only
    english = "how the variational lower bound of a denoising diffusion probabilistic model is derived"
    assert slugify(english) == "how-the-variational-lower-bound-of-a-denoising"
    assert slugify("x" * 200) == "x" * MAX_CHARS  # one endless word: cut inside it, the only way
    assert slugify("a " * 50) == "-".join(["a"] * MAX_WORDS)


@pytest.mark.parametrize(
    ("title", "limit", "slug", "cut_inside"),
    [
        # the tenth syllable would be qing, half of 清洗
        ("扩散模型训练数据集的清洗方法与注意事项", MAX_WORDS, "kuo-san-mo-xing-xun-lian-shu-ju-ji", "kuo-san-mo-xing-xun-lian-shu-ju-ji-qing"),
        # 48 characters: jie would be half of 解决
        ("Stable Diffusion相比Diffusion主要解决的问题是什么？", MAX_WORDS, "stable-diffusion-xiang-bi-diffusion-zhu-yao",
         "stable-diffusion-xiang-bi-diffusion-zhu-yao-jie"),
        # a word of pypinyin's phrase table (重参数, read chong) stays whole too
        ("模型结构重参数化", 5, "mo-xing-jie-gou", "mo-xing-jie-gou-chong"),
    ],
)
def test_the_cap_stops_between_chinese_words_not_inside_one(title: str, limit: int, slug: str, cut_inside: str):
    assert slugify(title, max_words=limit) == slug
    assert "-".join(slug_words(title)).startswith(cut_inside)  # what a cut between syllables would give
    assert slug_words(title)[: slug.count("-") + 1] == slug.split("-")  # the same readings, only fewer


def test_a_first_chinese_word_longer_than_the_cap_keeps_its_first_syllables():
    assert slugify("扩散模型", max_words=1) == "kuo"
    assert slugify("重参数化", max_words=2) == "chong-can"


@given(st.text(max_size=300))
def test_any_title_gives_a_valid_slug_or_nothing(title: str):
    slug = slugify(title)
    assert slug == "" or SLUG.fullmatch(slug)
    assert len(slug) <= MAX_CHARS and len(slug.split("-")) <= MAX_WORDS
    assert SLUG.fullmatch(readable_slug(title))


def test_collision_suffix_only_on_collision_and_always_the_same():
    title = "介绍一下长宽比分桶训练策略（Aspect Ratio Bucketing）的具体流程"
    expected = hashlib.sha1(match_key(title).encode("utf-8")).hexdigest()[:4]
    assert title_hash(title) == expected
    assert unique_slug("bucketing", title, set()) == "bucketing"
    assert unique_slug("bucketing", title, {"other"}) == "bucketing"
    assert unique_slug("bucketing", title, {"bucketing"}) == f"bucketing-{expected}"
    # The suffix comes from the title's match key: the same for every spelling the registry treats alike.
    assert unique_slug("bucketing", title.replace("Aspect Ratio", "Aspect-Ratio"), {"bucketing"}) == f"bucketing-{expected}"
    assert unique_slug("bucketing", "另一个标题", {"bucketing"}) != f"bucketing-{expected}"


def test_a_taken_suffix_is_lengthened_never_repeated():
    title = "同名问题"
    taken = {"q", f"q-{title_hash(title, 4)}"}
    assert unique_slug("q", title, taken) == f"q-{title_hash(title, 6)}"
    everything = {"q", *(f"q-{title_hash(title, n)}" for n in range(4, 41, 2))}
    assert unique_slug("q", title, everything) == "q-2"


@pytest.mark.parametrize(
    ("path", "title", "slug"),
    [
        ("aigc-interview-book.md", "AIGC面试宝典", "aigc-interview-book"),
        ("books/LLM_Interview Book.md", "大模型面试宝典", "llm-interview-book"),
        ("面试宝典.md", "AIGC面试宝典", "aigc-mian-shi-bao-dian"),  # a Chinese file name: the title, romanised
        ("01.md", "大模型面试题", "da-mo-xing-mian-shi-ti"),  # digits alone do not read as a name
        ("a1.md", "多模态", "duo-mo-tai"),
        ("x.md", "", "x"),
        ("__.md", "？", "book"),
    ],
)
def test_book_slug(path: str, title: str, slug: str):
    assert book_slug(Path(path), title) == slug

