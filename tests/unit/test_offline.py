"""scripts/render/offline.py on a small built site: what the worker precaches, with which
revisions, the manifests and the worker script itself."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from scripts.render import offline
from scripts.strings import load_strings

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["index.html", "sd3/index.html", "sd3/sd3-vae/index.html", "offline/index.html",
         "en/index.html", "en/sd3/sd3-vae/index.html", "en/offline/index.html"]
PRECACHED = ["assets/javascripts/search.js", "assets/stylesheets/extra.css", "assets/anchors.json", "assets/questions.json",
             "assets/katex/fonts/KaTeX_Main-Regular.woff2", "assets/images/icon-192.png",
             "pagefind/pagefind-entry.json", "pagefind/pagefind.js", "pagefind/wasm.zh.pagefind",
             "pagefind/fragment/zh_1.pf_fragment", "pagefind/index/zh_1.pf_index"]
NOT_PRECACHED = ["assets/javascripts/bundle.min.js.map", "assets/javascripts/lunr/min/lunr.zh.min.js",
                 "assets/javascripts/workers/search.min.js", "assets/katex/fonts/KaTeX_Main-Regular.woff",
                 "assets/images/og-default.jpg", "404.html", "sitemap.xml", "sitemap.xml.gz", "robots.txt",
                 "downloads/book.pdf", ".build-log"]
FIGURES = ["imgs/DDIM.png", "imgs/DDIM.480w.webp", "imgs/DDIM.960w.webp"]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for number, path in enumerate(PAGES + PRECACHED + NOT_PRECACHED + FIGURES):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(f"{path} {number}".encode())
    return site


def publish(site: Path):
    return offline.publish(site, "/aigc-interview-site/", ["zh", "en"], load_strings)


def test_precache_holds_every_page_the_search_and_the_assets_and_nothing_else(site):
    report = publish(site)
    urls = {entry.url for entry in report.precached}
    pages = {"", "sd3/", "sd3/sd3-vae/", "offline/", "en/", "en/sd3/sd3-vae/", "en/offline/"}
    assert pages <= urls
    assert {*PRECACHED, "manifest.webmanifest", "en/manifest.webmanifest", "offline.json"} <= urls
    assert urls == pages | {*PRECACHED, "manifest.webmanifest", "en/manifest.webmanifest", "offline.json"}
    assert not urls & {*NOT_PRECACHED, *FIGURES, "sw.js"}
    assert sorted(entry.url for entry in report.figures) == sorted(FIGURES)
    for entry in report.precached:
        data = (site / entry.file).read_bytes()
        assert entry.revision == offline.revision(data) and entry.size == len(data)


def test_figures_are_listed_for_the_download_control_with_their_revisions(site):
    publish(site)
    listed = json.loads((site / "offline.json").read_text())
    assert listed["cache"] == offline.ON_DEMAND_CACHE
    assert {path: revision for path, revision, _ in listed["files"]} == {
        path: offline.revision((site / path).read_bytes()) for path in FIGURES}


SHELF_PAGES = ["index.html", "alpha/index.html", "alpha/basics/index.html", "alpha/basics/what-is-vae/index.html",
               "beta/index.html", "beta/basics/what-is-vae/index.html", "offline/index.html",
               "en/index.html", "en/alpha/index.html", "en/alpha/basics/what-is-vae/index.html", "en/offline/index.html"]


def test_on_a_site_of_several_books_a_first_visit_fetches_the_homes_and_the_rest_once_seen(tmp_path: Path):
    site = tmp_path / "site"
    for number, path in enumerate(SHELF_PAGES + PRECACHED + FIGURES):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(f"{path} {number}".encode())
    report = offline.publish(site, "/s/", ["zh", "en"], load_strings, book_folders=["alpha", "beta"])
    precached = {entry.url for entry in report.precached}
    later = {entry.url for entry in report.on_demand}
    assert {"", "alpha/", "beta/", "offline/", "en/", "en/alpha/", "en/offline/"} <= precached  # the homes
    assert {"pagefind/pagefind.js", "pagefind/fragment/zh_1.pf_fragment", "pagefind/index/zh_1.pf_index"} <= precached  # all the search
    assert later == {"alpha/basics/", "alpha/basics/what-is-vae/", "beta/basics/what-is-vae/", "en/alpha/basics/what-is-vae/", *FIGURES}
    assert not precached & later
    listed = json.loads((site / "offline.json").read_text())
    assert {path for path, _, _ in listed["files"]} == later  # 下载全部以离线使用 brings them all
    assert dict(worker_lists(site)[1]) == {entry.url: entry.revision for entry in report.on_demand}


def worker_lists(site: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    script = (site / "sw.js").read_text(encoding="utf-8")
    found = {name: json.loads(re.search(rf"const {name} = (.*?);\n", script).group(1))
             for name in ("PRECACHED", "ON_DEMAND_FILES", "OFFLINE_PAGES")}
    return dict(found["PRECACHED"]), dict(found["ON_DEMAND_FILES"]), found["OFFLINE_PAGES"]


def test_the_worker_inlines_the_lists_and_one_changed_page_changes_one_revision(site):
    report = publish(site)
    before, figures, pages = worker_lists(site)
    assert before == {entry.url: entry.revision for entry in report.precached}
    assert figures == {entry.url: entry.revision for entry in report.figures}
    assert pages == {"": "offline/", "en/": "en/offline/"}
    worker_before = (site / "sw.js").read_bytes()

    (site / "sd3/sd3-vae/index.html").write_text("a changed answer", encoding="utf-8")
    publish(site)
    after = worker_lists(site)[0]
    assert (site / "sw.js").read_bytes() != worker_before  # a new deploy is a new worker to the browser
    assert {url for url in after if after[url] != before.get(url)} == {"sd3/sd3-vae/"}
    assert after.keys() == before.keys()


def test_the_worker_is_a_classic_script(site):
    publish(site)
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node to check the script's syntax")
    result = subprocess.run([node, "--check", str(site / "sw.js")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not re.search(r"^\s*(import|export)\b", (site / "sw.js").read_text(), re.M)


def test_each_language_has_its_manifest_under_the_deploy_path(site):
    publish(site)
    zh = json.loads((site / "manifest.webmanifest").read_text(encoding="utf-8"))
    en = json.loads((site / "en/manifest.webmanifest").read_text(encoding="utf-8"))
    assert (zh["name"], zh["short_name"], zh["lang"]) == (load_strings("zh")["theme"]["app"]["name"], load_strings("zh")["theme"]["app"]["short_name"], "zh")
    assert (en["name"], en["lang"]) == (load_strings("en")["theme"]["app"]["name"], "en")
    assert zh["name"] != en["name"]
    assert (zh["start_url"], zh["scope"]) == ("/aigc-interview-site/", "/aigc-interview-site/")
    assert (en["start_url"], en["scope"]) == ("/aigc-interview-site/en/", "/aigc-interview-site/")
    assert zh["display"] == "standalone" and zh["id"] != en["id"]
    purposes = set()
    for icon in zh["icons"]:
        assert icon["src"].startswith("/aigc-interview-site/assets/images/")
        with Image.open(ROOT / "docs" / icon["src"].removeprefix("/aigc-interview-site/")) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
        purposes.add(icon["purpose"])
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in zh["icons"]} and purposes == {"any", "maskable"}


def test_a_site_at_the_host_root_gets_root_paths(site):
    offline.publish(site, "", ["zh", "en"], load_strings)
    en = json.loads((site / "en/manifest.webmanifest").read_text(encoding="utf-8"))
    assert (en["start_url"], en["scope"]) == ("/en/", "/")


def test_a_site_without_its_offline_page_is_refused(site):
    shutil.rmtree(site / "en/offline")
    with pytest.raises(offline.OfflineError, match="en/offline"):
        publish(site)


def test_a_worker_source_without_its_markers_is_refused():
    with pytest.raises(offline.OfflineError, match="marker"):
        offline.worker_script([], [], {}, source="const PRECACHED = [];")


def test_a_preview_worker_keeps_nothing_and_removes_itself(site):
    report = offline.publish(site, "/aigc-interview-site/", ["zh", "en"], load_strings, preview=True)
    script = (site / "sw.js").read_text(encoding="utf-8")
    assert script == offline.PREVIEW_WORKER and report.precached  # the manifests and list are still written
    assert "unregister()" in script and "fetch" not in script
