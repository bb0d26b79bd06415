"""One site build, as MkDocs drives it: run the splitter before the build, hand its pages to
MkDocs, sanitise what they hold of the book, render math and index search after. The hook file only
wires MkDocs' events to an instance of SiteBuild; every decision lives here or in the steps
this module calls, and the state of a build lives on the instance.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup, escape
from mkdocs import utils as mkdocs_utils
from mkdocs.commands.build import build as build_site
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.utils import clean_directory, get_relative_url
from mkdocs_redirects.plugin import write_html as write_redirect

from scripts.book.identity import registry_path_for
from scripts.book.model import BookError
from scripts.book.translations import translation_dir
from scripts.emit.client_data import old_anchor_map, question_index
from scripts.emit.nav import book_downloads, book_shelf, build_nav
from scripts.emit.output import write_tree
from scripts.emit.page_meta import page_title, question_description, question_json_ld
from scripts.emit.pages import INTRO_END, INTRO_START, HomeText
from scripts.emit.redirects import RedirectClash, redirect_href, redirect_map, translated_redirects
from scripts.emit.url_lock import check_lock, lock_path_for, read_lock
from scripts.emit.urls import book_urls, download_path, is_translation, page_url
from scripts.emit.words import WordSegmenterError
from scripts.export import MissingAnswer, anki
from scripts.export.print_pdf import PrintError, print_books
from scripts.glue.language_builds import ONCE, LanguageChild, can_fork, merge_sitemaps, rewrite_sitemap
from scripts.glue.nav_memo import NavMemo
from scripts.glue.page_markdown import SharedMarkdown
from scripts.glue.serve import Rebuilds
from scripts.pipeline import SplitResult, split_books
from scripts.render import katex
from scripts.render.compact_html import compact_html
from scripts.render.crosslinks import link_first_mentions
from scripts.render.csp import add_content_security_policy
from scripts.render.figures import Figure, FigureError, prepare_figure, size_figures
from scripts.render.minify import MinifyError, minify_assets
from scripts.render.offline import publish as publish_offline
from scripts.render.sanitize import sanitize
from scripts.render.search_index import build_search_index
from scripts.settings import SettingsError, SiteSettings, figure_path
from scripts.strings import StringsError, load_strings

log = logging.getLogger("mkdocs.hooks.qa")
KATEX_ASSETS = "assets/katex"
GENERATED_KINDS = ("home", "book", "chapter", "section", "question")  # pages made from the book; docs/ pages are ours
_QUESTION_HEADING = re.compile(r"\s*<h[1-3]\s+id=", re.I)


def _language(config) -> tuple[str, str]:
    """(language being built, default language); ("zh", "zh") without mkdocs-static-i18n."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return "zh", "zh"
    return i18n.current_language or i18n.default_language, i18n.default_language


def _homes(config) -> dict[str, HomeText]:
    """Each language of the site with its home page text, the default (the book's own) first."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return {"zh": HomeText(config.site_name, config.site_description or "")}
    languages = sorted(i18n.config.languages, key=lambda lang: not lang.default)
    return {lang.locale: HomeText(lang.site_name or config.site_name, lang.site_description or config.site_description or "")
            for lang in languages if lang.build}


def _link_source(config, settings: SiteSettings, name: str) -> None:
    """The 纠错 links and the footer's repository link, or none at all when the repository is unknown."""
    config.extra.setdefault("qa", {})["source_url"] = settings.source_url
    config.extra["social"] = [{"icon": "material/github", "link": settings.repository, "name": name}] if settings.repository else []


def on_page_markdown(markdown: str, page, config, files) -> str:
    if "![" not in markdown and "<img" not in markdown:
        page.meta["glightbox"] = False  # no figure to zoom: spare the reader glightbox's 70 KB
    return markdown


def _describe_question(html: str, page, config) -> None:
    meta = page.meta
    language = _language(config)[0]
    description = question_description(meta["title"], meta["chapter_short"], meta["answered"], html,
                                       config.extra["qa_text"]["meta"], answer_in_source=meta.get("translation") == "none")
    meta["description"] = Markup(escape(description))  # Material prints it unescaped
    meta["qa_title"] = page_title(meta["title"], meta["chapter_short"], config.site_name)
    data = question_json_ld(meta["title"], description, page.canonical_url or page.url, meta["answered"], meta["chapter"], language)
    # Raw UTF-8 is a third of Jinja's \\uXXXX escapes; escaping <, > and & keeps </script> out.
    text = json.dumps(data, ensure_ascii=False).replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    meta["qa_json_ld"] = Markup(text)


