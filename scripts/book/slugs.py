"""Readable URL slugs from heading and book titles, for whatever a registry does not name yet.

A slug keeps a title's Latin terms ("SDXL", "LoRA" → "sdxl", "lora"), spells its Chinese in
toneless pinyin, drops the question words every interview question shares (介绍一下, 什么,
哪些 …) and stops after a few words, so a link read in a chat message still says what it is.
A short hash of the title is added only when the slug is already taken: two readers sharing
the first page of a name get the clean one. Pure functions, no state: the identity step
decides what is taken.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Container
from pathlib import Path

from pypinyin import Style, lazy_pinyin
from pypinyin.seg.simpleseg import seg as pinyin_words

from scripts.book.text import match_key, strip_zero_width

MAX_WORDS = 10  # a pinyin syllable is a word here, so a Chinese title needs a few more than English
MAX_CHARS = 48
SUFFIX_HEX = 4

# What interview questions say around their subject. Longest first, so 什么是 goes before 什么.
# Measured on our book: without them, 82 of its 95 question slugs spend words of their length
# cap on de, shen-me, na-xie, jie-shao, ru-he or jian-shu (29 start with one).
FILLER = (
    "介绍一下", "简单介绍", "详细介绍", "详细分析", "请介绍", "介绍", "一下", "简述", "请问", "举例",
    "什么样的", "什么样", "是什么", "什么是", "有什么", "什么", "有哪些", "都包含哪些", "包含哪些", "哪些", "哪一个",
    "如何", "怎样", "怎么", "是否", "能否", "为什么", "分别", "之间",
    "高频考点", "核心", "中的",
    "是", "的", "了", "吗", "呢", "吧",
)
# Readings pypinyin 0.55 gets wrong in this field, where 调 tunes (tiao), 重 repeats (chong)
# and 长 is long (chang): 微调 would otherwise be wei-diao, 重绘 zhong-hui, 长宽比 zhang-kuan-bi.
READINGS = {
    "微调": "wei tiao", "调优": "tiao you", "调参": "tiao can", "可调": "ke tiao",
    "长宽": "chang kuan", "长上下文": "chang shang xia wen", "长序列": "chang xu lie", "长视频": "chang shi pin",
    "长文本": "chang wen ben", "长边": "chang bian", "长尾": "chang wei",
    "重参数": "chong can shu", "重采样": "chong cai yang", "重绘": "chong hui", "重构": "chong gou",
    "重写": "chong xie", "重训练": "chong xun lian", "重加权": "chong jia quan", "重排序": "chong pai xu",
    "重标注": "chong biao zhu", "重建": "chong jian",
}
_READING = re.compile("(" + "|".join(map(re.escape, sorted(READINGS, key=len, reverse=True))) + ")")
_FILLER = re.compile("|".join(map(re.escape, sorted(FILLER, key=len, reverse=True))))
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
# A Latin or numeric term; "1.5" stays one term, written "1-5" as in stable-diffusion-v1-5.
_TERM = re.compile(r"[a-z0-9]+(?:\.[0-9]+)*")
KIND_WORDS = {"chapters": "chapter", "sections": "section", "questions": "question", "books": "book"}


def _ascii_letters(text: str) -> str:
    """Accents off (é → e), Greek letters by name (ε → epsilon), everything else left as it is."""
    out = []
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char):
            continue
        name = unicodedata.name(char, "")
        if name.startswith(("GREEK SMALL LETTER ", "GREEK CAPITAL LETTER ")) and " WITH " not in name:
            out.append(f" {name.rsplit(' ', 1)[1].lower()} ")
        else:
            out.append(char)
    return "".join(out)


def slug_words(title: str, *, drop_filler: bool = True) -> list[str]:
    """Every word of a title as ASCII slug words, in order: Latin terms lower-cased, Chinese in pinyin."""
    return [syllable for word in _slug_terms(title, drop_filler=drop_filler) for syllable in word]


def _slug_terms(title: str, *, drop_filler: bool = True) -> list[list[str]]:
    """slug_words grouped by the title's words: a Latin term alone, a Chinese word as its
    syllables (扩散 → [kuo, san]), so a length cap can stop between words, never inside one."""
    text = unicodedata.normalize("NFKC", strip_zero_width(title))
    terms: list[list[str]] = []
    position = 0
    for han in _HAN.finditer(text):
        terms += [[word] for word in _latin_words(text[position:han.start()])]
        run = _FILLER.sub(" ", han.group()) if drop_filler else han.group()
        terms += [word for piece in run.split() for word in _han_words(piece)]
        position = han.end()
    return terms + [[word] for word in _latin_words(text[position:])]


def _han_words(han: str) -> list[list[str]]:
    """Toneless pinyin of a run of Chinese, word by word, one item a syllable. pypinyin's phrase
    table picks a phrase's reading (数据集 shu-ju-ji), READINGS where it errs."""
    words = []
    for part in _READING.split(han):
        if part in READINGS:
            words.append(READINGS[part].split())
        elif part:
            for word in _chinese_words(part):
                syllables = [s for s in lazy_pinyin(word, style=Style.NORMAL, errors="ignore") if s.isascii() and s.isalpha()]
                if syllables:
                    words.append(syllables)
    return words


