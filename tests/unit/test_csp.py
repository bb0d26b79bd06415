from __future__ import annotations

import base64
import hashlib

from scripts.render.csp import add_content_security_policy, content_security_policy, inline_script_hashes


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_hashes_only_the_inline_scripts_a_browser_runs():
    page = ('<head><script>var a = 1;\n</script><script src="x.js"></script><script type="application/json">{}</script>'
            '<script type="application/ld+json">{"@type":"QAPage"}</script><script id="x">b()</script><script>var a = 1;\n</script>')
    assert inline_script_hashes(page) == [sha("var a = 1;\n"), sha("b()")]


def test_policy_allows_no_inline_script_without_its_hash():
    policy = content_security_policy(["'sha256-abc'"])
    assert "script-src 'self' 'wasm-unsafe-eval' 'sha256-abc';" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "img-src 'self' data:", "font-src 'self'"):
        assert directive in policy


def test_policy_comes_first_in_head_after_the_charset():
    page = '<html><head><meta charset="utf-8"><script>x()</script></head><body></body></html>'
    out = add_content_security_policy(page)
    assert out.startswith('<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="')
    assert sha("x()") in out
