"""The normalise step, construct by construct: what GitHub shows must be what Python-Markdown shows."""

from __future__ import annotations

import dataclasses

import pytest

from scripts.book import normalise
from scripts.book.normalise import NormalisedAnswer, normalise_answer

from ..conftest import BOOK, FIXTURES

FIXTURES = FIXTURES / "normalise"


def md(text: str, **options) -> str:
    return normalise_answer(text, **options).markdown


# --- The result ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n", "  \n\n\t\n"])
def test_an_empty_answer_is_empty(text):
    assert normalise_answer(text) == NormalisedAnswer("", (), (), 0, ())


def test_output_ends_with_exactly_one_newline():
    assert md("段落\n\n\n") == "段落\n"
    assert md("```\ncode\n```") == "```\ncode\n```\n"


def test_the_result_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        normalise_answer("x").markdown = "y"


def test_the_reader_is_built_once_not_per_answer(monkeypatch):
    def no_new_reader(*args, **kwargs):
        raise AssertionError("normalise_answer built a new MarkdownIt")

    monkeypatch.setattr(normalise, "MarkdownIt", no_new_reader)
    assert md("- a\n- b") == "- a\n- b\n"


def test_output_is_deterministic():
    text = (FIXTURES / "images.md").read_text(encoding="utf-8")
    assert normalise_answer(text) == normalise_answer(text)


# --- One fixture per construct (tests/fixtures/normalise) --------------------------------------

# What each fixture must come out with: snippets of the output (None: the text unchanged), and
# the formulas and exceptions it reports.
FIXTURE_EXPECTATIONS = {
    "adjacent_lists": (["二项\n\n<!-- -->\n\n- 第二组", "列表\n\n<!-- -->\n\n2. 另一个", "引用一\n\n<!-- -->\n\n> 引用二"], 0, ()),
    "bare_urls": (
        [
            "论文链接：<https://arxiv.org/pdf/2010.02502.pdf>\n",
            "项目主页（<https://ku-cvlab.github.io/Perturbed-Attention-Guidance/>），代码见[www.github.com/foo](http://www.github.com/foo)。",
            "(<https://en.wikipedia.org/wiki/Diffusion_(physics)>) 有介绍，也可以看 <http://example.com/a?b=1>.",
            "[[2309.11497\\] FreeU: Free Lunch in Diffusion U-Net](https://arxiv.org/abs/2309.11497)",
            "`https://example.com/code` 和 <https://example.com/auto>。",
            "```\nhttps://example.com/in-a-fence\n```",
        ],
        0,
        (),
    ),
    "blockquote": (["> 可以跨行书写，\n> 继续懒惰续行。\n>\n> - 引用里的列表", "<!-- -->\n\n> 第二个引用块"], 0, ()),
    "display_math_in_list": (
        ["公式为：\n\n    $$\n    W_{", "    $$\n\n    其中", "预测：\n\n    $$\n    \\hat", "    $$\n\n    通过增大"],
        4,
        (),
    ),
    "display_math_one_line": (["匹配：\n\n$$\n\\text{image-bucket}", "为\\(\\epsilon = ", "\\epsilon_u)\\)其中 $s$"], 3, ()),
    "empty_list_item": (["约20-30%\n\nSDXL Refiner"], 0, ("empty-list-item", "empty-list-item")),
    "fenced_code": (["```python\nbuckets", "````\n当宽度", "- <!-- -->\n\n    ```python\n    x = 1\n    ```"], 0, ()),
    "hard_breaks": (["**改进策略**  \nFreeU", "因子：  \n主干"], 0, ()),
    "heading_levels": (["## 1. 三个", "### 1.1 CLIP", "## 2. 总结"], 0, ()),
    "html_blocks": (
        ['<div align="center" markdown="1">', '<details markdown="1">', '<img src="../imgs/a.png">\n<img src="../imgs/b.png">\n图注'],
        0,
        (),
    ),
    "images": (["![](../imgs/a%20b.png)", 'width="50%"', "![远程图片](https://example.com/remote.png)"], 0, ("image-path-with-spaces",)),
    "indented_prose": (["\n\nU-Net 具有编码器部分", "\n\nStable Diffusion的U-Net", "```\nfor t in"], 0, ("indented-prose",)),
    "inline_math": (None, 4, ()),
    "inline_verbatim": (None, 0, ()),
    "list_after_paragraph": (["处理：\n\n1. **U-Net", "例如：\n\n- **ResBlock**"], 0, ()),
    "nested_lists": (["\n    - **ResBlock**", "较小:\n    - <p>对美学", "</p><p>（胜率是", "<p>![胜率图](../imgs/sd3%E5%AE%9E%E9%AA%8C.png)</p>"], 0, ()),
    "ordered_list_start": (["\n\n其中γ是CG比例。\n\n5. **优势**：\n    - 能够"], 1, ()),
    "pseudo_list_markers": (None, 0, ()),
    "pseudo_tags": (["&lt;think&gt; 标签包裹", "换行用<br>，上标用<sup>2</sup>", "<details>\n<summary>展开</summary>"], 0, ("pseudo-tag",) * 4),
    "python_markdown_block_syntax": (["\\#标签", "\n2\\. 第二行", "\n\\!!! note", "\n\\[定义]:", "## C\\#"], 0, ()),
    "reference_links": (["![示意图](../imgs/SD3Turbo.jpg)", '[REPORT]: https://arxiv.org/abs/2403.03206 "SD3"'], 0, ()),
    "tables": (["| **算法** | 适用场景 | 优势 |\n| --- | :---: | ---: |", "简单融合 \\| 资源有限", "\n    | 模型 | 参数量 |"], 0, ()),
    "task_list": (None, 0, ()),
    "thematic_break": (["内容。\n\n***\n\n第二", "- 列表项\n\n    ***"], 0, ()),
    "tight_and_loose_lists": (["优势\n    - 嵌套的紧凑项\n- 两种", "编码器。\n\n2. **任务"], 0, ()),
}


