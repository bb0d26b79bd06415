"""MkDocs glue, kept thin: run the splitter before the build, hand its pages to MkDocs,
render math after. Every decision lives in the pipeline modules this file calls.
"""

from __future__ import annotations

import json
import logging
import re
from concurrent.futures import Future, ThreadPoolExecutor
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from markupsafe import Markup, escape
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.utils import clean_directory, get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # hooks are loaded by path, not as a package

from scripts import katex  # noqa: E402
from scripts.compact_html import compact_html  # noqa: E402
from scripts.identity import registry_path_for  # noqa: E402
from scripts.minify import MinifyError, minify_assets  # noqa: E402
from scripts.strings import load_strings  # noqa: E402
from scripts.model import BookError  # noqa: E402
from scripts.output import write_tree  # noqa: E402
from scripts.page_meta import page_title, question_description, question_json_ld  # noqa: E402
from scripts.client_data import old_anchor_map, question_index  # noqa: E402
from scripts.redirects import page_url, redirect_map  # noqa: E402
from scripts.url_lock import book_urls, check_lock, lock_path_for, read_lock  # noqa: E402
from scripts.emit import HomeText  # noqa: E402
from scripts.pipeline import SplitResult, split_books  # noqa: E402
from scripts.translations import translation_dir  # noqa: E402
from scripts.search_index import build_search_index  # noqa: E402
from scripts.settings import SettingsError, SiteSettings  # noqa: E402
from scripts.site_nav import build_nav  # noqa: E402

log = logging.getLogger("mkdocs.hooks.qa")
_background = ThreadPoolExecutor(max_workers=1)
KATEX_ASSETS = "assets/katex"


class _State:
    command = "build"  # "serve" previews; anything else publishes
    settings: SiteSettings
    result: SplitResult
    site_root: str = ""
    katex_assets: list[Path] = []
    math: katex.MathRenderer | None = None
    math_started: Future | None = None
    formulas = 0


state = _State()


def _language(config) -> tuple[str, str]:
    """(language being built, default language); ("zh", "zh") without mkdocs-static-i18n."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return "zh", "zh"
    return i18n.current_language or i18n.default_language, i18n.default_language


def _english_home(config) -> HomeText | None:
    i18n = config.plugins.get("i18n")
    english = next((lang for lang in i18n.config.languages if lang.locale == "en"), None) if i18n else None
    if english is None:
        return None
    return HomeText(english.site_name or config.site_name, english.site_description or "")


def on_startup(command, dirty):
    state.command = command


def on_config(config):
    """Runs once per language build (mkdocs-static-i18n rebuilds the site for each)."""
    language, default = _language(config)
    try:
        settings = SiteSettings.from_mkdocs(config.config_file_path, config.extra, config.site_url)
    except SettingsError as error:
        raise PluginError(str(error)) from None
    if state.command != "serve":  # serve shows the site at its own address
        config.site_url = settings.site_url
    _link_source(config, settings)
    config.extra["qa_strings"] = load_strings(language)["js"]  # main.html hands them to the scripts
    if language == default:
        state.site_root = config.site_dir
        if not settings.books:
            raise PluginError("no book to publish: set extra.qa.books in mkdocs.yml or QA_BOOKS")
        try:
            result = split_books(list(settings.books), images_dir=settings.images, source_root=settings.root,
                                 home_title=config.site_name, home_intro=config.site_description or "",
                                 english_home=_english_home(config), invite_edits=bool(settings.source_url))
        except BookError as error:
            raise PluginError("the book has errors:\n" + "\n".join(str(d) for d in error.diagnostics)) from None
        if result.missing_figures and state.command != "serve":
            raise PluginError(
                f"{len(result.missing_figures)} figure(s) the book links are missing, so the published site would show placeholders:\n"
                + "\n".join(f"  {d.location}: {d.message}" for d in result.missing_figures)
                + f"\nThe figures are the book owner's: copy them into {settings.images} (or point QA_IMAGES at their folder). "
                "`make serve` previews the site without them."
            )
        for diagnostic in result.diagnostics:
            (log.warning if diagnostic.severity == "warning" else log.info)(str(diagnostic))
        hand_written = _hand_written(settings)
        clashes = sorted(hand_written.keys() & result.site.files.keys())
        if clashes:
            raise PluginError(f"generated page(s) would hide docs/ files of the same name: {', '.join(clashes)}")
        try:
            assets = minify_assets(hand_written, settings.root / "build" / "minified")
        except MinifyError as error:
            raise PluginError(str(error)) from None
        write_tree(settings.pages, {**assets, **result.site.files})
        try:
            state.katex_assets = katex.copy_katex_assets(settings.root / "build" / "katex")
        except katex.MathRendererError as error:
            raise PluginError(str(error)) from None
        state.settings, state.result, state.formulas = settings, result, 0
    # Every plugin sees one ordinary docs folder: the generated pages plus docs/'s own files.
    config.docs_dir = str(state.settings.pages)
    config.nav = build_nav(state.result.books, language)
    # Node starts while MkDocs reads files and renders the first pages, off the critical path.
    state.math = katex.MathRenderer()
    state.math_started = _background.submit(state.math.start)
    return config


def _link_source(config, settings: SiteSettings) -> None:
    """The 纠错 links and the footer's repository link, or none at all when the repository is unknown."""
    config.extra.setdefault("qa", {})["source_url"] = settings.source_url
    config.extra["social"] = [{"icon": "material/github", "link": settings.repository, "name": "源码与题库"}] if settings.repository else []