_SOURCE_NOTICE = re.compile(r'<div class="admonition note qa-notice">.*?</div>', re.S)


def _in_the_books_language(html: str, language: str) -> str:
    """A translated page still showing the book's answer says which language that answer is in,
    so screen readers read it, and browsers shape its punctuation, as that language."""
    notice = _SOURCE_NOTICE.search(html)
    # The 相关题目 list after the answer is in the page's language: it stays outside.
    end = html.find('<div class="qa-related">', notice.end()) if notice else -1
    end = len(html) if end < 0 else end
    if notice is None or not html[notice.end():end].strip():
        return html
    return f'{html[: notice.end()]}<div lang="{language}">{html[notice.end():end]}</div>{html[end:]}'


def _intro_in_the_books_language(html: str, language: str) -> str:
    """A chapter's or section's intro in another language's tree (pages.intro_block) is one block
    in the book's language: from our first mark to our last, so marks the book wrote sit inside.
    The end mark stays, for the progress card (partials/practice.html)."""
    start, end = html.find(INTRO_START), html.rfind(INTRO_END)
    if start < 0 or end < start:
        return html
    inner = html[start + len(INTRO_START): end].replace(INTRO_START, "").replace(INTRO_END, "")
    return f'{html[:start]}<div lang="{language}">{inner}</div>{html[end:]}'


_HREFLANG_LINK = re.compile(r'<link rel="alternate" (href="[^"]*" hreflang=)')


_GLIGHTBOX_SCRIPT = re.compile(r'<script src="[^"]*/glightbox\.min\.js"></script>\s*')


def _glightbox_after_content(output: str) -> str:
    """mkdocs-glightbox puts its 56 KB script in <head>, where it blocks the first paint; it is
    only needed by its init script at the end of <body>, so it moves there, just before it."""
    script = _GLIGHTBOX_SCRIPT.search(output)
    init = output.find('<script id="init-glightbox">')
    if script is None or init < script.end():
        return output
    return output[: script.start()] + output[script.end(): init] + script.group().strip() + output[init:]


_HREFLANG_HREF = re.compile(r'href="[^"]*"(?= hreflang="([\w-]+)")')


def _language_links_to_homes(output: str, config) -> str:
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return output
    root = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
    homes = {lang.locale: root if lang.default else f"{root}{lang.locale}/" for lang in i18n.config.languages}
    return _HREFLANG_HREF.sub(lambda m: f'href="{homes.get(m.group(1), root)}"', output)


_NESTED_NAV = re.compile(
    r'(<nav class="md-nav" data-md-level="\d+") aria-labelledby="[^"]+"([^>]*>\s*<label class="md-nav__title"[^>]*>\s*(?:<span[^>]*></span>\s*)?)([^<]*?)(\s*</label>)'
)


def _name_nested_navs(output: str) -> str:
    """Material labels each nested <nav> by its toggle, which with navigation.indexes holds only
    an icon: every chapter's landmark is then nameless, and alike. Name it after its title."""
    return _NESTED_NAV.sub(lambda m: f'{m.group(1)} aria-label="{m.group(3).strip()}"{m.group(2)}{m.group(3)}{m.group(4)}', output)


def on_post_page(output: str, page, config, figures: Mapping[str, Figure]) -> str:
    if "<img" in output:
        output = size_figures(output, page.url, figures)
    output = _name_nested_navs(output)
    output = _glightbox_after_content(output)
    # Material fetches sitemap.xml beside every link[rel=alternate], taking them for language
    # roots; ours name this page in the other language. " alternate" is the same rel to HTML
    # and search engines (a token list) but not to Material's exact-match selector.
    output = _HREFLANG_LINK.sub(r'<link rel=" alternate" \1', output)
    if page.meta.get("qa_math"):  # KaTeX's stylesheet only where there is math
        href = get_relative_url(f"{KATEX_ASSETS}/katex.min.css", page.url)
        output = output.replace("</head>", f'<link rel="stylesheet" href="{href}">\n</head>', 1)
    return add_content_security_policy(compact_html(output))  # last: its hashes are of the final scripts