def test_every_fixture_has_expectations():
    assert set(FIXTURE_EXPECTATIONS) == {path.stem for path in FIXTURES.glob("*.md")}


@pytest.mark.parametrize("name", sorted(FIXTURE_EXPECTATIONS))
def test_fixture_comes_out_as_expected(name):
    snippets, formulas, exceptions = FIXTURE_EXPECTATIONS[name]
    text = (FIXTURES / f"{name}.md").read_text(encoding="utf-8")
    result = normalise_answer(text, image_exists=lambda path: "missing" not in path)
    if snippets is None:
        assert result.markdown == text.strip() + "\n"
    for snippet in snippets or ():
        assert snippet in result.markdown
    assert (result.formulas, result.exceptions) == (formulas, exceptions)


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.md")), ids=lambda path: path.stem)
def test_normalising_twice_changes_nothing(fixture):
    exists = lambda path: "missing" not in path  # noqa: E731
    once = normalise_answer(fixture.read_text(encoding="utf-8"), image_prefix="", image_exists=exists)
    twice = normalise_answer(once.markdown, image_prefix="", image_exists=exists)
    assert twice.markdown == once.markdown


# --- 1. Lists right after a paragraph ---------------------------------------------------------


def test_a_list_right_after_a_paragraph_gets_a_blank_line():
    assert md("核心创新在于：\n1. **结构解构**\n2. **独立融合**") == "核心创新在于：\n\n1. **结构解构**\n2. **独立融合**\n"
    assert md("例如：\n- ResBlock\n- Transformer") == "例如：\n\n- ResBlock\n- Transformer\n"


def test_every_block_is_separated_by_a_blank_line():
    text = "段落\n# 标题\n```\ncode\n```\n> 引用\n***\n| a |\n| - |\n| 1 |"
    assert md(text) == "段落\n\n## 标题\n\n```\ncode\n```\n\n> 引用\n\n***\n\n| a |\n| --- |\n| 1 |\n"


# --- 2. Nested lists --------------------------------------------------------------------------


def test_nested_lists_are_indented_four_spaces_per_level():
    assert md("- a\n  - b\n    - c") == "- a\n    - b\n        - c\n"
    assert md("1. a\n   - b\n2. c") == "1. a\n    - b\n2. c\n"


def test_every_block_in_a_list_item_is_indented_to_its_content():
    text = "1. **结构**  \n   U-Net包含：\n   - ResBlock\n\n   ```\n   code\n   ```\n2. 下一项"
    assert md(text) == (
        "1. **结构**  \n    U-Net包含：\n\n    - ResBlock\n\n    ```\n    code\n    ```\n\n2. 下一项\n"
    )


def test_a_list_item_that_starts_with_a_block_python_markdown_misreads_gets_a_comment_first():
    assert md("- ```\n  code\n  ```\n- b") == "- <!-- -->\n\n    ```\n    code\n    ```\n\n- b\n"
    assert md("- > 引用\n- b") == "- <!-- -->\n\n    > 引用\n\n- b\n"


# --- 3. Display math inside list items --------------------------------------------------------


def test_display_math_inside_a_list_item_with_blank_lines_around():
    text = "2. **分块独立融合**  \n   公式为：\n    \n   $$\n   W = \\alpha W_A\n   $$\n   \n   其中 $i$ 是模块。"
    assert md(text) == "2. **分块独立融合**  \n    公式为：\n\n    $$\n    W = \\alpha W_A\n    $$\n\n    其中 $i$ 是模块。\n"


