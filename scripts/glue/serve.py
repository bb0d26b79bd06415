"""`mkdocs serve`'s rebuilds, made to fail in the open.

MkDocs leaves a browser waiting forever while a rebuild is broken, and its duplicate filter
prints a repeated error only once ("Aborted with a BuildError!" is all that is left). Here a
failed rebuild says why every time, and the last good site is served again with a banner
that names the error, until a rebuild succeeds.
"""

from __future__ import annotations

import html
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

from mkdocs.utils import clean_directory

log = logging.getLogger("mkdocs.hooks.qa")
BANNER_CLASS = "qa-build-error"


class Rebuilds:
    def __init__(self, build: Callable[[], None], site: Path, last_good: Path, reason: Callable[[], str]):
        self.build, self.site, self.last_good, self.reason = build, site, last_good, reason
        self.failures = 0

    def keep(self) -> None:
        """Copy the site as it is now: what a failed rebuild falls back to."""
        staging = self.last_good.with_name(self.last_good.name + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(self.site, staging)
        shutil.rmtree(self.last_good, ignore_errors=True)
        staging.rename(self.last_good)

    def __call__(self) -> None:
        try:
            self.build()
        except Exception as error:  # noqa: BLE001 - every failure of a rebuild is reported, none ends serve
            self.failures += 1
            reason = self.reason() or str(error)
            log.error(f"rebuild failed (#{self.failures}): {reason}\n"
                      "Serving the last good build, with a banner, until the next rebuild succeeds.")
            self._serve_last_good(reason)
        else:
            self.keep()

    def _serve_last_good(self, reason: str) -> None:
        if not self.last_good.is_dir():
            return
        clean_directory(str(self.site))
        shutil.copytree(self.last_good, self.site, dirs_exist_ok=True)
        banner = (f'<div class="{BANNER_CLASS}" role="alert" style="position:fixed;inset:auto 0 0 0;z-index:9;padding:.6em 1em;'
                  f'background:#b00020;color:#fff;font:14px/1.4 monospace;white-space:pre-wrap">'
                  f"Build failed, showing the last good build:\n{html.escape(reason)}</div>")
        for page in self.site.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            page.write_text(text.replace("</body>", banner + "</body>", 1), encoding="utf-8")
