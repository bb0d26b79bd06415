"""The sidebar's entries outside the path to the page being read, rendered once per language build.

With navigation.prune, a page's sidebar differs from its neighbour's only along the path to the
page itself: every other entry (the home page, the book's other chapters folded, the chapter's
other questions) is the same markup but for its links, which are relative to the page. So
partials/nav-item.html renders an entry that is not active once for each place it is seen from,
and reuses it: the key is the entry, its position (the toggle ids come from it) and where the
page stands. Pages in one folder see every other page by the same relative link unless a page of
the navigation lies under theirs (a page's own link is in its active entry, never reused); those
pages (the home, a book, a chapter) stand on their own.
"""

from __future__ import annotations

from collections.abc import Callable

from jinja2 import Undefined


class NavMemo:
    """Held by config.extra.qa_nav for one language build; partials/nav-item.html calls `once`."""

    def __init__(self):
        self._has_pages_under: set[str] | None = None
        self._html: dict[tuple, str] = {}
        self._kept: list[tuple] = []  # the entries keyed by id(): alive while their ids are keys

    def _standpoint(self, page, nav) -> tuple[str, str]:
        """What an entry's relative links depend on: the page's folder, or the page itself when
        pages of the navigation lie under it."""
        if self._has_pages_under is None:
            self._has_pages_under = set()
            for other in nav.pages:
                parts = other.url.rstrip("/").split("/")
                self._has_pages_under.update("/".join(parts[:depth]) + "/" if depth else "" for depth in range(len(parts)))
        url = page.url if page is not None else ""
        if url in self._has_pages_under or not url.endswith("/"):
            return ("page", url)
        return ("folder", url.rstrip("/").rpartition("/")[0])

    def once(self, render: Callable[..., str], nav_item, path: str, level: int, parent, page, nav) -> str:
        above = None if isinstance(parent, Undefined) else parent  # a top-level entry has none
        key = (id(nav_item), path, level, id(above), self._standpoint(page, nav))
        html = self._html.get(key)
        if html is None:
            html = self._html[key] = render(nav_item, path, level, parent)
            self._kept.append((nav_item, above))
        return html
