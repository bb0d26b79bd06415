// A broken link still says what the reader wanted: offer a search for the words in its path.
(function () {
  "use strict";
  var box = document.querySelector("[data-qa-not-found]");
  if (!box) return;
  var root = new URL((box.getAttribute("data-base") || ".") + "/", location.href);
  var path = location.pathname.slice(root.pathname.length);
  var words = [];
  path.split("/").forEach(function (segment) {
    var text;
    try { text = decodeURIComponent(segment); } catch (error) { text = segment; }
    text = text.replace(/\.html?$/, "").replace(/^\d+[.、]/, "").replace(/[\-_.]+/g, " ").trim();
    if (text && words.indexOf(text) < 0) words.push(text);
  });
  if (!words.length) return;
  var list = box.querySelector("ul");
  words.reverse().forEach(function (query) {
    var link = document.createElement("a");
    link.href = new URL("?q=" + encodeURIComponent(query), root).href;
    link.textContent = "搜索「" + query + "」";
    var item = document.createElement("li");
    item.appendChild(link);
    list.appendChild(item);
  });
  box.hidden = false;
})();
