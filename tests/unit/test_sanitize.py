"""The sanitizer's policy, one construct at a time: what GitHub strips goes, what it keeps (and
what our Markdown extensions write) stays byte for byte."""

from __future__ import annotations

import pytest

from scripts.render.sanitize import sanitize

KEPT = {
    "paragraph, break, entity": "<p>a<br />b &para; &amp; &lt;</p>",
    "admonition": '<div class="admonition note qa-notice">\n<p class="admonition-title">注意</p>\n<p>x</p>\n</div>',
    "collapsible": '<details class="tip"><summary>展开</summary><p>x</p></details>',
    "details open": "<details open><summary>s</summary>b</details>",
    "highlighted code": '<div class="highlight"><pre><span></span><code><span class="n">x</span><span class="o">=</span><span class="mi">1</span>\n</code></pre></div>',
    "inline math": '<p><span class="arithmatex">\\(a &lt; b\\)</span></p>',
    "display math": '<div class="arithmatex">\\[x^2\\]</div>',
    "heading with permalink": '<h2 id="1-结构">1 结构<a class="headerlink" href="#1-结构" title="Permanent link">&para;</a></h2>',
    "missing figure": '<p><span class="qa-missing-image" role="img" aria-label="缺少图片 a.png">a.png</span></p>',
    "figure": '<p><img alt="图" src="../../imgs/a.png" width="300" height="200" /></p>',
    "aligned block": '<div align="center"><p align="right">x</p></div>',
    "sup sub kbd": "<p>x<sup>2</sup> H<sub>2</sub>O <kbd>Ctrl</kbd></p>",
    "table, aligned": '<table>\n<thead>\n<tr>\n<th style="text-align: right;">a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td style="text-align: right;">1</td>\n</tr>\n</tbody>\n</table>',
    "task list": '<ul class="task-list">\n<li class="task-list-item"><label class="task-list-control"><input type="checkbox" disabled checked/><span class="task-list-indicator"></span></label> done</li>\n</ul>',
    "links": '<p><a href="https://example.com/a?b=1&amp;c=2">x</a> <a href="mailto:a@b.c">m</a> <a href="../x/">r</a> <a href="#y">f</a></p>',
    "abbr": '<p><abbr title="Classifier-free guidance">CFG</abbr></p>',
    "blockquote, lists": '<blockquote>\n<ol start="3">\n<li>x</li>\n</ol>\n</blockquote>',
    "status badge": '<p><span class="qa-status qa-status--answered">已作答</span> <span class="qa-status qa-status--open">暂无答案</span></p>',
    "related questions": '<div class="qa-related">\n<h2 id="related">相关</h2>\n<ul>\n<li><span class="qa-related__chapter">基础</span></li>\n</ul>\n</div>',
}


@pytest.mark.parametrize("html", KEPT.values(), ids=KEPT.keys())
def test_kept_byte_for_byte(html):
    result = sanitize(html)
    assert result.removed == ()
    assert result.html == html


REMOVED = {
    "script": ("<p>a</p><script>alert(1)</script>", "<script>", "alert"),
    "svg onload": ('<svg onload="alert(1)"></svg>', "<svg>", "onload"),
    "svg script": ("<svg><script>alert(1)</script></svg>", "<script>", "alert"),
    "img onerror": ('<img src="x" onerror="alert(1)">', "onerror", "onerror"),
    "img onerror in a table cell": ('<table><tr><td><img src=x onerror=alert(1)></td></tr></table>', "onerror", "onerror"),
    "onclick": ('<p onclick="alert(1)">x</p>', "onclick", "onclick"),
    "style attribute": ('<p style="position:fixed;inset:0">x</p>', "style", "position"),
    "style element": ("<style>body{display:none}</style><p>x</p>", "<style>", "display"),
    "javascript href": ('<a href="javascript:alert(1)">x</a>', "href", "javascript"),
    "mixed-case javascript": ('<a href="JaVaScRiPt:alert(1)">x</a>', "href", "avascript"),
    "entity-encoded javascript": ('<a href="&#106;avascript:alert(1)">x</a>', "href", "avascript"),
    "tab in javascript": ('<a href="java&#9;script:alert(1)">x</a>', "href", "script:"),
    "javascript img": ('<img src="javascript:alert(1)">', "src", "javascript"),
    "vbscript": ('<a href="vbscript:msgbox(1)">x</a>', "href", "vbscript"),
    "data href": ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "href", "data:"),
    "iframe data": ('<iframe src="data:text/html,<script>alert(1)</script>"></iframe>', "<iframe>", "data:"),
    "iframe srcdoc": ('<iframe srcdoc="<script>alert(1)</script>"></iframe>', "<iframe>", "srcdoc"),
    "object": ('<object data="javascript:alert(1)"></object>', "<object>", "object"),
    "embed": ('<embed src="javascript:alert(1)">', "<embed>", "embed"),
    "form": ('<form action="https://evil.example/"><input name="p"><button>go</button></form>', "<form>", "<form"),
    "meta refresh": ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "<meta>", "refresh"),
    "base": ('<base href="https://evil.example/">', "<base>", "evil"),
    "details ontoggle": ('<details open ontoggle="alert(1)"><summary>s</summary></details>', "ontoggle", "ontoggle"),
    "mutation xss": ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "<math>", "onerror"),
    "noscript breakout": ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', "<noscript>", "onerror"),
    "body onload": ('<body onload="alert(1)">', "onload", "onload"),
    "reserved id": ('<div id="__config">x</div>', "id", "__config"),
    "foreign class": ('<p class="md-search__overlay">x</p>', "class", "md-search"),
    "link element": ('<link rel="stylesheet" href="https://evil.example/x.css">', "<link>", "evil"),
}


@pytest.mark.parametrize(("html", "named", "gone"), REMOVED.values(), ids=REMOVED.keys())
def test_removed_and_named(html, named, gone):
    result = sanitize(html)
    assert gone not in result.html.lower()
    assert any(named in removal.what for removal in result.removed), result.removed
    for removal in result.removed:
        assert removal.needle


# The site's and the theme's classes: what they do (hide text from sighted readers, restyle,
# act as a hook for our scripts) is not the book's to ask for.
SITE_CLASSES = ["qa-sr-only", "md-visually-hidden", "md-typeset", "md-content__inner", "qa-search__hit", "qa-practice"]


@pytest.mark.parametrize("name", SITE_CLASSES)
def test_site_classes_are_not_the_books(name):
    result = sanitize(f'<p>a <span class="{name}">hidden</span> <span class="{name} highlight">b</span></p>')
    assert name not in result.html
    assert result.html == '<p>a <span>hidden</span> <span class="highlight">b</span></p>'
    assert [r.what for r in result.removed] == [f'class="{name}" on <span>', f'class="{name} highlight" on <span>']


def test_a_dropped_tag_keeps_its_text_as_on_github():
    result = sanitize('<p><font color="red">红</font>字</p>')
    assert result.html == "<p>红字</p>"
    assert [r.what for r in result.removed][:1] == ["<font>"]


def test_markup_left_open_is_closed_without_a_warning():
    result = sanitize('<p><a href="https://example.com/">open')
    assert result.html == '<p><a href="https://example.com/">open</a></p>'
    assert result.removed == ()


def test_a_stray_end_tag_cannot_close_the_page_around_it():
    result = sanitize("<p>a</p></article></div><p>b</p>")
    assert "</article>" not in result.html and "</div>" not in result.html


def test_sanitizing_twice_changes_nothing():
    once = sanitize('<p onclick="x">a<script>b</script><img src=x onerror=y></p>').html
    assert sanitize(once) == sanitize(once).__class__(once, ())
