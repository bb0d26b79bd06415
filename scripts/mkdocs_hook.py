"""MkDocs glue, kept thin: run the splitter before the build, hand its pages to MkDocs,
render math after. Every decision lives in the pipeline modules this file calls.
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import Future, ThreadPoolExecutor
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from markupsafe import Markup, escape
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # hooks are loaded by path, not as a package

from scripts import katex  # noqa: E402
from scripts.compact_html import compact_html  # noqa: E402
from scripts.identity import registry_path_for  # noqa: E402
from scripts.model import BookError  # noqa: E402
from scripts.output import write_tree  # noqa: E402
from scripts.page_meta import page_title, question_description, question_json_ld  # noqa: E402
from scripts.redirects import old_anchor_map, page_url, redirect_map  # noqa: E402
from scripts.url_lock import book_urls, check_lock, lock_path_for, read_lock  # noqa: E402
from scripts.pipeline import SplitResult, split_books  # noqa: E402
from scripts.search_index import build_search_index  # noqa: E402
from scripts.settings import SiteSettings  # noqa: E402
from scripts.site_nav import build_nav  # noqa: E402

log = logging.getLogger("mkdocs.hooks.qa")
_background = ThreadPoolExecutor(max_workers=1)
KATEX_ASSETS = "assets/katex"


class _State:
    settings: SiteSettings
    result: SplitResult
    math: katex.MathRenderer | None = None
    math_started: Future | None = None
    formulas = 0


state = _State()


def on_config(config):
    settings = SiteSettings.from_mkdocs(config.config_file_path, config.extra)
    if not settings.books:
        raise PluginError("no book to publish: set extra.qa.books in mkdocs.yml or QA_BOOKS")
    try:
        result = split_books(list(settings.books), images_dir=settings.images, source_root=settings.root,
                             home_title=config.site_name, home_intro=config.site_description or "")
    except BookError as error:
        raise PluginError("the book has errors:\n" + "\n".join(str(d) for d in error.diagnostics)) from None
    for diagnostic in result.diagnostics:
        (log.warning if diagnostic.severity == "warning" else log.info)(str(diagnostic))
    write_tree(settings.pages, result.site.files)
    config.nav = build_nav(result.books)
    state.settings, state.result, state.formulas = settings, result, 0
    # Node starts while MkDocs reads files and renders the first pages, off the critical path.
    state.math = katex.MathRenderer()
    state.math_started = _background.submit(state.math.start)
    return config


@event_priority(100)  # before mkdocs-redirects reads the pages it may redirect to
def on_files(files: Files, config) -> Files:
    settings = state.settings
    for path in sorted(state.result.site.files):
        if not path.endswith(".md"):
            continue
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"generated page {path} would hide docs/{path}; rename one of them")
        files.append(File(path, str(settings.pages), config.site_dir, config.use_directory_urls))
    for image in sorted({i for entry in state.result.site.manifest for i in entry["images"]} - _missing_images()):
        files.append(File.generated(config, image, abs_src_path=str(settings.images / image.removeprefix("imgs/"))))
    katex_dir = settings.root / "build" / "katex"
    try:
        assets = katex.copy_katex_assets(katex_dir)
    except katex.MathRendererError as error:
        raise PluginError(str(error)) from None
    for asset in assets:
        files.append(File.generated(config, f"{KATEX_ASSETS}/{asset.relative_to(katex_dir).as_posix()}", abs_src_path=str(asset)))
    _set_up_redirects(files, config)
    return files


def _set_up_redirects(files: Files, config) -> None:
    """Feed renamed slugs to mkdocs-redirects, then hold every book to its URL lock."""
    redirects = config.plugins["redirects"].config["redirect_maps"]
    redirects.update(redirect_map(state.result.books))
    reused = sorted(old for old in redirects if files.get_file_from_path(old) is not None)
    if reused:
        raise PluginError(f"a former slug is a live page again, so its redirect cannot be written: {', '.join(reused)}")
    live = {page_url(f.src_uri) for f in files.documentation_pages()}
    redirected = {page_url(old) for old in redirects}
    for book in state.result.books:
        lock = lock_path_for(book.path)
        if not lock.exists():
            log.info(f"{book.path.name}: no URL lock yet ({lock.name}); create it with: python -m scripts.url_lock --update")
            continue
        report = check_lock(read_lock(lock), live, redirected)
        if report.vanished:
            raise PluginError(
                f"{lock}: published URL(s) would break: {', '.join(report.vanished)}. "
                "If a slug changed, keep the old one under `formerly:` in the registry so it redirects."
            )
        mine = set(book_urls(book))
        for url in report.unlisted:
            if url in mine:
                log.warning(f"{lock}: new URL {url} is not in the lock; run: python -m scripts.url_lock --update")


def _missing_images() -> set[str]:
    return {m for entry in state.result.site.manifest for m in entry["missing_images"]}


def on_page_markdown(markdown: str, page, config, files) -> str:
    if "![" not in markdown and "<img" not in markdown:
        page.meta["glightbox"] = False  # no figure to zoom: spare the reader glightbox's 70 KB
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    if page.meta.get("kind") == "question":
        _describe_question(html, page, config)
    if "arithmatex" not in html:
        return html
    try:
        state.math_started.result()
    except katex.MathRendererError as error:
        raise PluginError(str(error)) from None
    rendered = katex.render_math_in_html(html, state.math)
    for error in rendered.errors:
        log.warning(f"{page.file.src_uri}: KaTeX cannot render {error}")
    state.formulas += rendered.count
    page.meta["qa_math"] = True
    return rendered.html


def _describe_question(html: str, page, config) -> None:
    meta = page.meta
    description = question_description(meta["title"], meta["chapter_short"], meta["answered"], html)
    meta["description"] = Markup(escape(description))  # Material prints it unescaped
    meta["qa_title"] = page_title(meta["title"], meta["chapter_short"], config.site_name)
    data = question_json_ld(meta["title"], description, page.canonical_url or page.url, meta["answered"], meta["chapter"])
    # Raw UTF-8 is a third of Jinja's \\uXXXX escapes; escaping <, > and & keeps </script> out.
    text = json.dumps(data, ensure_ascii=False).replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    meta["qa_json_ld"] = Markup(text)


def on_post_build(config) -> None:
    site = Path(config.site_dir)
    anchors = old_anchor_map(state.result.site.manifest)
    (site / "assets" / "anchors.json").write_text(json.dumps(anchors, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    (site / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {config.site_url or ''}sitemap.xml\n", encoding="utf-8")
    if state.math is not None:
        state.math_started.exception()  # wait for a start still running; its error was reported by a page
        state.math.close()
        state.math = None
    missing = sorted(_missing_images())
    log.info(f"rendered {state.formulas} formulas with KaTeX at build time")
    if missing:
        log.info(f"{len(missing)} image(s) referenced by the book are missing from {state.settings.images} "
                 f"and show a placeholder: {', '.join(missing)}")
    build_search_index(Path(config.site_dir), log=log)  # last: Pagefind reads the finished pages


def on_serve(server, config, builder):
    for path in [*state.settings.books, *map(registry_path_for, state.settings.books), state.settings.images]:
        if path.exists():
            server.watch(str(path))
    return server


def on_post_page(output: str, page, config) -> str:
    if page.meta.get("qa_math"):  # KaTeX's stylesheet only where there is math
        href = get_relative_url(f"{KATEX_ASSETS}/katex.min.css", page.url)
        output = output.replace("</head>", f'<link rel="stylesheet" href="{href}">\n</head>', 1)
    return compact_html(output)