def on_post_template(output: str, template_name: str, config) -> str:
    if not template_name.endswith(".html"):  # sitemap.xml
        return output
    return add_content_security_policy(output)


class SiteBuild:
    def __init__(self):
        self.command = "build"  # "serve" previews; anything else publishes
        self.settings: SiteSettings | None = None
        self.result: SplitResult | None = None
        self.site_root = ""
        self.translated_redirects: dict[str, str] = {}  # other languages' old URLs → new ones
        self.katex_assets: list[Path] = []
        self.math: katex.MathRenderer | None = None
        self.math_started: Future | None = None
        self.formulas = 0
        self.reported: set[tuple[str, str]] = set()  # removals already named, once for all languages
        self._pool: ThreadPoolExecutor | None = None
        self.last_error: BaseException | None = None  # of the last failed build, for serve to show
        self.not_found_page: str | None = None
        self.figures: dict[str, Figure] = {}  # by book path ("imgs/a.png"), for every language's pages
        self.figure_copies: dict[str, dict[str, Path]] = {}
        # What the take-away files are made of, by (language, question key): each answered question's
        # body with its math still TeX and its site path, for the Anki decks; each question's content
        # as its page shows it, for the PDFs.
        self.anki_answers: dict[tuple[str, str], tuple[str, str]] = {}
        self.printable: dict[tuple[str, str], str] = {}
        self.homes: dict[str, HomeText] = {}
        self.markdown = SharedMarkdown()
        self.other_languages: LanguageChild | None = None  # building them while this process builds the book's language
        self.in_child = False  # this process is that child
        self.languages_joined = False
        self.sitemap = ""  # this process's sitemap.xml, the child's to be merged in

    def _background(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qa-math")
        return self._pool

    def on_startup(self, command, dirty):
        self.command = command

    def on_config(self, config):
        """Runs once per language build (mkdocs-static-i18n rebuilds the site for each)."""
        language, default = _language(config)
        self.markdown.forget()
        # The other languages are built on this same config, by then pointing docs_dir at the
        # generated pages and holding extra.qa.source_url: what it said at first stands for them.
        settings = self.settings
        if language == default:
            try:
                settings = SiteSettings.from_mkdocs(config.config_file_path, config.extra, config.site_url, docs_dir=config.docs_dir)
            except SettingsError as error:
                raise PluginError(str(error)) from None
        if self.command != "serve":  # serve shows the site at its own address
            config.site_url = settings.site_url
        try:
            text = load_strings(language, extra=settings.strings)
        except StringsError as error:
            raise PluginError(str(error)) from None
        config.extra["qa_text"] = text  # the templates' and page meta's words (scripts/strings/<language>.yml)
        # One 404.html serves every language (the last language build writes it): the book's language.
        config.extra["qa_not_found"] = load_strings(default, extra=settings.strings)["theme"]["not_found"]
        config.extra["qa_strings"] = text["js"]  # main.html hands them to the scripts
        _link_source(config, settings, text["theme"]["source_name"])
        if language == default:
            self.site_root = config.site_dir
            if not settings.books:
                raise PluginError("no book to publish: set extra.qa.books in mkdocs.yml or QA_BOOKS")
            try:
                result = split_books(list(settings.books), images_dir=settings.images, source_root=settings.root,
                                     home=_homes(config), strings=partial(load_strings, extra=settings.strings),
                                     invite_edits=bool(settings.source_url))
            except (StringsError, WordSegmenterError) as error:
                raise PluginError(str(error)) from None
            except BookError as error:
                raise PluginError("the book has errors:\n" + "\n".join(str(d) for d in error.diagnostics)) from None
            if result.missing_figures and self.command != "serve":
                raise PluginError(
                    f"{len(result.missing_figures)} figure(s) the book links are missing, so the published site would show placeholders:\n"
                    + "\n".join(f"  {d.location}: {d.message}" for d in result.missing_figures)
                    + f"\nThe figures are the book owner's: copy them into {settings.images} (or point QA_IMAGES at their folder). "
                    "`make serve` previews the site without them."
                )
            for diagnostic in result.diagnostics:
                (log.warning if diagnostic.severity == "warning" else log.info)(str(diagnostic))
            hand_written = {name: path.read_bytes() for name, path in settings.hand_written_files().items()}
            clashes = sorted(hand_written.keys() & result.site.files.keys())
            if clashes:
                raise PluginError(f"generated page(s) would hide docs/ files of the same name: {', '.join(clashes)}")
            try:
                assets = minify_assets(hand_written, settings.minified_cache)
            except MinifyError as error:
                raise PluginError(str(error)) from None
            write_tree(settings.pages, {**assets, **result.site.files})
            try:
                self.katex_assets = katex.copy_katex_assets(settings.katex_cache)
            except katex.MathRendererError as error:
                raise PluginError(str(error)) from None
            self.settings, self.result, self.formulas, self.reported = settings, result, 0, set()
            self.anki_answers = {}
            self.printable, self.homes = {}, _homes(config)  # the other language builds rename config.site_name
        # Every plugin sees one ordinary docs folder: the generated pages plus docs_dir's own files.
        config.docs_dir = str(self.settings.pages)
        config.nav = build_nav(self.result.books, self.result.languages[language])
        config.extra["qa_books"] = book_shelf(self.result.books, self.result.languages[language])  # none on a site of one book
        config.extra["qa_downloads"] = book_downloads(self.result.books, self.result.languages[language], pdf=self._prints_pdfs())
        config.extra["qa_nav"] = NavMemo()  # this language's sidebar entries, rendered once each
        self._stop_math()  # a build that failed midway left one running
        return config

    def _start_math(self) -> None:
        """Node starts while MkDocs reads the pages and renders the first ones, off the critical path;
        after the fork (on_files), so that each process has its own and no thread is running then."""
        self.math = katex.MathRenderer()
        self.math_started = self._background().submit(self.math.start)

    def _stop_math(self) -> None:
        if self.math is not None:
            self.math_started.exception()  # wait for a start still running, or it would outlive close()
            self.math.close()
            self.math = None

    def on_build_error(self, error):
        self.last_error = error
        self._stop_math()
        if self.in_child:
            return  # the parent hears of it and cleans up
        if self.other_languages is not None:
            self.other_languages.kill()
            self.other_languages = None
        # A failed publishing build leaves no site behind that could be mistaken for a good one.
        if self.command != "serve" and self.site_root:
            clean_directory(self.site_root)

    def on_post_template(self, output: str, template_name: str, config) -> str:
        """One 404.html serves the whole site, and every language build writes it: the book's
        language's stands, and its language links lead to each language's home, since no page
        is its counterpart."""
        if self.in_child and template_name in ("404.html", "sitemap.xml"):
            if template_name == "sitemap.xml":
                self.sitemap = output  # merged into the parent's, which knows the book's language's pages
            return ""  # MkDocs writes no empty template; the parent writes both
        if template_name == "sitemap.xml":
            self.sitemap = output
        if template_name == "404.html":
            language, default = _language(config)
            if language == default or self.not_found_page is None:
                self.not_found_page = _language_links_to_homes(output, config)
            output = self.not_found_page
        return on_post_template(output, template_name, config)

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        page.render = partial(self.markdown.render, page)  # MkDocs renders the page next, on our converter
        return on_page_markdown(markdown, page, config, files)

    def on_post_page(self, output: str, page, config) -> str:
        return on_post_page(output, page, config, self.figures)

    def on_shutdown(self):
        self._stop_math()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def on_files(self, files: Files, config) -> Files:
        settings = self.settings
        manifest = files.get_file_from_path("manifest.json")
        if manifest is not None:
            files.remove(manifest)  # the splitter's record, not part of the site
        for image in sorted(self.result.figures()):
            source = figure_path(settings.images, image)
            files.append(File.generated(config, image, abs_src_path=str(source)))
            if image not in self.figures:  # each language build publishes them; they are made once
                try:
                    self.figures[image], self.figure_copies[image] = prepare_figure(source, image, settings.cache / "figures")
                except FigureError as error:  # published as it is, as GitHub would; --strict refuses it
                    log.warning(str(error))
                    self.figure_copies[image] = {}
            for copy, cached in self.figure_copies[image].items():
                files.append(File.generated(config, copy, abs_src_path=str(cached)))
        for asset in self.katex_assets:  # copied once per build, in on_config; each language links them
            files.append(File.generated(config, f"{KATEX_ASSETS}/{asset.relative_to(settings.katex_cache).as_posix()}", abs_src_path=str(asset)))
        self._set_up_redirects(files, config)
        language, default = _language(config)
        others = self._languages_for_a_second_process(config) if language == default else []
        if others:
            log.info(f"building the '{', '.join(others)}' pages in a second process, beside the '{default}' pages")
            self.other_languages = LanguageChild.fork(partial(self._build_other_languages, config, others))
        self._start_math()
        return files

    def _languages_for_a_second_process(self, config) -> list[str]:
        """The languages a forked child builds beside this process, none when it cannot or must not."""
        i18n = config.plugins.get("i18n")
        if i18n is None or i18n.building or not self.settings.parallel or self.command == "serve":
            return []  # serve rebuilds in a process running its server's threads
        others = [code for code in i18n.build_languages if code != i18n.default_language]
        return others if others and can_fork() else []

    def _build_other_languages(self, config, languages: list[str]) -> dict:
        """In the forked child: every other language, as mkdocs-static-i18n's own loop would build it
        after the book's language (its on_post_build), into the folder the parent has cleaned."""
        self.in_child, self.other_languages = True, None
        self.math = self.math_started = self._pool = None  # the parent's; this process starts its own
        i18n = config.plugins["i18n"]
        default = _language(config)[1]
        i18n.building = True  # a nested build: the outermost indexes the site, once
        config.strict = False  # its warnings count where they are shown: in the parent
        mkdocs_utils.clean_directory = lambda path: None  # the parent is writing into it already
        for code in languages:
            i18n.current_language = code
            build_site(config)
        return {"printable": {key: html for key, html in self.printable.items() if key[0] != default}, "sitemap": self.sitemap}

    def join_languages(self, config) -> None:
        """After the book's language: wait for the child building the others, show what it logged,
        take what it left for the PDFs, and write the sitemap of every language."""
        if self.other_languages is None:
            return
        child, self.other_languages = self.other_languages, None
        outcome = child.join()
        for record in outcome.records:
            record.replay(self.reported)
        if outcome.error is not None:
            raise PluginError(f"building the site's other languages failed: {outcome.error}")
        self.printable.update(outcome.result["printable"])
        rewrite_sitemap(Path(config.site_dir), merge_sitemaps(self.sitemap, outcome.result["sitemap"]))
        config.plugins["i18n"].building = True  # its loop (on_post_build, next) would build them again
        self.languages_joined = True

    def _set_up_redirects(self, files: Files, config) -> None:
        """Feed renamed slugs to mkdocs-redirects, then hold every book to its URL lock."""
        plugin_map = config.plugins["redirects"].config["redirect_maps"]
        locks = {book.path: read_lock(lock_path_for(book.path)) for book in self.result.books}
        try:
            ours = redirect_map(self.result.books, locks)
        except RedirectClash as error:
            raise PluginError(str(error)) from None
        redirects = {**plugin_map, **ours}
        plugin_map.update(ours)
        if self.in_child:  # the parent writes them: the same file made by two processes at once collides
            plugin_map.clear()
        self.translated_redirects = translated_redirects(ours, list(self.result.languages)[1:])
        reused = sorted(old for old in redirects if files.get_file_from_path(old) is not None)
        if reused:
            raise PluginError(f"a former slug is a live page again, so its redirect cannot be written: {', '.join(reused)}")
        # Only the default language's URLs are locked so far; x.<code>.md pages are its translations.
        translated = tuple(language.suffix for language in self.result.languages.values() if not language.is_default)
        live = {page_url(f.src_uri) for f in files.documentation_pages() if not is_translation(f.src_uri, translated)}
        redirected = {page_url(old) for old in redirects}
        for book in self.result.books:
            lock = lock_path_for(book.path)
            if not lock.exists():
                log.info(f"{book.path.name}: no URL lock yet ({lock.name}); create it with: make urls")
                continue
            report = check_lock(locks[book.path], live, redirected)
            if report.vanished:
                raise PluginError(
                    f"{lock}: published URL(s) would break: {', '.join(report.vanished)}. "
                    "If a slug changed, keep the old one under `formerly:` in the registry so it redirects."
                )
            mine = set(book_urls(book))
            for url in report.unlisted:
                if url in mine:
                    log.warning(f"{lock}: new URL {url} is not in the lock; run: make urls")

    def sanitize_content(self, html: str, page, config, files) -> str:
        """Before any plugin reads the page body: the book's HTML as GitHub would show it."""
        if page.meta.get("kind") not in GENERATED_KINDS:
            return html
        result = sanitize(html)
        for removal in result.removed:
            where = self._removal_location(page, config, removal.needle)
            if (where, removal.what) not in self.reported:
                self.reported.add((where, removal.what))
                log.warning(f"{where}: removed {removal.what}, which GitHub does not show either", extra={ONCE: (where, removal.what)})
        return result.html

    def _removal_location(self, page, config, needle: str) -> str:
        """The book line holding `needle` (what was removed, a formula's TeX): the first line of the
        question's answer that mentions it, else the question's heading; a page not made from one
        question, its own file."""
        meta = page.meta
        if not meta.get("source") or not meta.get("line"):
            return page.file.src_uri
        book = self.settings.root / meta["source"]
        path, first = book, int(meta["line"])
        if meta.get("translation") in ("current", "outdated"):  # the answer is the translator's file
            path, first = translation_dir(book, _language(config)[0]) / f"{meta['slug']}.md", 1
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return f"{path}:{first}"
        needle = needle.lower()
        for number in range(first, len(lines) + 1):
            text = lines[number - 1]
            if number > first and _QUESTION_HEADING.match(text):
                break
            if needle in text.lower():
                return f"{path}:{number}"
        return f"{path}:{first}"

    def on_page_content(self, html: str, page, config, files) -> str:
        if page.meta.get("kind") == "question":
            html = link_first_mentions(html, self.result.mentions.get(page.meta.get("key") or page.meta["slug"], []))
            _describe_question(html, page, config)
            if page.meta.get("translation") == "none":
                html = _in_the_books_language(html, _language(config)[1])
            self._keep_for_anki(html, page, config)
        elif page.meta.get("kind") in ("chapter", "section"):
            html = _intro_in_the_books_language(html, _language(config)[1])
        if "arithmatex" not in html:
            return self._keep_for_print(html, page, config)
        try:
            self.math_started.result()
        except katex.MathRendererError as error:
            raise PluginError(str(error)) from None
        rendered = katex.render_math_in_html(html, self.math)
        for error, tex in zip(rendered.errors, rendered.failed_tex, strict=True):
            needle = next((line.strip() for line in tex.split("\n") if line.strip()), tex)
            where = self._removal_location(page, config, needle)
            if (where, error) not in self.reported:  # once, though every language's page shows it
                self.reported.add((where, error))
                log.warning(f"{where}: KaTeX cannot render {' '.join(error.split())}; it is shown as its TeX source", extra={ONCE: (where, error)})
        self.formulas += rendered.count
        page.meta["qa_math"] = True
        return self._keep_for_print(rendered.html, page, config)

    def _prints_pdfs(self) -> bool:
        return self.settings.pdf and self.command != "serve"  # serve previews pages; printing waits for a build

    def _keep_for_print(self, html: str, page, config) -> str:
        """The PDFs print each question as its page shows it: this content is sanitized, linked and
        its math rendered, with none of the page's chrome, so nothing is parsed back out of the
        finished pages (scripts/export/pdf_document.py makes its links work from a PDF)."""
        if page.meta.get("kind") == "question" and self._prints_pdfs():
            # Figures as the page gives them (srcset): Chromium prints the width the column needs, not the original.
            printable = size_figures(html, page.url, self.figures) if "<img" in html else html
            self.printable[(_language(config)[0], page.meta.get("key") or page.meta["slug"])] = printable
        return html

    def _keep_for_anki(self, html: str, page, config) -> None:
        """An answered question's body as the site shows it, with its math still TeX (KaTeX
        renders it next): the Anki deck's back of the card (scripts/export/anki.py)."""
        if page.meta.get("answered"):
            self.anki_answers[(_language(config)[0], page.meta.get("key") or page.meta["slug"])] = (html, page.url)

    def _write_anki_decks(self, language: str, default: str) -> None:
        """Each book's deck in `language`, where the 带走 block links it (scripts/emit/nav.py book_downloads)."""
        answers = {key: answer for (code, key), answer in self.anki_answers.items() if code == language}
        for book in self.result.books:
            try:
                notes = anki.book_notes(book, self.result.languages[language], default, answers, self.settings.site_url)
            except MissingAnswer as error:
                raise PluginError(str(error)) from None
            target = Path(self.site_root) / download_path(book, "anki", self.result.languages[language].suffix)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(anki.deck_text(notes), encoding="utf-8")

    def finish_language(self, config) -> None:
        language, default = _language(config)
        self._write_anki_decks(language, default)
        if language == default:
            site = Path(config.site_dir)
            anchors = old_anchor_map(self.result.site.manifest)
            (site / "assets" / "anchors.json").write_text(json.dumps(anchors, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            (site / "assets" / "questions.json").write_text(json.dumps(question_index(self.result.site.manifest), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            (site / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {config.site_url or ''}sitemap.xml\n", encoding="utf-8")
            for old, new in self.translated_redirects.items():  # every language's tree is built by now
                write_redirect(str(site), f"{old}index.html", redirect_href(old, new))
        self._stop_math()
        if language != default:
            return
        log.info(f"rendered {self.formulas} formulas with KaTeX at build time")
        for code in list(self.result.languages)[1:]:
            outdated = [e.slug for e in self.result.site.manifest if e.translations[code] == "outdated"]
            if outdated:
                log.info(f"{len(outdated)} answer(s) in '{code}' may be outdated (the book's answer changed since): {', '.join(outdated)}")
        self.join_languages(config)  # before mkdocs-static-i18n's on_post_build (-100) would build them again

    def index_site(self, config) -> None:
        i18n = config.plugins.get("i18n")
        if self.languages_joined:
            i18n.building, self.languages_joined = False, False
        elif i18n is not None and i18n.building:
            return  # a nested language build; the outermost build indexes the whole site once
        build_search_index(Path(self.site_root), log=log)  # Pagefind reads the finished pages
        if self._prints_pdfs():
            self._print_pdfs(config)  # the PDFs load the finished site's figures and fonts
        publish_offline(Path(self.site_root), urlsplit(config.site_url or "/").path, list(self.result.languages),  # last: the worker lists the site's files
                        partial(load_strings, extra=self.settings.strings), book_folders=[book.folder for book in self.result.books],
                        preview=self.command == "serve", log=log)

    def _print_pdfs(self, config) -> None:
        site, started = Path(self.site_root), time.perf_counter()
        try:
            printed = print_books(site, self.result.books, self.result.languages, self.printable,
                                  site_names={code: home.title for code, home in self.homes.items()}, site_url=self.settings.site_url,
                                  built_on=time.strftime("%Y-%m-%d", time.gmtime()))
        except (MissingAnswer, PrintError) as error:
            raise PluginError(str(error)) from None
        log.info(f"printed {len(printed)} PDF(s) in {time.perf_counter() - started:.1f} s (one Chromium): "
                 + ", ".join(f"{p.target.relative_to(site).as_posix()} {p.size / 1e6:.1f} MB in {p.seconds:.1f} s" for p in printed))

    def on_serve(self, server, config, builder):
        books = self.settings.books
        translations = [translation_dir(book, code) for book in books for code in list(self.result.languages)[1:]]
        for path in [*books, *map(registry_path_for, books), *translations, self.settings.images, self.settings.docs]:
            if path.exists():
                server.watch(str(path))
        rebuilds = Rebuilds(server.builder, Path(config.site_dir), self.settings.cache / "serve-last-good", self._failure)
        rebuilds.keep()  # the first build, made before serving started, is the first good one
        server.builder = rebuilds
        return server

    def _failure(self) -> str:
        error, self.last_error = self.last_error, None  # a failure outside the build leaves none
        return str(error) if error is not None else ""
