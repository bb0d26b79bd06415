// Links shared from the book on GitHub point at "#17.介绍一下…" on the home or a chapter page.
// Send them to that question's own page; assets/anchors.json maps match keys to page URLs.
import { decodeFragment, matchKey } from "./lib/match-key.js";

function redirect(script, fragment) {
  const root = new URL((script.getAttribute("data-base") || ".") + "/", location.href);
  fetch(new URL("assets/anchors.json", root)).then((response) => (response.ok ? response.json() : {})).then((anchors) => {
    const target = anchors[matchKey(fragment)];
    if (target && !document.getElementById(decodeFragment(fragment))) location.replace(new URL(target, root).href);
  }).catch(() => { /* the page itself is still there to read */ });
}

const script = document.currentScript;  // only while this script first runs
const fragment = location.hash.slice(1);
if (fragment && script) redirect(script, fragment);
