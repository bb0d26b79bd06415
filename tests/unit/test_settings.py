"""mkdocs.yml's extra.qa and the QA_* variables, read into SiteSettings without building anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.settings import QAConfig, SettingsError, SiteSettings, settings_from_mkdocs_yml

from ..conftest import ROOT

LOCAL = "http://127.0.0.1:8000/aigc-interview-site/"


def settings(tmp_path: Path, qa: object = None, environ: dict | None = None, **options) -> SiteSettings:
    """Settings of a mkdocs.yml in tmp_path whose extra.qa is `qa` (or the options given)."""
    return SiteSettings.from_mkdocs(tmp_path / "mkdocs.yml", {"qa": options if qa is None else qa}, LOCAL, environ or {})


def test_every_option_has_a_default_relative_to_the_folder_of_mkdocs_yml(tmp_path: Path):
    defaults = settings(tmp_path)
    assert defaults.root == tmp_path.resolve()
    assert defaults.books == ()
    assert defaults.images == tmp_path / "imgs"
    assert defaults.pages == tmp_path / "build" / "pages"
    assert defaults.docs == tmp_path / "docs"
    assert defaults.cache == tmp_path / "build"
    assert (defaults.minified_cache, defaults.katex_cache) == (tmp_path / "build" / "minified", tmp_path / "build" / "katex")
    assert (defaults.repository, defaults.branch, defaults.source_url) == ("", "main", "")
    assert defaults.strings is None
    assert defaults.site_url == LOCAL
    assert [name for name, _ in QAConfig._schema] == ["books", "images", "pages", "cache", "strings", "repository", "branch", "pdf", "parallel"]
    assert defaults.pdf is False and defaults.parallel is True


def test_a_strings_folder_is_relative_to_the_folder_of_mkdocs_yml(tmp_path: Path):
    ours = SiteSettings.from_mkdocs(tmp_path / "mkdocs.yml", {"qa": {"strings": "ui"}}, LOCAL, {})
    assert ours.strings == tmp_path / "ui"


def test_an_empty_or_missing_extra_qa_is_all_defaults(tmp_path: Path):
    assert SiteSettings.from_mkdocs(tmp_path / "mkdocs.yml", {}, LOCAL, {}) == settings(tmp_path)
    assert settings(tmp_path, qa={}) == settings(tmp_path)


def test_path_settings_are_relative_to_the_folder_of_mkdocs_yml_wherever_the_build_runs(tmp_path: Path, monkeypatch):
    site = tmp_path / "site"
    monkeypatch.chdir(tmp_path)
    ours = SiteSettings.from_mkdocs(site / "mkdocs.yml", {"qa": {"books": ["a.md", "", "/abs/b.md"], "images": "../figures",
                                                                 "pages": "out/pages", "cache": ".cache"}},
                                    LOCAL, {}, docs_dir="hand-written")
    assert ours.books == (site / "a.md", Path("/abs/b.md"))  # blank entries are dropped
    assert ours.images == tmp_path / "figures"
    assert (ours.pages, ours.cache, ours.docs) == (site / "out" / "pages", site / ".cache", site / "hand-written")
    assert ours.katex_cache == site / ".cache" / "katex"


def test_the_repository_and_branch_make_the_source_links(tmp_path: Path):
    ours = settings(tmp_path, repository="https://github.com/acme/ai-book/", branch="draft")
    assert ours.source_url == "https://github.com/acme/ai-book/blob/draft/"


@pytest.mark.parametrize(("variable", "value", "field", "expected"), [
    ("QA_BOOKS", "one.md:/elsewhere/two.md", "books", lambda root: (root / "one.md", Path("/elsewhere/two.md"))),
    ("QA_IMAGES", "figures", "images", lambda root: root / "figures"),
    ("QA_PAGES", "/tmp/pages", "pages", lambda root: Path("/tmp/pages")),
    ("QA_SITE_URL", "https://book.acme.cn", "site_url", lambda root: "https://book.acme.cn/"),
    ("QA_REPO_URL", "https://gitee.com/acme/ai-book/", "repository", lambda root: "https://gitee.com/acme/ai-book"),
    ("QA_REPO_BRANCH", "draft", "branch", lambda root: "draft"),
])
def test_each_variable_overrides_its_setting_and_an_empty_one_does_not(tmp_path: Path, variable, value, field, expected):
    in_file = dict(books=["book.md"], images="imgs", pages="build/pages", repository="https://github.com/acme/a", branch="main")
    assert getattr(settings(tmp_path, environ={variable: value}, **in_file), field) == expected(tmp_path)
    assert getattr(settings(tmp_path, environ={variable: ""}, **in_file), field) == getattr(settings(tmp_path, **in_file), field)


@pytest.mark.parametrize(("qa", "environ", "expected"), [
    ({}, {}, False),
    ({"pdf": True}, {}, True),
    ({}, {"QA_PDF": "1"}, True),
    ({"pdf": True}, {"QA_PDF": "0"}, False),
    ({"pdf": True}, {"QA_PDF": ""}, True),  # set but empty counts as unset
])
def test_the_pdfs_are_printed_when_extra_qa_pdf_or_qa_pdf_says_so(tmp_path: Path, qa, environ, expected):
    assert settings(tmp_path, qa=qa, environ=environ).pdf is expected


@pytest.mark.parametrize(("qa", "environ", "expected"), [
    ({}, {}, True),
    ({"parallel": False}, {}, False),
    ({"parallel": False}, {"QA_PARALLEL": "1"}, True),
    ({}, {"QA_PARALLEL": "off"}, False),
])
def test_the_languages_build_side_by_side_unless_told_not_to(tmp_path: Path, qa, environ, expected):
    assert settings(tmp_path, qa=qa, environ=environ).parallel is expected


def test_github_actions_supplies_what_the_variables_do_not(tmp_path: Path):
    actions = {"GITHUB_REPOSITORY": "acme/ai-book", "GITHUB_SERVER_URL": "https://git.acme.cn", "GITHUB_REF_NAME": "release"}
    ours = settings(tmp_path, environ=actions, repository="https://github.com/other/book", branch="main")
    assert (ours.site_url, ours.repository, ours.branch) == ("https://acme.github.io/ai-book/", "https://git.acme.cn/acme/ai-book", "release")
    mine = settings(tmp_path, environ={**actions, "QA_REPO_URL": "https://gitee.com/a/b", "QA_REPO_BRANCH": "main"})
    assert (mine.repository, mine.branch) == ("https://gitee.com/a/b", "main")


@pytest.mark.parametrize(("qa", "environ", "message"), [
    ({"books": 3}, {}, "extra.qa.books: expected a list of book paths, got 3"),
    ({"books": "book.md"}, {}, "extra.qa.books: expected a list of book paths, got 'book.md'"),
    ({"books": ["a.md", 2]}, {}, "extra.qa.books: expected a list of book paths, got ['a.md', 2]"),
    ({"images": ["imgs"]}, {}, "extra.qa.images: expected a folder path, got ['imgs']"),
    ({"pages": 1}, {}, "extra.qa.pages: expected a folder path, got 1"),
    ({"cache": True}, {}, "extra.qa.cache: expected a folder path, got True"),
    ({"images": "mkdocs.yml"}, {}, "extra.qa.images: expected a folder, but {root}/mkdocs.yml is a file"),
    ({}, {"QA_IMAGES": "mkdocs.yml"}, "QA_IMAGES: expected a folder, but {root}/mkdocs.yml is a file"),
    ({}, {"QA_PAGES": "mkdocs.yml"}, "QA_PAGES: expected a folder, but {root}/mkdocs.yml is a file"),
    ({"repository": 5}, {}, "extra.qa.repository: expected the repository's web address, or empty, got 5"),
    ({"repository": "github.com/acme/book"}, {}, "extra.qa.repository: expected an http(s) address, got 'github.com/acme/book'"),
    ({}, {"QA_REPO_URL": "https://example.com/acme/book"}, "QA_REPO_URL: 'https://example.com/acme/book' is a placeholder"),
    ({}, {"QA_SITE_URL": "book.acme.cn"}, "QA_SITE_URL: expected an http(s) address"),
    ({"branch": 7}, {}, "extra.qa.branch: expected a branch name, got 7"),
    ({"pdf": "yes"}, {}, "extra.qa.pdf: expected true or false, got 'yes'"),
    (["books"], {}, "extra.qa: expected a mapping of options, got ['books']"),
])
def test_a_bad_setting_is_an_error_naming_it(tmp_path: Path, qa, environ, message):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    with pytest.raises(SettingsError) as raised:
        settings(tmp_path, qa=qa, environ=environ)
    assert str(raised.value).startswith(message.format(root=tmp_path.resolve()))


def test_an_unknown_option_is_an_error_naming_it_and_the_known_ones(tmp_path: Path):
    with pytest.raises(SettingsError) as raised:
        settings(tmp_path, books=["book.md"], imges="figures")
    assert str(raised.value) == "extra.qa.imges: unknown option (the options are books, images, pages, cache, strings, repository, branch, pdf, parallel)"


def test_the_folder_mkdocs_builds_from_is_not_the_hand_written_one(tmp_path: Path):
    docs = tmp_path / "docs"
    for name in ("assets/extra.css", "robots.txt", "overrides/main.html", "overrides/partials/footer.html"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(name, encoding="utf-8")
    assert settings(tmp_path).hand_written_files() == {"assets/extra.css": docs / "assets/extra.css", "robots.txt": docs / "robots.txt"}


def test_our_mkdocs_yml_reads_without_loading_its_plugins():
    ours = settings_from_mkdocs_yml(ROOT / "mkdocs.yml", {})
    assert ours.books == (ROOT / "aigc-interview-book.md",)
    assert (ours.images, ours.pages, ours.cache, ours.docs) == (ROOT / "imgs", ROOT / "build" / "pages", ROOT / "build", ROOT / "docs")
    assert ours.site_url == LOCAL