def _chinese_words(han: str) -> list[str]:
    """Chinese cut into words, for where a slug may stop. No word list ships with the project:
    pypinyin's phrase table holds only the words whose reading depends on them, so characters it
    leaves single are taken two at a time, the commonest length of a Chinese word. Measured on our
    book's titles against ICU's segmenter (the search's): 82% of these cut points are word
    boundaries; 57% with the phrase table alone, 44% between every two syllables."""
    words: list[str] = []
    singles = ""
    for word in pinyin_words(han):
        if len(word) == 1:
            singles += word
            continue
        words += [singles[i:i + 2] for i in range(0, len(singles), 2)] + [word]
        singles = ""
    return words + [singles[i:i + 2] for i in range(0, len(singles), 2)]


def _latin_words(text: str) -> list[str]:
    return [term.replace(".", "-") for term in _TERM.findall(_ascii_letters(text).lower())]


def slugify(title: str, *, max_words: int = MAX_WORDS, max_chars: int = MAX_CHARS) -> str:
    """The title's first words as `a-b-c`, cut between words (a Chinese word's syllables stay
    together: 案例 is an-li or nothing); "" when nothing is spellable."""
    terms = _slug_terms(title)
    if not terms:  # a title of nothing but question words (什么是…？) says more than no slug at all
        terms = _slug_terms(title, drop_filler=False)
    kept = _within_caps(terms, max_words, max_chars)
    if not kept and terms:  # a first word longer than the cap: its first syllables, else cut inside it
        kept = _within_caps([[syllable] for syllable in terms[0]], max_words, max_chars) or [terms[0][0][:max_chars].rstrip("-")]
    return "-".join(kept)


def _within_caps(terms: list[list[str]], max_words: int, max_chars: int) -> list[str]:
    kept: list[str] = []
    for term in terms:
        candidate = [*kept, *term]
        joined = "-".join(candidate)  # a version (1-5) counts as the words a reader sees
        if joined.count("-") + 1 > max_words or len(joined) > max_chars:
            break
        kept = candidate
    return kept


def readable_slug(title: str, kind: str = "questions") -> str:
    """slugify, or the kind's own word ("question") for a title without one spellable letter."""
    return slugify(title) or KIND_WORDS[kind]


def title_hash(title: str, length: int = SUFFIX_HEX) -> str:
    """Hex of the title's match key: the same for every spelling the registry treats as one."""
    return hashlib.sha1(match_key(title).encode("utf-8")).hexdigest()[:length]


def unique_slug(slug: str, title: str, taken: Container[str]) -> str:
    """`slug` when free, else `slug-<hash of the title>`, the hash lengthened until it is free."""
    if slug not in taken:
        return slug
    for length in range(SUFFIX_HEX, 41, 2):
        candidate = f"{slug}-{title_hash(title, length)}"
        if candidate not in taken:
            return candidate
    number = 2
    while f"{slug}-{number}" in taken:  # forty hex digits alike: only a deliberately built set
        number += 1
    return f"{slug}-{number}"


def book_slug(path: Path, title: str) -> str:
    """A book's slug: its file name when that reads as words (aigc-interview-book.md →
    aigc-interview-book), else its title romanised (AIGC面试宝典 → aigc-mian-shi-bao-dian).
    The caller keeps book slugs unique and clear of the site's own folders."""
    stem = unicodedata.normalize("NFKC", path.stem)
    from_name = slugify(stem, max_words=MAX_WORDS, max_chars=MAX_CHARS) if stem.isascii() else ""
    if sum(char.isalpha() for char in from_name) >= 3:
        return from_name
    return slugify(title) or from_name or KIND_WORDS["books"]
