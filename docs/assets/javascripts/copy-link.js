// "复制链接": copies the chapter, the question and its URL, ready to paste into a chat.
(function () {
  "use strict";
  var button = document.querySelector(".qa-copy-link");
  if (!button) return;
  var label = button.querySelector(".qa-copy-link__label");
  var status = document.querySelector(".qa-copy-link__status");

  function pageUrl() {
    return location.origin + location.pathname;  // never the #fragment or ?query of this visit
  }

  function copyWithSelection(text) {
    // Clipboard API needs a secure context; plain-HTTP previews on phones fall back to this.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    area.setSelectionRange(0, text.length);
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    document.body.removeChild(area);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  var labels = {
    idle: button.getAttribute("data-qa-label") || "复制链接",
    done: button.getAttribute("data-qa-done") || "已复制",
    prompt: button.getAttribute("data-qa-prompt") || "复制下面的文字："
  };

  function confirm(message) {
    label.textContent = message;
    status.textContent = message;
    button.classList.add("qa-copy-link--done");
    clearTimeout(confirm.timer);
    confirm.timer = setTimeout(function () {
      label.textContent = labels.idle;
      button.classList.remove("qa-copy-link--done");
    }, 2000);
  }

  button.addEventListener("click", function () {
    var text = button.getAttribute("data-qa-copy-text") + "\n" + pageUrl();
    var copying = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(text).catch(function () { return copyWithSelection(text); })
      : copyWithSelection(text);
    copying.then(
      function () { confirm(labels.done); },
      function () { window.prompt(labels.prompt, text); }
    );
  });
})();
