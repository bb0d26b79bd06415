"""The hook MkDocs loads (mkdocs.yml, `hooks:`): it only wires MkDocs' events to one SiteBuild.

Everything the build decides lives in scripts/glue/site_build.py and the steps it calls.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.plugins import CombinedEvent, event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # hooks are loaded by path, not as a package

from scripts.glue import site_build  # noqa: E402

build = site_build.SiteBuild()


def on_startup(command, dirty):
    build.on_startup(command, dirty)


def on_config(config):
    return build.on_config(config)


@event_priority(100)  # before mkdocs-redirects reads the pages it may redirect to
def on_files(files, config):
    return build.on_files(files, config)


def on_page_markdown(markdown, page, config, files):
    return build.on_page_markdown(markdown, page, config, files)


@event_priority(100)  # the book's HTML is made safe before any plugin reads it (glightbox copies img attributes)
def _sanitize_content(html, page, config, files):
    return build.sanitize_content(html, page, config, files)


def _render_content(html, page, config, files):
    return build.on_page_content(html, page, config, files)


on_page_content = CombinedEvent(_sanitize_content, _render_content)


def on_post_page(output, page, config):
    return build.on_post_page(output, page, config)


def on_post_template(output_content, template_name, config):
    return build.on_post_template(output_content, template_name, config)


def _finish_language(config):
    build.finish_language(config)


@event_priority(-200)  # after mkdocs-static-i18n (-100) has built every other language
def _index_site(config):
    build.index_site(config)


on_post_build = CombinedEvent(_finish_language, _index_site)


def on_serve(server, config, builder):
    return build.on_serve(server, config, builder)


def on_build_error(error):
    build.on_build_error(error)


def on_shutdown():
    build.on_shutdown()
