"""Pages rendered by one Markdown converter per language build, reset between pages.

MkDocs 1.6's Page.render builds a new `markdown.Markdown` for every page: it loads and configures
every extension again (on a site of many books, a tenth of the build). A converter that is reset
between documents gives the same HTML (Python-Markdown's documented way to convert several
documents: every extension that keeps state clears it in its `reset`). What MkDocs adds per page
is added anew for each page, as Page.render does, with the same names and priorities: the raw-HTML
anchor collector, the anchor extractor, the link rewriter (_RelativePathTreeprocessor) and the
title extractor, so links, anchors, titles and the table of contents come out as before.
"""

from __future__ import annotations

import logging

import markdown
from mkdocs.structure.pages import (
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.toc import get_toc

log = logging.getLogger("mkdocs.structure.pages")  # MkDocs' own, whose level decides links_to_anchors


class SharedMarkdown:
    """One converter for the pages of one configuration; `render(page, config, files)` stands in
    for `page.render(config, files)`."""

    def __init__(self):
        self._converter: markdown.Markdown | None = None
        self._made_for: tuple | None = None

    def forget(self) -> None:
        """A new build (or language) begins: its configuration may differ."""
        self._converter, self._made_for = None, None

    def _converter_for(self, config) -> markdown.Markdown:
        made_for = (id(config), list(config["markdown_extensions"]), id(config["mdx_configs"]))
        if self._converter is None or made_for != self._made_for:
            self._converter = markdown.Markdown(extensions=config["markdown_extensions"],
                                                extension_configs=config["mdx_configs"] or {})
            self._made_for = made_for
        return self._converter.reset()

    def render(self, page, config, files) -> None:
        """mkdocs.structure.pages.Page.render (MkDocs 1.6), on the shared converter."""
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = self._converter_for(config)
        raw_html_ext = _RawHTMLPreprocessor()
        raw_html_ext._register(md)
        extract_anchors_ext = _ExtractAnchorsTreeprocessor(page.file, files, config)
        extract_anchors_ext._register(md)
        relative_path_ext = _RelativePathTreeprocessor(page.file, files, config)
        relative_path_ext._register(md)
        extract_title_ext = _ExtractTitleTreeprocessor()
        extract_title_ext._register(md)

        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = extract_title_ext.title
        page.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
        if log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative_path_ext.links_to_anchors
