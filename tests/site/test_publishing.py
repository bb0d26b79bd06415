"""Publishing: the figures a build needs, the addresses it writes, and a repository that
works on a fresh machine with nothing beside it."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from scripts.dev.figures import linked_figures, make_figures
from scripts.pipeline import split_books
from scripts.settings import SettingsError, figure_file, published_site_url, source_repository

from ..conftest import ROOT, mkdocs_build


def build(tmp_path: Path, figures: Path) -> subprocess.CompletedProcess:
    return mkdocs_build(tmp_path / "site", figures)


def test_the_publishing_build_fails_on_a_missing_figure_and_leaves_no_site(tmp_path: Path):
    figures = make_figures(tmp_path / "figures", [name for name in linked_figures() if name != "unet.jpg"])
    stale = tmp_path / "site" / "index.html"
    stale.parent.mkdir()
    stale.write_text("an earlier build", encoding="utf-8")
    result = build(tmp_path, figures)
    assert result.returncode != 0
    assert f"aigc-interview-book.md:873: figure 'unet.jpg' is missing from {figures}" in result.stderr
    assert "QA_IMAGES" in result.stderr and "Traceback" not in result.stderr
    assert not stale.exists() and not (tmp_path / "site" / "sitemap.xml").exists()


def test_a_fresh_clone_without_figures_names_every_missing_one(tmp_path: Path):
    result = build(tmp_path, tmp_path / "empty")
    assert result.returncode != 0
    for name in linked_figures():
        assert f"figure '{name}' is missing" in result.stderr, name
    assert "'pipeline.png'" not in result.stderr  # the registry says its author never published it


def _github_expressions(value: str) -> str:
    """A workflow value with its `${{ vars.NAME }}` expressions read as unset repository
    variables; any other expression fails the test, so the step relies on GitHub's own
    environment variables, which this test sets."""
    def replace(match: re.Match) -> str:
        assert re.fullmatch(r"vars\.\w+", match.group(1).strip()), f"unexpected expression {match.group()}"
        return ""
    return re.sub(r"\$\{\{(.*?)\}\}", replace, value)


def test_the_deploy_workflow_publishes_at_the_address_of_its_repository(tmp_path: Path, book_figures: Path):
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    (step,) = [s for s in steps if "make build" in s.get("run", "")]
    (upload,) = [s for s in steps if "upload-pages-artifact" in s.get("uses", "")]
    github = {"GITHUB_REPOSITORY": "acme/ai-book", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REF_NAME": "main",
              "GITHUB_ACTIONS": "true"}
    site = tmp_path / "site"
    env = {**os.environ, **{k: _github_expressions(str(v)) for k, v in step.get("env", {}).items()}, **github,
           "QA_IMAGES": str(book_figures), "QA_PAGES": str(tmp_path / "pages"), "QA_SITE_DIR": str(site)}
    result = subprocess.run(["bash", "-c", step["run"]], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert upload["with"]["path"] == "site"  # what QA_SITE_DIR stands in for here
    assert (site / "downloads" / "aigc-interview-book.pdf").is_file()  # the deploy publishes the book's PDF

    base = "https://acme.github.io/ai-book/"
    page = (site / "sd15" / "aspect-ratio-bucketing-workflow" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{base}sd15/aspect-ratio-bucketing-workflow/">' in page
    assert f'content="{base}sd15/aspect-ratio-bucketing-workflow/"' in page  # og:url
    assert f'content="{base}assets/images/og-default.jpg"' in page  # og:image
    assert 'href="https://github.com/acme/ai-book/blob/main/aigc-interview-book.md#L585"' in page  # 纠错
    assert 'href="https://github.com/acme/ai-book"' in page  # the footer
    assert f"<loc>{base}sd15/aspect-ratio-bucketing-workflow/</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"Sitemap: {base}sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")
    unanswered = (site / "sd3" / "sd3-official-training-tricks" / "index.html").read_text(encoding="utf-8")
    assert "也欢迎通过本页的“纠错”链接补充答案" in unanswered


@pytest.mark.parametrize(("environ", "expected"), [
    ({"GITHUB_REPOSITORY": "Acme/ai-book"}, "https://acme.github.io/ai-book/"),
    ({"GITHUB_REPOSITORY": "acme/acme.github.io"}, "https://acme.github.io/"),
    ({"GITHUB_REPOSITORY": "acme/ai-book", "QA_SITE_URL": "https://book.acme.cn"}, "https://book.acme.cn/"),
    ({"QA_SITE_URL": ""}, "http://127.0.0.1:8000/aigc-interview-site/"),
])
def test_the_site_address_comes_from_the_environment_or_the_local_default(environ, expected):
    assert published_site_url("http://127.0.0.1:8000/aigc-interview-site/", environ) == expected


def test_the_source_repository_is_known_only_when_someone_says_so():
    assert source_repository("", {}) == ""
    assert source_repository("https://github.com/acme/ai-book/", {}) == "https://github.com/acme/ai-book"
    assert source_repository("", {"GITHUB_REPOSITORY": "acme/ai-book", "GITHUB_SERVER_URL": "https://git.acme.cn"}) == "https://git.acme.cn/acme/ai-book"
    assert source_repository("", {"GITHUB_REPOSITORY": "a/b", "QA_REPO_URL": "https://gitee.com/a/b"}) == "https://gitee.com/a/b"


@pytest.mark.parametrize("url", ["https://example.github.io/site/", "https://github.example/x", "http://docs.example.com/", "ftp://a.cn/", "not a url"])
def test_a_placeholder_or_unusable_address_is_refused_by_name(url):
    with pytest.raises(SettingsError, match="QA_SITE_URL"):
        published_site_url(None, {"QA_SITE_URL": url})


def test_a_figure_outside_the_image_folder_is_never_read(tmp_path: Path):
    (tmp_path / "imgs").mkdir()
    (tmp_path / "imgs" / "ok.png").write_bytes(b"png")
    for name in ("secret.png", "other.png", "third.png"):
        (tmp_path / name).write_bytes(b"not for the site")
    book = tmp_path / "book.md"
    book.write_text(
        "## 第一章 基础\n\n<h3 id=\"1.q\">1.问题</h3>\n\n![好](./imgs/ok.png)\n\n![上级](../secret.png)\n\n"
        "![绕回](imgs/../other.png)\n\n![根](/etc/passwd)\n\n<img src=\"imgs/../../third.png\">\n",
        encoding="utf-8",
    )
    assert figure_file(tmp_path / "imgs", "imgs/ok.png") == tmp_path / "imgs" / "ok.png"
    assert figure_file(tmp_path / "imgs", "secret.png") is None
    result = split_books([book], images_dir=tmp_path / "imgs", source_root=tmp_path)
    (entry,) = result.site.manifest
    assert sorted(set(entry.images) - set(entry.missing_images)) == ["imgs/ok.png"]
    messages = [str(d) for d in result.missing_figures]
    assert len(messages) == 4 and all("outside the image folder" in m for m in messages), messages
    assert [d.location.line for d in result.missing_figures] == [7, 9, 11, 13]
    assert result.site.files[entry.path].count('class="qa-missing-image"') == 4


def test_tests_and_set_up_stay_inside_the_repository():
    # A fresh clone has nothing beside it: no test, Makefile rule or CI step may reach out of it.
    outside = "../" + "shared"
    files = [ROOT / "Makefile", *sorted((ROOT / ".ci").rglob("*")), *sorted((ROOT / "tests").rglob("*.py"))]
    offenders = [f"{path.relative_to(ROOT)}:{number}" for path in files if path.is_file()
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if outside in line or "parent / \"shared\"" in line]
    assert offenders == []
