// "复制链接": copies the chapter, the question and its URL, ready to paste into a chat.
import { uiStrings } from "./lib/strings.js";

function pageUrl() {
  return location.origin + location.pathname;  // never the #fragment or ?query of this visit
}

function copyWithSelection(text) {
  // Clipboard API needs a secure context; plain-HTTP previews on phones fall back to this.
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  area.setSelectionRange(0, text.length);
  let copied = false;
  try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
  document.body.removeChild(area);
  return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
}

function start(button) {
  const label = button.querySelector(".qa-copy-link__label");
  const status = document.querySelector(".qa-copy-link__status");
  const labels = uiStrings("copyLink");
  let timer = 0;

  function confirm(message) {
    label.textContent = message;
    status.textContent = message;
    button.classList.add("qa-copy-link--done");
    clearTimeout(timer);
    timer = setTimeout(() => {
      label.textContent = labels.idle;
      button.classList.remove("qa-copy-link--done");
    }, 2000);
  }

  button.addEventListener("click", () => {
    const text = button.getAttribute("data-qa-copy-text") + "\n" + pageUrl();
    const copying = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(text).catch(() => copyWithSelection(text))
      : copyWithSelection(text);
    copying.then(() => confirm(labels.done), () => window.prompt(labels.prompt, text));
  });
}

const button = document.querySelector(".qa-copy-link");
if (button) start(button);