def test_display_math_interrupting_a_paragraph_inside_a_list_item():
    text = "- **原理**：调整两者的去噪预测：\n  $$\n  \\hat{\\epsilon}=(1+s)\\epsilon\n  $$\n  通过增大 s 权衡。\n\n- **优势**：无需分类器。"
    assert md(text) == (
        "- **原理**：调整两者的去噪预测：\n\n    $$\n    \\hat{\\epsilon}=(1+s)\\epsilon\n    $$\n\n"
        "    通过增大 s 权衡。\n\n- **优势**：无需分类器。\n"
    )


def test_the_reader_lets_display_math_interrupt_a_paragraph_like_github():
    tokens = normalise.GITHUB.parse("公式：\n$$\nx^2\n$$\n- 列表项里\n  $$\n  y\n  $$")
    assert [token.type for token in tokens if token.nesting >= 0 and token.type != "inline"] == [
        "paragraph_open", "math_block", "bullet_list_open", "list_item_open", "paragraph_open", "math_block",
    ]  # fmt: skip


def test_display_math_interrupts_a_paragraph():
    assert md("公式：\n$$\nx^2\n$$\n之后") == "公式：\n\n$$\nx^2\n$$\n\n之后\n"


def test_display_math_at_the_margin_ends_the_list():
    assert md("3. **公式**：\n\n$$\nx\n$$\n\n   其中γ是比例。") == "3. **公式**：\n\n$$\nx\n$$\n\n其中γ是比例。\n"


def test_an_empty_display_formula_shows_nothing():
    result = normalise_answer("段落\n\n$$\n$$")
    assert (result.markdown, result.formulas) == ("段落\n", 0)


def test_an_unclosed_double_dollar_stays_text():
    assert md("价格 $$ 未闭合\n下一行") == "价格 $$ 未闭合\n下一行\n"


# --- 4. Ordered lists keep their start --------------------------------------------------------


def test_an_ordered_list_keeps_its_start_number():
    assert md("5. **优势**：\n6. **应用示例**：") == "5. **优势**：\n6. **应用示例**：\n"


def test_an_ordered_list_resuming_after_display_math_keeps_its_start():
    assert md("3. 公式：\n\n$$\nx\n$$\n\n5. **优势**") == "3. 公式：\n\n$$\nx\n$$\n\n5. **优势**\n"


def test_ordered_items_are_numbered_in_sequence_with_dots():
    assert md("1) a\n1) b\n1) c") == "1. a\n2. b\n3. c\n"


# --- 5. One-line and glued display math -------------------------------------------------------


def test_one_line_display_math_is_written_on_its_own_lines():
    text = "$$ \\text{image-bucket} = argmin(abs(\\text{bucket-aspects} — \\text{image-aspect})) $$"
    result = normalise_answer(text)
    assert result.markdown == (
        "$$\n\\text{image-bucket} = argmin(abs(\\text{bucket-aspects} — \\text{image-aspect}))\n$$\n"
    )
    assert result.formulas == 1


def test_double_dollars_inside_a_line_stay_an_inline_formula_as_on_github():
    result = normalise_answer("噪声为$$\\epsilon_u + s$$其中 $s$ 是系数。")
    assert result.markdown == "噪声为\\(\\epsilon_u + s\\)其中 $s$ 是系数。\n"
    assert result.formulas == 2


def test_double_dollars_at_the_start_of_a_line_with_text_after_are_inline():
    assert md("$$x$$ 是公式") == "\\(x\\) 是公式\n"


def test_a_one_line_formula_alone_on_its_line_right_after_text_is_display_math():
    assert md("由此得到\n$$x^2$$\n其中 x 是输入") == "由此得到\n\n$$\nx^2\n$$\n\n其中 x 是输入\n"


# --- 6. Headings ------------------------------------------------------------------------------


def test_the_shallowest_heading_becomes_h2_keeping_relative_levels():
    assert md("### 一、原理\n\n#### 1. 细节\n\n### 二、实现") == "## 一、原理\n\n### 1. 细节\n\n## 二、实现\n"
    assert md("# 顶层\n\n## 次级") == "## 顶层\n\n### 次级\n"
    assert md("#### 只有四级") == "## 只有四级\n"


def test_headings_nested_in_lists_count_towards_the_shallowest_level():
    assert md("#### 外层\n\n- ### 列表里的标题") == "### 外层\n\n- ## 列表里的标题\n"


def test_setext_headings_and_closing_hashes_become_plain_atx():
    assert md("标题\n===") == "## 标题\n"
    assert md("## 标题 ##") == "## 标题\n"
    assert md("## C#") == "## C\\#\n"  # Python-Markdown drops a closing "#" even without a space
    assert md("## 路径 C:\\") == "## 路径 C:\\\\\n"  # and takes no heading ending in a lone backslash


