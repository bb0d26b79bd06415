from scripts.emit.page_meta import page_title, plain_text, question_description, question_json_ld, truncate
from scripts.strings import load_strings


def test_plain_text_drops_math_markup_code_and_the_title():
    html = (
        '<h1 id="t">标题<a class="headerlink" href="#t">¶</a></h1>'
        '<p>损失为 <span class="arithmatex">\\(x^2\\)</span>，<strong>很重要</strong>。</p>'
        '<div class="arithmatex">\\[a=b\\]</div>'
        "<pre><code>print(1)</code></pre><p>下一段 &amp; 结尾</p>"
    )
    assert plain_text(html) == "损失为 …，很重要。 下一段 & 结尾"


def test_truncate_prefers_a_sentence_end():
    text = "第一句话说明了问题的背景和动机。" * 4 + "第二句很长很长很长很长很长很长很长很长"
    cut = truncate(text, 50)
    assert len(cut) <= 50 and cut.endswith("。")
    assert truncate("短句。", 50) == "短句。"
    assert truncate("没有标点" * 40, 30).endswith("…") and len(truncate("没有标点" * 40, 30)) == 30


ZH_META = load_strings("zh")["meta"]
EN_META = load_strings("en")["meta"]


def test_unanswered_question_gets_a_sensible_sentence():
    description = question_description("什么是VAE？", "SD 1.5", False, "", ZH_META)
    assert "什么是VAE？" in description and "暂无参考答案" in description and len(description) <= 120
    english = question_description("What is a VAE?", "SD 1.5", False, "", EN_META)
    assert english.startswith("A frequently asked SD 1.5 interview question") and "No reference answer" in english


def test_a_translated_page_says_its_answer_is_the_books():
    english = question_description("Q", "SD 1.5", True, "<p>答案内容。</p>", EN_META, answer_in_source=True)
    assert english == "A SD 1.5 interview question. Reference answer (in Chinese): 答案内容。"


def test_answered_question_uses_its_answer():
    description = question_description("Q", "C", True, "<h1>Q</h1><p>" + "答案内容。" * 40 + "</p>", ZH_META)
    assert description.startswith("答案内容。") and len(description) <= 120 and "<" not in description


def test_page_title_and_json_ld():
    assert page_title("什么是VAE？", "SD 1.5", "题库") == "什么是VAE？ – SD 1.5 – 题库"
    data = question_json_ld("Q", "D", "https://x/q/", True, "C")
    assert data["@type"] == "QAPage" and data["mainEntity"]["acceptedAnswer"]["text"] == "D"
    assert "acceptedAnswer" not in question_json_ld("Q", "D", "https://x/q/", False, "C")["mainEntity"]


def test_the_related_questions_are_not_part_of_the_description():
    from scripts.emit.page_meta import plain_text

    content = '<h1>题</h1><p>短答案。</p><div class="qa-related"><h2>相关题目</h2><ul><li><a href="../x/">别的题</a></li></ul></div>'
    assert plain_text(content) == "短答案。"
