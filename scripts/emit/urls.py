"""The URL scheme, in one place: where every page of the model lives, per language.

Pages are markdown source paths in the generated docs folder ("sd15/x.md", and "sd15/x.en.md"
for a translation, mkdocs-static-i18n's suffix layout); MkDocs publishes each at a directory
URL ("sd15/x/", "en/sd15/x/"). A site of several books gives each its folder
("<book>/sd15/x.md", with the book's home at "<book>/index.md"); a site of one book publishes it at
the root, with the URLs it always had (`place_books`). Slugs come from the registry; nothing else in the project
writes a path or URL of a page by hand, and the browser gets URLs as data.
"""

from __future__ import annotations

import posixpath

from scripts.book.model import Book, Chapter, Question, Section

# Top-level folders the site itself uses; a chapter slug must not shadow them.
RESERVED_SLUGS = frozenset({"assets", "imgs", "search", "en", "404", "sitemap", "stylesheets", "javascripts", "pagefind", "about", "review", "downloads", "offline"})


def place_books(books: list[Book]) -> None:
    """One book is the whole site, at the root; several each live under their slug."""
    for book in books:
        book.folder = book.slug if len(books) > 1 else ""


def _folder(chapter: Chapter) -> str:
    return chapter.book.folder if chapter.book is not None else ""


def home_path(suffix: str = "") -> str:
    return f"index{suffix}.md"


def book_path(book: Book, suffix: str = "") -> str:
    """A book's home page; on a site of one book, the site's home is the book's."""
    return book_path_of(book.folder, suffix)


def review_path(suffix: str = "") -> str:
    """The review page: the questions this reader's schedule says are due (review.js)."""
    return f"review/index{suffix}.md"


DOWNLOADS = "downloads"  # the site's folder of files to take away: a book's PDF and its Anki deck


def download_path(book: Book, kind: str, suffix: str = "") -> str:
    """A file of one book in one language, published as it is (not a page): `kind` is "pdf" or
    "anki" (Anki's text import, a .txt file); `suffix` is the language's (".en"), "" for the book's own.
    Named after the book's slug, so a site of several books keeps them apart in one folder."""
    extension = {"pdf": ".pdf", "anki": ".anki.txt"}[kind]
    return f"{DOWNLOADS}/{book.slug}{suffix}{extension}"


def to_site_root(page: str) -> str:
    """The relative way from a page to the site's root, where the books' figures are published
    (imgs/<file>, shared by every book): "../" for "sd15/x.md", "../../" for "<book>/sd15/x.md"."""
    return "../" * page.count("/")


def chapter_path(chapter: Chapter, suffix: str = "") -> str:
    return chapter_path_of(chapter.slug, suffix, _folder(chapter))


def section_path(chapter: Chapter, section: Section, suffix: str = "") -> str:
    return section_path_of(chapter.slug, section.slug, suffix, _folder(chapter))


def question_path(question: Question, suffix: str = "") -> str:
    return question_path_of(question.chapter.slug, question.slug, suffix, _folder(question.chapter))


# The same, from slugs alone: what a page was published as under a former slug, or in another
# layout (a book's folder "" is the root, where a site of one book has it).
def _in(folder: str, path: str) -> str:
    return f"{folder}/{path}" if folder else path


def book_path_of(folder: str, suffix: str = "") -> str:
    return _in(folder, f"index{suffix}.md")


def chapter_path_of(chapter: str, suffix: str = "", folder: str = "") -> str:
    return _in(folder, f"{chapter}/index{suffix}.md")


def section_path_of(chapter: str, section: str, suffix: str = "", folder: str = "") -> str:
    return _in(folder, f"{chapter}/{section}/index{suffix}.md")


def question_path_of(chapter: str, question: str, suffix: str = "", folder: str = "") -> str:
    return _in(folder, f"{chapter}/{question}{suffix}.md")


def question_key(question: Question) -> str:
    """What practice marks are kept under in the browser: the slug, which is unique in its book;
    with several books, `<book>/<slug>`, so two books' slugs never share a mark."""
    return _in(_folder(question.chapter), question.slug)


def chapter_key(chapter: Chapter) -> str:
    return _in(_folder(chapter), chapter.slug)


def link_between(source: str, target: str) -> str:
    """The relative markdown link from the page at `source` to the page at `target`."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def url_between(source: str, target: str) -> str:
    """The relative URL from the page at `source` to the page at `target` (source paths), as
    published: for links written into rendered HTML, which MkDocs no longer rewrites."""
    return posixpath.relpath(page_url(target), page_url(source)) + "/"


def page_url(source_path: str) -> str:
    """'sd15/index.md' → 'sd15/', 'sd15/x.md' → 'sd15/x/' (directory URLs)."""
    stem = source_path.removesuffix(".md")
    return stem.removesuffix("index") if stem.endswith("/index") or stem == "index" else stem + "/"


def question_url(question: Question) -> str:
    return page_url(question_path(question))


def is_translation(source_path: str, suffixes: tuple[str, ...]) -> bool:
    """A page in one of the other languages, whose file suffixes (".en") are given."""
    return bool(suffixes) and source_path.removesuffix(".md").endswith(suffixes)


def book_urls(book: Book) -> list[str]:
    """Every URL a book publishes in the default language, in book order: what the lock holds."""
    urls = [page_url(book_path(book))] if book.folder else []
    for chapter in book.chapters:
        urls.append(page_url(chapter_path(chapter)))
        urls += [page_url(section_path(chapter, section)) for section in chapter.sections]
        urls += [question_url(question) for question in chapter.questions]
    return urls