# --- 7. Bare URLs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("论文链接：https://arxiv.org/pdf/2010.02502.pdf", "论文链接：<https://arxiv.org/pdf/2010.02502.pdf>"),
        ("见https://a.com/x，中文继续", "见<https://a.com/x>，中文继续"),
        ("（https://a.com/x）", "（<https://a.com/x>）"),
        ("地址https://a.com/x。", "地址<https://a.com/x>。"),
        ("链接 https://a.com/x中文", "链接 <https://a.com/x>中文"),
        ("see https://a.com/x.", "see <https://a.com/x>."),
        ("see https://a.com/x?, ok", "see <https://a.com/x>?, ok"),
        ('"https://a.com/x"', '"<https://a.com/x>"'),
        ("(https://en.wikipedia.org/wiki/A_(b))", "(<https://en.wikipedia.org/wiki/A_(b)>)"),
        ("http://a.com/x<br>", "<http://a.com/x><br>"),
        ("**https://a.com/x**", "**<https://a.com/x>**"),
        ("代码见www.github.com/foo。", "代码见[www.github.com/foo](http://www.github.com/foo)。"),
        ("HTTPS://A.COM/X", "<HTTPS://A.COM/X>"),
    ],
)
def test_bare_urls_become_autolinks(text, expected):
    assert md(text) == expected + "\n"


@pytest.mark.parametrize(
    "text",
    [
        "`https://a.com/x`",
        "[https://a.com/x](https://a.com/y)",
        "[文字](https://a.com/x)",
        "<https://a.com/x>",
        "![图](https://a.com/x.png)",
        "foohttps://a.com/x",
        "https://localhost",
        '<a href="https://a.com/x">链接</a>',
        "论文链接：[[2309.11497\\] FreeU: Free Lunch in Diffusion U-Net](https://arxiv.org/abs/2309.11497)",
    ],
)
def test_urls_that_are_not_bare_stay_as_written(text):
    assert md(text) == text + "\n"


def test_urls_in_code_blocks_stay_as_written():
    assert md("```\nhttps://a.com/x\n```") == "```\nhttps://a.com/x\n```\n"
    assert md("    https://a.com/x") == "```\nhttps://a.com/x\n```\n"


# --- 8. Pseudo-tags ---------------------------------------------------------------------------


def test_inline_pseudo_tags_are_escaped_so_they_show():
    result = normalise_answer("先输出 <think> 推理，再用 </think> 结束")
    assert result.markdown == "先输出 &lt;think&gt; 推理，再用 &lt;/think&gt; 结束\n"
    assert result.exceptions == ("pseudo-tag", "pseudo-tag")
    assert md('<Answer type="x">') == '&lt;Answer type="x"&gt;\n'


def test_a_pseudo_tag_html_block_becomes_a_visible_paragraph():
    result = normalise_answer("<think>\n嗯，用户问的是扩散模型。\n</think>\n\n<think>\n\n正文")
    assert result.markdown == "&lt;think&gt;\n嗯，用户问的是扩散模型。\n&lt;/think&gt;\n&lt;think&gt;\n\n正文\n"
    assert result.exceptions == ("pseudo-tag",) * 3


@pytest.mark.parametrize(
    "text",
    [
        "换行<br>上标<sup>2</sup>和<span style=\"color:red\">红字</span>",
        "<details>\n<summary>展开</summary>\n内容\n</details>",
        "<!-- 注释 <think> -->",
        "<div align=\"center\">\n<b>居中</b>\n</div>",
    ],
)
def test_real_html_passes_through(text):
    assert md(text) == text + "\n"


def test_pseudo_tags_inside_a_real_html_block_are_escaped():
    assert md("<div>\n<think>x</think>\n</div>") == "<div>\n&lt;think&gt;x&lt;/think&gt;\n</div>\n"


def test_markdown_between_html_tags_is_read_as_markdown_as_on_github():
    # GitHub ends the HTML block at the blank line; Python-Markdown needs markdown="1" to do the same.
    assert md('<div align="center">\n\n![图](./imgs/a.png)\n\n</div>') == (
        '<div align="center" markdown="1">\n\n![图](../imgs/a.png)\n\n</div>\n'
    )
    assert md("<details>\n<summary>展开</summary>\n\n- 一\n\n</details>") == (
        '<details markdown="1">\n<summary>展开</summary>\n\n- 一\n\n</details>\n'
    )


def test_text_inside_an_html_block_stays_text():
    # Raw to GitHub; Python-Markdown reads the lines outside a block-level element as Markdown.
    assert md("<summary>展开</summary>\n# 不是标题\n  - 不是列表") == "<summary>展开</summary>\n\\# 不是标题\n\\- 不是列表\n"
    assert md("<div>\n# 原样\n</div>") == "<div>\n# 原样\n</div>\n"  # raw inside a closed element


