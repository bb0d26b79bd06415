// Links shared from the book on GitHub point at "#17.介绍一下…" on the home or a chapter page.
// Send them to that question's own page. The key must equal scripts/text.py:match_key.
(function () {
  "use strict";
  var script = document.currentScript;
  var fragment = location.hash.slice(1);
  if (!fragment || !script) return;
  var root = new URL((script.getAttribute("data-base") || ".") + "/", location.href);

  var PUNCTUATION = { "、": ",", "。": ".", "【": "[", "】": "]", "“": "\"", "”": "\"", "‘": "'", "’": "'", "—": "-", "–": "-", "·": "." };

  function decode(text) {
    try { return decodeURIComponent(text); } catch (error) { return text; }
  }

  function matchKey(text) {
    text = decode(text.trim()).replace(/^#/, "").replace(/^user-content-/, "");
    text = text.replace(/[\u200b\u200c\u200d\u2060\ufeff]/g, "").normalize("NFKC");
    text = text.replace(/[、。【】“”‘’—–·]/g, function (c) { return PUNCTUATION[c]; }).toLowerCase();
    return text.replace(/[\s\-_]+/g, "");
  }

  window.qaMatchKey = matchKey;  // shared with the 404 page, and checked against Python by the tests

  fetch(new URL("assets/anchors.json", root)).then(function (response) {
    return response.ok ? response.json() : {};
  }).then(function (anchors) {
    var target = anchors[matchKey(fragment)];
    if (target && !document.getElementById(decode(fragment))) {
      location.replace(new URL(target, root).href);
    }
  }).catch(function () { /* the page itself is still there to read */ });
})();
