"""First-mention links: which terms name a question's subject, and where in a page a mention
may become a link (never in code, math, headings, links, captions or notices)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.book.model import Chapter, Location, Question
from scripts.emit.related import Mention, load_concept_groups, mention_plan, subject_terms
from scripts.render.crosslinks import link_first_mentions
from scripts.render.sanitize import sanitize

CFG = Mention(("Classifier-Free-Guidance", "CFG", "无分类器引导"), "../../sd15/sd-cfg-principles/")
ARB = Mention(("Aspect Ratio Bucketing",), "../aspect-ratio-bucketing-purpose/")
LINK = '<a class="qa-crosslink" href="../../sd15/sd-cfg-principles/">'


@pytest.mark.parametrize(("title", "terms"), [
    ("SD模型中的CFG(Classifier-Free-Guidance)的原理？", ("Classifier-Free-Guidance", "CFG")),
    ("长宽比分桶训练策略（Aspect Ratio Bucketing）有什么作用?", ("Aspect Ratio Bucketing",)),
    ("扩散U-Net中的免费午餐（FreeU）是什么？", ("FreeU",)),
    ("扩散模型有哪些常见的采样方式？（DDPM、DDIM、DPM++、lcm turbo等）", ()),  # examples, not a subject
    ("DDIM是怎样加速采样的(简述DDIM的原理)?", ()),
    ("介绍一下Stable Diffusion XL的VAE", ()),  # a term without parentheses is not named as the subject
    ("什么是(AB)？", ()),  # too short to be distinctive
])
def test_the_subject_of_a_title_is_its_latin_term_in_parentheses(title: str, terms: tuple[str, ...]):
    assert subject_terms(title) == terms


def test_a_subject_brings_its_synonyms_from_the_search():
    assert subject_terms("SD模型中的CFG(Classifier-Free-Guidance)的原理？", load_concept_groups())[:4] == (
        "Classifier-Free-Guidance", "CFG", "无分类器引导", "无分类器指导")


def test_only_the_first_mention_links():
    out = link_first_mentions("<p>CFG 很常用。</p><p>CFG 的系数。</p>", [CFG])
    assert out == f"<p>{LINK}CFG</a> 很常用。</p><p>CFG 的系数。</p>"


def test_case_and_separators_do_not_matter_but_whole_words_do():
    assert LINK + "classifier free guidance</a>" in link_first_mentions("<p>即 classifier free guidance。</p>", [CFG])
    assert link_first_mentions("<p>CFGs 与 XCFG 与 CFG2</p>", [CFG]) == "<p>CFGs 与 XCFG 与 CFG2</p>"
    assert LINK + "无分类器引导</a>" in link_first_mentions("<p>采用无分类器引导技术</p>", [CFG])


@pytest.mark.parametrize("inside", [
    "<p><code>CFG</code></p>",
    "<pre><code>cfg = 7.5  # CFG</code></pre>",
    '<div class="highlight"><pre><span>CFG</span></pre></div>',
    '<p><span class="arithmatex">\\(\\text{CFG}\\)</span></p>',
    '<div class="arithmatex">\\[\\text{CFG}\\]</div>',
    '<p><span class="katex"><span class="katex-html">CFG</span></span></p>',
    "<h2>CFG 的原理</h2>",
    "<h4>CFG</h4>",
    '<p><a href="https://example.org/">CFG</a></p>',
    "<figure><img alt=\"CFG\" src=\"x.png\"><figcaption>CFG 示意图</figcaption></figure>",
    '<div class="admonition note qa-notice"><p class="admonition-title">CFG</p><p>CFG</p></div>',
    '<div class="qa-related"><ul><li>CFG</li></ul></div>',
    "<details><summary>CFG</summary></details>",
    "<table><caption>CFG</caption><tr><td>x</td></tr></table>",
])
def test_a_mention_is_never_linked_inside_code_math_headings_links_or_captions(inside: str):
    assert link_first_mentions(inside, [CFG]) == inside


def test_the_first_mention_in_prose_links_even_after_excluded_ones():
    out = link_first_mentions("<h2>CFG</h2><p><code>CFG</code> 即 CFG。</p>", [CFG])
    assert out == f"<h2>CFG</h2><p><code>CFG</code> 即 {LINK}CFG</a>。</p>"


def test_a_page_with_nothing_to_link_comes_back_byte_for_byte():
    page = '<p>没有术语 <br />&para; &quot;x&quot;</p>'
    assert link_first_mentions(page, [CFG, ARB]) is page
    assert link_first_mentions(page, []) is page


def test_several_subjects_in_one_text_each_link_once_in_order():
    out = link_first_mentions("<p>Aspect Ratio Bucketing 与 CFG，再说 CFG 和 aspect ratio bucketing。</p>", [CFG, ARB])
    assert out.count("qa-crosslink") == 2
    assert out.index(ARB.href) < out.index(CFG.href)


def test_markup_in_the_text_stays_escaped():
    out = link_first_mentions("<p>a &lt;b&gt; CFG &amp; c</p>", [CFG])
    assert out == f"<p>a &lt;b&gt; {LINK}CFG</a> &amp; c</p>"


def _question(title: str, chapter: Chapter, slug: str) -> Question:
    question = Question(title=title, number=None, anchor=title, answer="答。", location=Location(Path("b.md"), 1),
                        answer_line=2, chapter=chapter, slug=slug)
    chapter.questions.append(question)
    return question


def test_mentions_lead_to_the_first_question_naming_the_subject_never_to_the_page_itself():
    basics = Chapter("基础", "", Location(Path("b.md"), 1), slug="basics")
    sd15 = Chapter("SD", "", Location(Path("b.md"), 2), slug="sd15")
    purpose = _question("长宽比分桶训练策略（Aspect Ratio Bucketing）有什么作用?", sd15, "arb-purpose")
    workflow = _question("介绍一下长宽比分桶训练策略（Aspect Ratio Bucketing）的具体流程", sd15, "arb-workflow")
    cfg = _question("SD模型中的CFG(Classifier-Free-Guidance)的原理？", sd15, "cfg")
    other = _question("cfg参数的介绍", basics, "cfg-scale")
    plan = mention_plan([purpose, workflow, cfg, other])
    assert plan[id(other)] == [Mention(("Aspect Ratio Bucketing",), "../../sd15/arb-purpose/"),
                               Mention(("Classifier-Free-Guidance", "CFG"), "../../sd15/cfg/")]
    assert plan[id(cfg)] == [Mention(("Aspect Ratio Bucketing",), "../arb-purpose/")]
    assert plan[id(purpose)] == plan[id(workflow)] == [Mention(("Classifier-Free-Guidance", "CFG"), "../cfg/")]


def test_the_sanitizer_keeps_the_related_block_and_the_links():
    block = ('<div class="qa-related"><h2 id="x">相关题目</h2><ul><li><a href="../y/">题</a> '
             '<span class="qa-related__chapter">SD 1.5</span> <span class="qa-status qa-status--open">待补充</span></li></ul></div>')
    assert sanitize(block).html == block