def test_html_blocks_of_inline_content_run_together_as_on_github():
    text = '<img src="https://a.com/1.png">\n\n<img src="https://a.com/2.png">\n\n段落'
    assert md(text) == '<div>\n<img src="https://a.com/1.png">\n<img src="https://a.com/2.png">\n</div>\n\n段落\n'


def test_a_raw_image_line_is_kept_out_of_a_paragraph_as_on_github():
    assert md('<img src="https://a.com/1.png" width="50%">\n\n文字') == '<div>\n<img src="https://a.com/1.png" width="50%">\n</div>\n\n文字\n'
    assert md('文字<img src="https://a.com/1.png">') == '文字<img src="https://a.com/1.png">\n'  # inline: in its paragraph
    assert md('- <img src="https://a.com/1.png">') == '- <img src="https://a.com/1.png">\n'  # in a tight item: no <p> anyway


# --- 9. Indented prose ------------------------------------------------------------------------


def test_tab_indented_chinese_prose_is_a_paragraph():
    result = normalise_answer("![unet](./imgs/unet.jpg)\n\n\tU-Net 具有编码器部分和解码器部分。\n\n\tStable Diffusion的U-Net 能够调节输出。")
    assert result.markdown == (
        "![unet](../imgs/unet.jpg)\n\nU-Net 具有编码器部分和解码器部分。\n\nStable Diffusion的U-Net 能够调节输出。\n"
    )
    assert result.exceptions == ("indented-prose",)


def test_four_space_indented_prose_keeps_its_markdown():
    result = normalise_answer("    这一段是**重点**内容，详细的推导过程见论文https://a.com/x，这里不再展开。")
    assert result.markdown == "这一段是**重点**内容，详细的推导过程见论文<https://a.com/x>，这里不再展开。\n"
    assert result.exceptions == ("indented-prose",)


@pytest.mark.parametrize(
    "code",
    [
        "    for t in reversed(range(T)):\n        x = denoise(x, t)  # 去噪一步",
        "    python train.py --config 配置.yaml",
        '    print("你好，世界")',
        "\tx = 1",
    ],
)
def test_real_indented_code_stays_code(code):
    result = normalise_answer(code)
    assert result.markdown.startswith("```\n") and result.markdown.endswith("\n```\n")
    assert result.exceptions == ()


# --- 10. Empty list items ---------------------------------------------------------------------


def test_an_empty_list_item_is_dropped():
    result = normalise_answer("- 用户偏好度达到91%\n\n- 细节清晰度提升\n\n- \n\n  总结段落。")
    assert result.markdown == "- 用户偏好度达到91%\n\n- 细节清晰度提升\n\n总结段落。\n"
    assert result.exceptions == ("empty-list-item",)


def test_a_list_of_only_empty_items_disappears():
    result = normalise_answer("段落\n\n- \n-\n")
    assert result.markdown == "段落\n"
    assert result.exceptions == ("empty-list-item", "empty-list-item")
    assert normalise_answer("- ").markdown == ""


# --- 11. Everything else keeps its shape ------------------------------------------------------


def test_fenced_code_keeps_its_language_and_content():
    assert md("```python\nx = 1\n\n\ny = 2\n```") == "```python\nx = 1\n\n\ny = 2\n```\n"
    assert md('``` python title="a.py"\nx\n```') == "```python\nx\n```\n"
    assert md("~~~bash\npip install x\n~~~") == "```bash\npip install x\n```\n"


def test_a_fence_is_longer_than_any_backtick_run_inside():
    assert md("~~~\n```\nnested\n```\n~~~") == "````\n```\nnested\n```\n````\n"


def test_an_unclosed_fence_runs_to_the_end():
    assert md("```\ncode") == "```\ncode\n```\n"


def test_tables_are_written_dedented_with_their_alignment():
    text = "#### 算法选择\n   | **算法** | 场景 | 优势 |\n   |---|:---:|---:|\n   | LERP | 简单 | 高效 | "
    assert md(text) == "## 算法选择\n\n| **算法** | 场景 | 优势 |\n| --- | :---: | ---: |\n| LERP | 简单 | 高效 |\n"


def test_table_cells_keep_their_pipes_escaped_and_rows_padded():
    assert md("| a | b |\n|---|---|\n| x \\| y | `c \\| d` |\n| 1 |") == (
        "| a | b |\n| --- | --- |\n| x \\| y | `c | d` |\n| 1 |  |\n"
    )


def test_a_stray_backtick_in_a_cell_is_escaped():
    # GitHub splits "`a|b`" into two cells; Python-Markdown would pair the backticks across them.
    assert md("| a | b |\n|---|---|\n| `a|b` |") == "| a | b |\n| --- | --- |\n| \\`a | b\\` |\n"


