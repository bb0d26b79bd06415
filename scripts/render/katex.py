"""Build-time math: arithmatex placeholders → KaTeX HTML, plus KaTeX's CSS and fonts to self-host.

Pages must show formulas without JavaScript and without fetching anything from another
origin, so KaTeX runs here, at build time, in one long-lived Node process
(`js/render-math.mjs`), and the site only ships KaTeX's stylesheet and woff2 fonts.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

JS_DIR = Path(__file__).resolve().parents[1] / "js"
RENDER_SCRIPT = JS_DIR / "render-math.mjs"
KATEX_DIST = JS_DIR / "node_modules" / "katex" / "dist"
INSTALL_HINT = "run `npm ci --prefix scripts/js`"


class MathRendererError(RuntimeError):
    """The KaTeX renderer broke or gave an answer we cannot use."""


class MathRendererUnavailable(MathRendererError):
    """Node.js or the katex npm package is not installed."""


@dataclass(frozen=True)
class RenderedFormula:
    html: str | None  # None when KaTeX refused the TeX
    error: str | None
    warnings: tuple[str, ...] = ()


@dataclass
class MathResult:
    html: str
    count: int = 0  # formulas found, whether or not they rendered
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failed_tex: list[str] = field(default_factory=list)  # the TeX of each error, in order, to find its book line


class MathRenderer:
    """One Node process running KaTeX, shared by every page of a build; results are cached."""

    def __init__(self, *, node: str = "node", script: Path = RENDER_SCRIPT) -> None:
        self._node = node
        self._script = Path(script)
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr = None
        self._cache: dict[tuple[str, bool], RenderedFormula] = {}
        self.katex_version: str | None = None
        self.requests_sent = 0

    def __enter__(self) -> MathRenderer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self) -> None:
        if self._process is not None:
            return
        node = shutil.which(self._node)
        if node is None:
            raise MathRendererUnavailable(f"Node.js ({self._node!r}) not found on PATH; install Node.js 20+, then {INSTALL_HINT}.")
        if not self._script.is_file():
            raise MathRendererUnavailable(f"KaTeX render script {self._script} is missing.")
        # A file, not a pipe: nobody reads stderr while rendering, and a full pipe would stall node.
        self._stderr = tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen(
                [node, str(self._script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr
            )
        except OSError as err:
            self.close()
            raise MathRendererUnavailable(f"cannot start {node}: {err}; {INSTALL_HINT}.") from None
        try:
            hello = self._read_message()
        except MathRendererError:
            hello = None  # something other than our script answered; report it like a failed start
        if not hello or not hello.get("ready"):
            detail = self._stderr_tail() or "no output"
            self.close()
            hint = "" if "npm ci" in detail else f"; {INSTALL_HINT}"
            raise MathRendererUnavailable(f"KaTeX renderer did not start: {detail}{hint}")
        self.katex_version = hello.get("katex")

    def close(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            # The pipe may already be broken if node died; closing must still finish the cleanup.
            with contextlib.suppress(OSError):
                process.stdin.close()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def render(self, tex: str, display: bool) -> RenderedFormula:
        key = (tex, display)
        if key in self._cache:
            return self._cache[key]
        self.start()
        request_id = self.requests_sent
        self.requests_sent += 1
        line = json.dumps({"id": request_id, "tex": tex, "display": display}) + "\n"
        try:
            self._process.stdin.write(line.encode("utf-8"))
            self._process.stdin.flush()
        except BrokenPipeError:
            raise MathRendererError(f"KaTeX renderer exited: {self._stderr_tail() or 'no output'}") from None
        response = self._read_message()
        if response is None:
            raise MathRendererError(f"KaTeX renderer exited: {self._stderr_tail() or 'no output'}")
        if response.get("id") != request_id:
            raise MathRendererError(f"KaTeX renderer answered request {response.get('id')!r}, expected {request_id}")
        result = RenderedFormula(response.get("html"), response.get("error"), tuple(response.get("warnings") or ()))
        if result.html is None and result.error is None:
            raise MathRendererError(f"KaTeX renderer returned neither html nor error for request {request_id}")
        self._cache[key] = result
        return result

    def _read_message(self) -> dict | None:
        # Bytes, not text mode: text mode would also split lines at U+2028 and friends.
        line = self._process.stdout.readline()
        if not line:
            return None
        try:
            return json.loads(line.decode("utf-8"))
        except ValueError as err:
            raise MathRendererError(f"KaTeX renderer sent an unreadable line ({err}): {line[:200]!r}") from None

    def _stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        if self._process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=2)  # let a dying node finish writing its message
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        return " | ".join(lines[-3:])


# pymdownx.arithmatex (generic: true) output. Its TeX is HTML-escaped, so a closing tag can
# only be the element's own.
_ARITHMATEX = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>', re.DOTALL)
_DELIMITERS = {("\\(", "\\)"): False, ("\\[", "\\]"): True}


def _excerpt(tex: str, limit: int = 80) -> str:
    flat = " ".join(tex.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def render_math_in_html(page_html: str, renderer: MathRenderer) -> MathResult:
    """Replace every arithmatex formula in `page_html` with KaTeX HTML + MathML.

    A formula KaTeX cannot parse stays visible as its TeX source and is listed in `errors`.
    Already rendered HTML is left alone, so running this twice changes nothing.
    """
    result = MathResult(html=page_html)

    def replace(match: re.Match[str]) -> str:
        body = html.unescape(match["body"]).strip()
        display = _DELIMITERS.get((body[:2], body[-2:]))
        if display is None:
            return match[0]  # not a TeX placeholder: KaTeX output from an earlier pass, or foreign markup
        tex = body[2:-2]
        result.count += 1
        rendered = renderer.render(tex, display)
        where = f"{'display' if display else 'inline'} math `{_excerpt(tex)}`"
        result.warnings.extend(f"{where}: {warning}" for warning in rendered.warnings)
        if rendered.error is not None:
            result.errors.append(f"{where}: {rendered.error}")
            result.failed_tex.append(tex)
            # Shown as its source, where the formula stands: a display one stays a block of its own.
            shown = html.escape(f"$${tex}$$" if display else f"${tex}$", quote=False)
            tag = "div" if display else "span"
            return f'<{tag} class="arithmatex qa-math-error" title="{html.escape(rendered.error)}"><code>{shown}</code></{tag}>'
        # The wrapper is what math.css makes scroll sideways when a display formula is too wide.
        return f'<{match["tag"]} class="arithmatex">{rendered.html}</{match["tag"]}>'

    result.html = _ARITHMATEX.sub(replace, page_html)
    return result


_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_FONT_SRC = re.compile(r"(?<![-\w])src\s*:(?P<sources>[^;}]*)")
_FONT_SOURCE = re.compile(r"url\((?P<url>[^)]*)\)\s*format\([^)]*\)")
_CSS_URL = re.compile(r"url\(\s*(?P<url>[^)]*?)\s*\)")
_SHIPPED_FONT_URL = re.compile(r"fonts/[\w.-]+\.woff2")


def _woff2_only(css: str) -> str:
    """KaTeX's CSS with every @font-face `src` cut down to its woff2 source.

    We ship only woff2 (every browser we support reads it); leaving the .woff/.ttf
    fallbacks in would point at files that are not on the site.
    """

    def trim_sources(src: re.Match[str]) -> str:
        woff2 = [
            source[0] for source in _FONT_SOURCE.finditer(src["sources"]) if source["url"].strip("'\"").endswith(".woff2")
        ]
        if not woff2:
            raise MathRendererError(f"KaTeX font rule without a woff2 source: {src[0]}")
        return "src:" + ",".join(woff2)

    trimmed = _FONT_FACE.sub(lambda face: _FONT_SRC.sub(trim_sources, face[0]), css)
    # Anything else (a .woff left over, an absolute URL) means KaTeX's CSS changed shape under us.
    unexpected = [url for url in _css_urls(trimmed) if not _SHIPPED_FONT_URL.fullmatch(url)]
    if unexpected:
        raise MathRendererError(f"KaTeX CSS references files we do not ship: {unexpected}")
    return trimmed


def _css_urls(css: str) -> list[str]:
    return [match["url"].strip("'\"") for match in _CSS_URL.finditer(css)]


def copy_katex_assets(dest_dir: Path) -> list[Path]:
    """Write `katex.min.css` (woff2-only) and the woff2 fonts it uses into `dest_dir`; return the paths written."""
    source_css = KATEX_DIST / "katex.min.css"
    if not source_css.is_file():
        raise MathRendererUnavailable(f"KaTeX stylesheet {source_css} is missing; {INSTALL_HINT}.")
    css = _woff2_only(source_css.read_text(encoding="utf-8"))
    fonts = sorted(set(_css_urls(css)))
    missing = [font for font in fonts if not (KATEX_DIST / font).is_file()]
    if missing:
        raise MathRendererUnavailable(f"KaTeX fonts {missing} are missing from {KATEX_DIST}; {INSTALL_HINT}.")

    dest_dir = Path(dest_dir)
    (dest_dir / "fonts").mkdir(parents=True, exist_ok=True)
    css_path = dest_dir / "katex.min.css"
    css_path.write_text(css, encoding="utf-8", newline="")
    written = [css_path]
    for font in fonts:
        written.append(Path(shutil.copyfile(KATEX_DIST / font, dest_dir / font)))
    return written