def on_build_error(error):
    # A failed publishing build leaves no site behind that could be mistaken for a good one.
    if state.command != "serve" and state.site_root:
        clean_directory(state.site_root)


def _hand_written(settings: SiteSettings) -> dict[str, bytes]:
    """docs/ minus the theme overrides, to merge with the generated pages."""
    files = {}
    for path in sorted(settings.docs.rglob("*")):
        relative = path.relative_to(settings.docs).as_posix()
        if path.is_file() and not relative.startswith("overrides/"):
            files[relative] = path.read_bytes()
    return files


@event_priority(100)  # before mkdocs-redirects reads the pages it may redirect to
def on_files(files: Files, config) -> Files:
    settings = state.settings
    manifest = files.get_file_from_path("manifest.json")
    if manifest is not None:
        files.remove(manifest)  # the splitter's record, not part of the site
    for image in sorted({i for entry in state.result.site.manifest for i in entry["images"]} - _missing_images()):
        files.append(File.generated(config, image, abs_src_path=str(settings.images / image.removeprefix("imgs/"))))
    katex_dir = settings.root / "build" / "katex"
    for asset in state.katex_assets:  # copied once per build, in on_config; each language links them
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
    # Only the default language's URLs are locked so far; x.en.md pages are its English twins.
    live = {page_url(f.src_uri) for f in files.documentation_pages() if not f.src_uri.endswith(".en.md")}
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
    language = _language(config)[0]
    description = question_description(meta["title"], meta["chapter_short"], meta["answered"], html,
                                       language, answer_in_chinese=meta.get("translation") == "none")
    meta["description"] = Markup(escape(description))  # Material prints it unescaped
    meta["qa_title"] = page_title(meta["title"], meta["chapter_short"], config.site_name)
    data = question_json_ld(meta["title"], description, page.canonical_url or page.url, meta["answered"], meta["chapter"], language)
    # Raw UTF-8 is a third of Jinja's \\uXXXX escapes; escaping <, > and & keeps </script> out.
    text = json.dumps(data, ensure_ascii=False).replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    meta["qa_json_ld"] = Markup(text)


def _finish_build(config) -> None:
    language, default = _language(config)
    if language == default:
        site = Path(config.site_dir)
        anchors = old_anchor_map(state.result.site.manifest)
        (site / "assets" / "anchors.json").write_text(json.dumps(anchors, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        (site / "assets" / "questions.json").write_text(json.dumps(question_index(state.result.site.manifest), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        (site / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {config.site_url or ''}sitemap.xml\n", encoding="utf-8")
    if state.math is not None:
        state.math_started.exception()  # wait for a start still running; its error was reported by a page
        state.math.close()
        state.math = None
    if language != default:
        return
    log.info(f"rendered {state.formulas} formulas with KaTeX at build time")
    outdated = [e["slug"] for e in state.result.site.manifest if e["translation"] == "outdated"]
    if outdated:
        log.info(f"{len(outdated)} English answer(s) may be outdated (the Chinese answer changed since): {', '.join(outdated)}")


@event_priority(-200)  # after mkdocs-static-i18n (-100) has built every other language
def _index_site(config) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.building:
        return  # a nested language build; the outermost build indexes the whole site once
    build_search_index(Path(state.site_root), log=log)  # last: Pagefind reads the finished pages


on_post_build = CombinedEvent(_finish_build, _index_site)


def on_serve(server, config, builder):
    books = state.settings.books
    for path in [*books, *map(registry_path_for, books), *map(translation_dir, books), state.settings.images, state.settings.docs]:
        if path.exists():
            server.watch(str(path))
    return server


_HREFLANG_LINK = re.compile(r'<link rel="alternate" (href="[^"]*" hreflang=)')


def on_post_page(output: str, page, config) -> str:
    # Material fetches sitemap.xml beside every link[rel=alternate], taking them for language
    # roots; ours name this page in the other language. " alternate" is the same rel to HTML
    # and search engines (a token list) but not to Material's exact-match selector.
    output = _HREFLANG_LINK.sub(r'<link rel=" alternate" \1', output)
    if page.meta.get("qa_math"):  # KaTeX's stylesheet only where there is math
        href = get_relative_url(f"{KATEX_ASSETS}/katex.min.css", page.url)
        output = output.replace("</head>", f'<link rel="stylesheet" href="{href}">\n</head>', 1)
    return compact_html(output)