def test_a_table_inside_a_list_item():
    assert md("- 表格：\n\n  | a |\n  |---|\n  | 1 |") == "- 表格：\n\n    | a |\n    | --- |\n    | 1 |\n"


def test_blockquotes_keep_their_blocks_and_lazy_lines():
    assert md("> 引用\n懒惰续行\n>\n> - 列表") == "> 引用\n> 懒惰续行\n>\n> - 列表\n"


def test_thematic_breaks():
    assert md("上\n\n---\n\n下") == "上\n\n***\n\n下\n"


def test_hard_line_breaks_survive():
    assert md("**改进策略**  \n第二行") == "**改进策略**  \n第二行\n"
    assert md("第一行\\\n第二行") == "第一行  \n第二行\n"  # Python-Markdown knows no backslash break


def test_inline_math_is_kept_as_written_and_counted():
    text = "将 $H\\times W\\times 3$ 的图像编码为 $\\frac{H}{8}\\times d$ 的特征，$d=4$。"
    result = normalise_answer(text)
    assert result.markdown == text + "\n"
    assert result.formulas == 3


def test_dollars_that_are_not_math_are_not_counted():
    assert normalise_answer("价格从 $5 涨到 $6，代码 `$x$` 也不是").formulas == 0


def test_tight_lists_stay_tight_and_loose_lists_loose():
    assert md("- a\n- b\n  - c\n- d") == "- a\n- b\n    - c\n- d\n"
    assert md("1. a\n\n2. b") == "1. a\n\n2. b\n"


def test_chinese_pseudo_list_markers_stay_plain_paragraphs():
    text = "1、模型参数更大。\n\n2、语义理解能力更强。\n\n**2、双注意力层设计**：共享注意力层。"
    assert md(text) == text + "\n"


def test_task_lists_keep_their_boxes():
    assert md("- [ ] 准备数据\n- [x] 训练模型") == "- [ ] 准备数据\n- [x] 训练模型\n"


def test_neighbouring_lists_and_quotes_stay_apart():
    assert md("- a\n\n* b") == "- a\n\n<!-- -->\n\n- b\n"
    assert md("1. a\n2) b") == "1. a\n\n<!-- -->\n\n2. b\n"
    assert md("> a\n\n> b") == "> a\n\n<!-- -->\n\n> b\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#标签 不是标题", "\\#标签 不是标题"),
        ("第一行\n2. 不是列表", "第一行\n2\\. 不是列表"),
        ("第一行\n!!! note 不是提示框", "第一行\n\\!!! note 不是提示框"),
        ("第一行\n??? note 不是折叠块", "第一行\n&#63;?? note 不是折叠块"),
        ("第一行\n[定义]: 不是链接定义", "第一行\n\\[定义]: 不是链接定义"),
        ("第一行\n*[HTML]: 不是缩写", "第一行\n\\*[HTML]: 不是缩写"),
    ],
)
def test_lines_python_markdown_would_read_as_blocks_are_escaped(text, expected):
    assert md(text) == expected + "\n"


def test_link_reference_definitions_are_kept():
    assert md("见[报告][r]。\n\n[r]: https://arxiv.org/abs/1 \"SD3\"") == (
        '见[报告][r]。\n\n[R]: https://arxiv.org/abs/1 "SD3"\n'
    )


# --- 12. Images -------------------------------------------------------------------------------


def test_relative_images_point_from_the_page_to_the_book_folder():
    result = normalise_answer("![DDIM](./imgs/DDIM.png)\n\n![](imgs/unet.jpg \"标题\")")
    assert result.markdown == "![DDIM](../imgs/DDIM.png)\n\n![](../imgs/unet.jpg \"标题\")\n"
    assert result.images == ("imgs/DDIM.png", "imgs/unet.jpg")


def test_image_paths_are_percent_encoded():
    name = "对图片进行中心裁剪后放入对应的存储桶（bucket）.jpg"
    result = normalise_answer(f"![裁剪](./imgs/{name})\n\n![](<imgs/a (1).png>)")
    assert result.markdown == (
        "![裁剪](../imgs/%E5%AF%B9%E5%9B%BE%E7%89%87%E8%BF%9B%E8%A1%8C%E4%B8%AD%E5%BF%83%E8%A3%81%E5%89%AA"
        "%E5%90%8E%E6%94%BE%E5%85%A5%E5%AF%B9%E5%BA%94%E7%9A%84%E5%AD%98%E5%82%A8%E6%A1%B6%EF%BC%88bucket"
        "%EF%BC%89.jpg)\n\n![](../imgs/a%20%281%29.png)\n"
    )
    assert result.images == (f"imgs/{name}", "imgs/a (1).png")


