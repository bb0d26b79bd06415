"""Build-time KaTeX: real Node + real katex package (CI runs `npm ci --prefix scripts/js`).

No skips: a machine without node or katex must fail here, not build a site with raw TeX.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import markdown
import pytest

from scripts.render.katex import (
    RENDER_SCRIPT,
    MathRenderer,
    MathRendererUnavailable,
    copy_katex_assets,
    render_math_in_html,
)

BUCKET_FORMULA = r"\text{image-bucket} = argmin(abs(\text{bucket-aspects} — \text{image-aspect}))"


def arithmatex(source: str) -> str:
    """Markdown → HTML exactly as our MkDocs config hands math to the renderer."""
    md = markdown.Markdown(extensions=["pymdownx.arithmatex"], extension_configs={"pymdownx.arithmatex": {"generic": True}})
    return md.convert(source)


@pytest.fixture(scope="module")
def renderer():
    with MathRenderer() as shared:
        yield shared


def test_inline_and_display_become_katex_html_and_mathml(renderer):
    page = arithmatex("Loss $L = \\|x\\|^2$ here.\n\n$$\n\\sum_{i=1}^{n} x_i\n$$\n")
    assert '<span class="arithmatex">\\(' in page and '<div class="arithmatex">\\[' in page  # the input we target

    result = render_math_in_html(page, renderer)

    assert result.errors == []
    assert result.count == 2
    assert "\\(" not in result.html and "\\[" not in result.html
    assert result.html.count('<span class="katex">') == 2
    assert result.html.count('<math xmlns="http://www.w3.org/1998/Math/MathML"') == 2
    assert 'display="block"' in result.html
    # The display formula keeps a block wrapper around katex-display: that is what scrolls on a phone.
    assert '<div class="arithmatex"><span class="katex-display">' in result.html
    assert '<span class="arithmatex"><span class="katex">' in result.html
    assert "<p>Loss " in result.html and " here.</p>" in result.html


def test_html_escaped_tex_is_unescaped_before_rendering(renderer):
    page = arithmatex("$a < b$ and $p \\& q$")
    assert "a &lt; b" in page and "\\&amp;" in page

    result = render_math_in_html(page, renderer)

    assert result.errors == []
    assert '<annotation encoding="application/x-tex">a &lt; b</annotation>' in result.html
    assert "<mo>&lt;</mo>" in result.html
    assert "<mi mathvariant=\"normal\">&amp;</mi>" in result.html or "<mo>&amp;</mo>" in result.html
    assert "&amp;lt;" not in result.html


def test_multi_line_display_tex(renderer):
    page = arithmatex("$$\n\\begin{aligned}\na &= b + c \\\\\nd &> e\n\\end{aligned}\n$$\n")
    assert page.count("\n") >= 3 and "&amp;=" in page

    result = render_math_in_html(page, renderer)

    assert result.errors == [] and result.count == 1
    assert "<mtable" in result.html and "katex-display" in result.html
    assert "\\[" not in result.html


def test_em_dash_from_the_book_renders_without_error(renderer):
    page = arithmatex(f"$$ {BUCKET_FORMULA} $$\n")

    result = render_math_in_html(page, renderer)

    assert result.errors == []
    assert result.count == 1
    assert "qa-math-error" not in result.html
    assert "—" in result.html.split('<span class="katex-html"', 1)[0]  # in the MathML
    assert all("—" in warning or "8212" in warning for warning in result.warnings)  # a warning is fine


def test_broken_formula_is_reported_and_left_visible_as_tex(renderer):
    page = arithmatex("Good $x^2$, broken $\\frac{a}{$ and good $$y$$ again.\n\n$$\n\\frac{\n$$\n")

    result = render_math_in_html(page, renderer)

    assert result.count == 4
    assert len(result.errors) == 2
    assert all("\\frac{" in error for error in result.errors)
    assert "inline math" in result.errors[0] and "display math" in result.errors[1]
    broken = re.findall(r'<(span|div) class="arithmatex qa-math-error" title="([^"]*)"><code>(.*?)</code></\1>', result.html, re.DOTALL)
    assert [(tag, " ".join(tex.split())) for tag, _, tex in broken] == [("span", "$\\frac{a}{$"), ("div", "$$ \\frac{ $$")]
    assert all("KaTeX parse error" in title for _, title, _ in broken)
    assert result.failed_tex == [tex for tex in ("\\frac{a}{", "\n\\frac{\n")]
    assert result.html.count('<span class="katex">') == 2  # the good ones around it still render


def test_broken_formula_cannot_inject_markup(renderer):
    page = arithmatex('$\\frac{"<img src=x onerror=alert(1)>$')

    result = render_math_in_html(page, renderer)

    assert len(result.errors) == 1
    assert "<img" not in result.html
    assert "&lt;img" in result.html


def test_count_ignores_non_math_and_escaped_lookalikes(renderer):
    page = (
        "<p>Price is $5 and $6.</p>"
        '<pre><code>&lt;span class="arithmatex"&gt;\\(x\\)&lt;/span&gt;</code></pre>'
        + arithmatex("$a$ $b$ $c$\n\n$$d$$\n\n$$e$$\n")
    )

    result = render_math_in_html(page, renderer)

    assert result.count == 5
    assert result.errors == []
    assert '&lt;span class="arithmatex"&gt;\\(x\\)&lt;/span&gt;' in result.html
    assert "<p>Price is $5 and $6.</p>" in result.html


def test_rendering_twice_changes_nothing(renderer):
    once = render_math_in_html(arithmatex("$x$\n\n$$y$$\n\n$\\frac{$"), renderer)
    twice = render_math_in_html(once.html, renderer)

    assert len(once.errors) == 1
    assert twice.html == once.html
    assert twice.count == 0 and twice.errors == []


def test_untrusted_commands_emit_no_links_or_external_requests(renderer):
    result = render_math_in_html(arithmatex("$\\href{https://cdn.example/x}{a} \\includegraphics{https://cdn.example/i.png}$"), renderer)

    assert "<a " not in result.html and "<img" not in result.html
    assert 'src="' not in result.html and 'href="' not in result.html


def test_repeated_formulas_render_once():
    with MathRenderer() as fresh:
        page = arithmatex(" ".join(["$E = mc^2$"] * 10) + "\n\n$$E = mc^2$$\n\n" + "$\\alpha$ " * 5)
        result = render_math_in_html(page, fresh)
        again = render_math_in_html(page, fresh)

        assert result.count == 16 and again.count == 16
        assert fresh.requests_sent == 3  # inline E, display E (a different rendering), alpha
        assert again.html == result.html


def test_renderer_reports_katex_version(renderer):
    package_json = RENDER_SCRIPT.parent / "package.json"
    assert f'"katex": "{renderer.katex_version}"' in package_json.read_text(encoding="utf-8")


def test_copied_css_references_only_shipped_woff2_fonts(tmp_path: Path):
    dest = tmp_path / "assets" / "katex"

    written = copy_katex_assets(dest)

    css = (dest / "katex.min.css").read_text(encoding="utf-8")
    assert ".woff)" not in css and ".ttf)" not in css
    assert 'format("woff")' not in css and 'format("truetype")' not in css
    urls = re.findall(r"url\(([^)]*)\)", css)
    assert urls and all(re.fullmatch(r"fonts/KaTeX_[\w-]+\.woff2", url) for url in urls)
    assert all((dest / url).is_file() for url in urls)
    assert css.count("@font-face") == len(urls)  # every face kept exactly its woff2 source
    assert ".katex-display" in css  # the rest of KaTeX's CSS is untouched
    assert sorted(written) == sorted([dest / "katex.min.css", *(dest / url for url in set(urls))])
    assert all(path.stat().st_size > 0 for path in written)


def test_missing_node_is_a_clear_error():
    with pytest.raises(MathRendererUnavailable, match=r"npm ci --prefix scripts/js"):
        with MathRenderer(node="definitely-not-a-node-binary"):
            pass


def test_missing_katex_package_is_a_clear_error(tmp_path: Path):
    lonely_script = Path(shutil.copy(RENDER_SCRIPT, tmp_path / RENDER_SCRIPT.name))

    with pytest.raises(MathRendererUnavailable, match=r"katex.*npm ci --prefix scripts/js"):
        with MathRenderer(script=lonely_script):
            pass


def test_a_formula_katex_cannot_parse_keeps_its_place_in_the_page(renderer):
    from scripts.book.normalise import normalise_answer

    from .blocks import block_structure, python_markdown

    answer = normalise_answer("注意力为\n\n$$\n\\frac{QK^T}{\n$$\n\n其中 $\\sqrt{d$ 是缩放。\n").markdown
    md = python_markdown()
    result = render_math_in_html(md.convert(answer), renderer)
    assert len(result.errors) == 2
    assert block_structure(result.html).outline() == "document\n  p\n  math\n  p"  # display stays a block, inline stays inline
    assert "<code>$$\n\\frac{QK^T}{\n$$</code>" in result.html and "<code>$\\sqrt{d$</code>" in result.html


def test_the_tight_item_formula_spelling_renders_as_display_math(renderer):
    from scripts.book.normalise import normalise_answer

    from .blocks import python_markdown

    answer = normalise_answer("- 公式：\n  $$\n  a_1 * b_2 < c\n  $$\n- 其次\n").markdown
    result = render_math_in_html(python_markdown().convert(answer), renderer)
    assert result.errors == [] and result.count == 1
    assert '<span class="katex-display">' in result.html and "<p>" not in result.html
