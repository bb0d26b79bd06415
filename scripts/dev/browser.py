"""What the browser tests and the benchmarks share: Debian's Chromium and one static server.

The server behaves like the static host the site is published on: it serves under the path of
`site_url` (a project site lives at /<repository>/) and answers anything missing with the
site's 404.html.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def chromium_executable() -> str:
    """QA_CHROMIUM (e.g. a runner's preinstalled google-chrome), else Debian's chromium."""
    return os.environ.get("QA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


CHROMIUM = chromium_executable()
# Headless in a sandbox with no network but the registries: no background connections to refuse.
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def launch_chromium(playwright, executable: str | None = None):
    return playwright.chromium.launch(executable_path=executable or CHROMIUM, args=LAUNCH_ARGS)


class _SiteHandler(SimpleHTTPRequestHandler):
    prefix = "/"

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # Chromium drops connections it no longer needs


class StaticSite:
    """`directory` served on a free loopback port under `prefix`; `url` ends with "/"."""

    def __init__(self, directory: Path, prefix: str = "/"):
        handler = type("Handler", (_SiteHandler,), {"prefix": prefix})
        self.httpd = _QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{prefix}"

    def close(self):
        self.httpd.shutdown()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