def test_an_image_path_with_spaces_is_an_image():
    result = normalise_answer("![](imgs/a b.png) 和 ![图 一](./imgs/c d e.png)")
    assert result.markdown == "![](../imgs/a%20b.png) 和 ![图 一](../imgs/c%20d%20e.png)\n"
    assert result.images == ("imgs/a b.png", "imgs/c d e.png")
    assert result.exceptions == ("image-path-with-spaces", "image-path-with-spaces")


def test_html_images_are_rewritten_too():
    result = normalise_answer('结构如下<img src="./imgs/unet.jpg" width="50%">所示。\n\n<img src=imgs/a.png alt="x">')
    assert result.markdown == '结构如下<img src="../imgs/unet.jpg" width="50%">所示。\n\n<div>\n<img src="../imgs/a.png" alt="x">\n</div>\n'
    assert result.images == ("imgs/unet.jpg", "imgs/a.png")


@pytest.mark.parametrize(
    "text",
    [
        "![远程](https://example.com/a.png)",
        '<img src="https://example.com/a.png">',
        "![数据](data:image/png;base64,AAAA)",
    ],
)
def test_absolute_images_are_left_alone(text):
    result = normalise_answer(text)
    assert result.markdown.removeprefix("<div>\n").removesuffix("</div>\n") == text + "\n"
    assert result.images == ()


def test_images_inside_links_and_reference_images():
    result = normalise_answer("[![徽章](./imgs/b.svg)](https://a.com)\n\n![示意][fig]\n\n[fig]: ./imgs/c.jpg \"标题\"")
    assert result.markdown.startswith(
        "[![徽章](../imgs/b.svg)](https://a.com)\n\n![示意](../imgs/c.jpg \"标题\")\n"
    )
    assert result.images == ("imgs/b.svg", "imgs/c.jpg")


def test_images_are_listed_in_order_of_appearance():
    text = "![](imgs/a.png) ![](imgs/b c.png) <img src=\"imgs/d.png\"> ![](imgs/e.png)\n\n| ![](imgs/f.png) |\n|---|"
    assert normalise_answer(text).images == ("imgs/a.png", "imgs/b c.png", "imgs/d.png", "imgs/e.png", "imgs/f.png")


def test_a_missing_image_becomes_a_visible_placeholder():
    asked = []

    def exists(path):
        asked.append(path)
        return path != "imgs/gone.png"

    result = normalise_answer('![DDIM](./imgs/DDIM.png)\n\n![图 <1> & "2"](./imgs/gone.png)', image_exists=exists)
    assert asked == ["imgs/DDIM.png", "imgs/gone.png"]
    assert result.images == ("imgs/DDIM.png", "imgs/gone.png")
    assert result.missing_images == ("imgs/gone.png",)
    assert result.markdown == (
        "![DDIM](../imgs/DDIM.png)\n\n"
        '<span class="qa-missing-image" role="img" aria-label="图片缺失：图 &lt;1&gt; &amp; &quot;2&quot;">'
        "图片缺失：<code>gone.png</code> 图 &lt;1&gt; &amp; &quot;2&quot;</span>\n"
    )


def test_a_missing_image_without_alt_text_names_only_the_file():
    result = normalise_answer('![](imgs/gone.png) <img src="imgs/gone.png">', image_exists=lambda path: False)
    placeholder = (
        '<span class="qa-missing-image" role="img" aria-label="图片缺失：gone.png">图片缺失：<code>gone.png</code></span>'
    )
    assert result.markdown == f"{placeholder} {placeholder}\n"
    assert result.missing_images == ("imgs/gone.png", "imgs/gone.png")


@pytest.mark.parametrize("text", ["![根路径](/imgs/a.png)", '<img src="/etc/passwd">'])
def test_a_root_relative_image_names_no_file_of_the_book_and_counts_as_missing(text):
    result = normalise_answer(text)
    assert result.missing_images == result.images and len(result.images) == 1
    assert 'class="qa-missing-image"' in result.markdown


def test_a_figure_left_out_by_the_registry_disappears_only_while_it_is_missing():
    text = "前文![流程](./imgs/pipeline.png)后文\n\n![](imgs/gone.png)"
    left_out = frozenset({"imgs/pipeline.png"})
    result = normalise_answer(text, image_exists=lambda path: False, left_out=left_out)
    assert result.markdown.startswith("前文后文\n\n") and "pipeline" not in result.markdown
    assert result.images == result.missing_images == ("imgs/gone.png",)
    present = normalise_answer(text, image_exists=lambda path: True, left_out=left_out)
    assert present.images == ("imgs/pipeline.png", "imgs/gone.png") and present.missing_images == ()


def test_the_image_prefix_is_configurable():
    assert md("![](./imgs/a.png)", image_prefix="../../") == "![](../../imgs/a.png)\n"


