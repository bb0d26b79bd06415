// Offline use: registers the site's service worker (sw.js at the site's root, written by
// scripts/render/offline.py), tells the reader when a new version is ready, and runs the
// 下载全部以离线使用 control of the home page (partials/downloads.html).
import { uiStrings } from "./lib/strings.js";

const text = uiStrings("offline");
// This file is assets/javascripts/offline.js under the site's root, in every language's pages.
const script = document.currentScript;
const root = new URL("../../", script ? script.src : location.href);
const workerUrl = new URL("sw.js", root);
let reloading = false;

function showUpdate(worker) {
  if (document.querySelector(".qa-update")) return;
  const notice = document.createElement("div");
  notice.className = "qa-update md-typeset";
  notice.setAttribute("role", "status");
  const message = document.createElement("span");
  message.textContent = text.updateReady;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-button md-button--primary qa-update__reload";
  button.textContent = text.updateReload;
  button.addEventListener("click", () => {
    reloading = true;
    button.disabled = true;
    worker.postMessage("qa-offline:activate");
  });
  notice.append(message, button);
  document.body.append(notice);
}

function watch(registration) {
  // Only a worker replacing one that controls this page is an update; the first one just installs.
  const offer = (worker) => { if (worker && navigator.serviceWorker.controller) showUpdate(worker); };
  if (registration.waiting) offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker.addEventListener("statechange", () => { if (worker.state === "installed") offer(worker); });
  });
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloading) location.reload();
  });
}

async function cachedFile(cache, url) {
  if (await cache.match(url)) return;
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  await cache.put(url, response);
}

// Every file the worker caches once seen (the figures; a site of several books' pages), stored where the worker looks for it: the cache and keys of offline_worker.js.
async function downloadAll(control) {
  const button = control.querySelector(".qa-offline__download");
  const progress = control.querySelector("progress");
  const count = control.querySelector(".qa-offline__count");
  control.querySelector(".qa-offline__progress").hidden = false;
  button.disabled = true;
  let list;
  try {
    list = await (await fetch(new URL("offline.json", root))).json();
  } catch (error) {
    count.textContent = text.failed.replace("#", "?");
    button.disabled = false;
    return;
  }
  const cache = await caches.open(list.cache);
  const total = list.files.length;
  let done = 0;
  let failed = 0;
  progress.max = total || 1;
  const show = () => {
    progress.value = done;
    count.textContent = text.downloading.replace("#", `${done} / ${total}`);
  };
  show();
  let next = 0;
  async function fetchNext() {
    while (next < total) {
      const [path, revision] = list.files[next++];
      try {
        await cachedFile(cache, `${new URL(path, root).href}?qa-revision=${revision}`);
      } catch (error) {
        failed += 1;
      }
      done += 1;
      show();
    }
  }
  await Promise.all(Array.from({ length: 4 }, fetchNext));
  if (failed) {
    count.textContent = `${done - failed} / ${total} · ${text.failed.replace("#", String(failed))}`;
    button.disabled = false;
  } else {
    count.textContent = `${done} / ${total} · ${text.done}`;
  }
}

function offerInstall(control) {
  const button = control.querySelector(".qa-offline__install");
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();  // the browser's own prompt waits for the reader's click
    button.hidden = false;
    button.onclick = () => {
      button.hidden = true;
      event.prompt();
    };
  });
  window.addEventListener("appinstalled", () => { button.hidden = true; });
}

const control = document.querySelector("[data-qa-offline]");
if ("serviceWorker" in navigator && window.isSecureContext) {
  // updateViaCache "none": the host lets browsers keep files 10 minutes, sw.js must never wait.
  const register = () => navigator.serviceWorker.register(workerUrl, { scope: root.pathname, updateViaCache: "none" })
    .then((registration) => registration && watch(registration), () => {});  // none where workers are blocked
  // After the page's own figures and fonts: the first visit's precache must not hold them up.
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
  if (control) {
    control.querySelector(".qa-offline__download").addEventListener("click", () => downloadAll(control));
    offerInstall(control);
  }
} else if (control) {
  control.hidden = true;  // nothing could keep the site here (an old browser, or plain http)
}
