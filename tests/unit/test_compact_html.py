from scripts.render.compact_html import compact_html


def test_indentation_and_blank_lines_collapse_to_one_break():
    assert compact_html("<ul>\n    <li>a</li>\n\n\n    <li>b</li>\n</ul>") == "<ul><li>a</li><li>b</li></ul>"


def test_spaces_between_inline_elements_survive():
    html = "<p><strong>a</strong> <em>b</em>\n  <code>c</code>\n<span>d</span>\n</p>"
    assert compact_html(html) == "<p><strong>a</strong> <em>b</em>\n<code>c</code>\n<span>d</span></p>"


def test_preformatted_and_script_content_is_untouched():
    code = "<pre><code>def f():\n    return 1\n\n\n    # end</code></pre>"
    script = "<script>\n  var a = 1;\n\n  var b = `x\n    y`;\n</script>"
    area = "<TEXTAREA>\n   keep\n</TEXTAREA>"
    html = f"<div>\n   {code}\n   {script}\n   {area}\n</div>"
    assert compact_html(html) == f"<div>\n{code}\n{script}\n{area}</div>"


def test_nested_looking_tags_inside_pre_do_not_end_it_early():
    html = "<pre>  <span>x</span>\n    <span>y</span>\n<div>q</div></pre>\n   <p>z</p>"
    assert compact_html(html) == "<pre>  <span>x</span>\n    <span>y</span>\n<div>q</div></pre><p>z</p>"


def test_plain_text_without_markup_is_stable():
    assert compact_html("no breaks here") == "no breaks here"
    assert compact_html(compact_html("<a>\n  x\n</a>")) == "<a>\nx\n</a>"
    assert compact_html("<li>\n<a>x</a>\n</li>") == "<li>\n<a>x</a></li>"