# --- 13. Inline text is copied byte for byte --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "**粗体**、*斜体*、~~删除线~~、`行内代码`、[链接](https://a.com/p \"标题\")",
        "\\*转义\\*、&copy; 实体、&lt;尖括号&gt;、a_b_c、2^10、5 * 3",
        "中文“引号”（括号）——破折号……省略号",
        "[U-Net](#unet) 的 <kbd>Ctrl</kbd> 与 H~2~O",
    ],
)
def test_inline_markup_is_copied_verbatim(text):
    assert md(text) == text + "\n"


def test_paragraph_lines_lose_only_their_insignificant_indentation():
    assert md("第一行\n   第二行  \n第三行") == "第一行\n第二行  \n第三行\n"


# --- The book's known cases -------------------------------------------------------------------


@pytest.fixture(scope="module")
def book_answers():
    from scripts.book.parse import parse_book

    return [q for q in parse_book(BOOK).questions if q.answered]


def answer_with_line(answers, line: int):
    for question in answers:
        if question.answer_line <= line < question.answer_line + question.answer.count("\n") + 1:
            return question
    raise LookupError(line)


def test_book_bare_url_at_line_192(book_answers):
    result = normalise_answer(answer_with_line(book_answers, 192).answer)
    assert result.markdown.startswith("论文链接：<https://arxiv.org/pdf/2010.02502.pdf>\n")


def test_book_link_at_line_884_is_untouched(book_answers):
    question = answer_with_line(book_answers, 884)
    line = question.answer.split("\n")[884 - question.answer_line]
    assert line in normalise_answer(question.answer).markdown.split("\n")


@pytest.mark.parametrize(
    ("line", "indent", "blank_before"),
    [
        *[(line, 4, True) for line in (229, 242, 253, 265, 457)],  # nested 2-3 spaces deep: now 4
        (909, 4, False), (913, 4, False),  # the same, in a tight list
        (455, 0, True), (482, 0, True),  # lists right after a paragraph
        (463, 4, True), (464, 4, False),  # $$ inside list items, at the item's indent
        (954, 4, True), (955, 4, False),
        (240, 0, True), (264, 0, True),  # ordered lists resuming at 5.
        (875, 0, True), (877, 0, True),  # TAB-indented prose
        (994, 0, None), (996, 0, True), (998, 0, True), (1000, 0, True), (1293, 0, None), (1295, 0, True),  # 1、
    ],
)  # fmt: skip
def test_book_line_is_written_at_the_right_place(book_answers, line, indent, blank_before):
    question = answer_with_line(book_answers, line)
    source_line = question.answer.split("\n")[line - question.answer_line]
    written = normalise_answer(question.answer).markdown.split("\n")
    expected = " " * indent + source_line.lstrip()
    assert expected in written
    if blank_before is not None:
        assert (written[written.index(expected) - 1] == "") is blank_before


def test_book_loose_list_in_a_tight_item_at_line_1216_keeps_the_item_tight(book_answers):
    question = answer_with_line(book_answers, 1216)
    written = normalise_answer(question.answer).markdown.split("\n")
    at = written.index("    - <p>对美学质量评分没有影响(人类偏好评估中50%的胜率)</p>")
    assert written[at - 1] == "- 虽然对复杂提示很重要,但其移除的影响较小:"
    assert written[at + 2].startswith("    - <p>对生成书面文本的能力有显著贡献(38%的胜率)</p><p>（胜率是完整版")


def test_book_empty_list_item_at_line_1078_is_dropped(book_answers):
    question = answer_with_line(book_answers, 1078)
    assert question.answer.split("\n")[1078 - question.answer_line] == "- "
    result = normalise_answer(question.answer)
    assert "-" not in [line.strip() for line in result.markdown.split("\n")]
    assert result.exceptions == ("empty-list-item",)


def test_book_formula_with_an_em_dash_at_line_658(book_answers):
    result = normalise_answer(answer_with_line(book_answers, 658).answer)
    assert "$$\n\\text{image-bucket} = argmin(abs(\\text{bucket-aspects} — \\text{image-aspect}))\n$$" in result.markdown


def test_book_headings_inside_answers_start_at_h2(book_answers):
    result = normalise_answer(answer_with_line(book_answers, 470).answer)  # "###" and "####"
    headings = [line.split(" ")[0] for line in result.markdown.split("\n") if line.startswith("#")]
    assert headings == ["##", "##", "###", "###", "###", "##"]


def test_normalising_the_book_twice_changes_nothing(book_answers):
    for question in book_answers:
        once = normalise_answer(question.answer, image_prefix="")
        assert normalise_answer(once.markdown, image_prefix="").markdown == once.markdown, question.answer_line

