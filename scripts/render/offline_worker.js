// The site's service worker: a classic script served from the site's root (its scope), written
// by scripts/render/offline.py with this build's lists filled in below. It keeps the site's pages,
// search and assets on the device after the first visit, and each file of ON_DEMAND once seen:
// the figures, and on a site of several books the books' pages.
//
// Every cached copy is stored under its URL plus "?qa-revision=<hash of its content>": a new
// deploy fetches only the files whose hash changed and keeps the rest; the worker it replaces
// still answers from its own copies until the reader chooses to reload. Nothing here touches
// localStorage, where practice marks live.
"use strict";

const PRECACHE = "qa-precache";
const ON_DEMAND = "qa-on-demand";
// [path under the scope, revision]; "" is the home page, "x/" is x/index.html.
const PRECACHED = /*PRECACHED*/[];
const ON_DEMAND_FILES = /*ON_DEMAND*/[];
// Language folder ("" for the site's own language) → its page for a visit that finds neither
// the network nor a cached copy.
const OFFLINE_PAGES = /*OFFLINE_PAGES*/{};
const PARALLEL = 6;

const SCOPE = new URL("./", self.location.href).href;
const keyOf = (path, revision) => `${SCOPE}${path}?qa-revision=${revision}`;
const precached = new Map(PRECACHED.map(([path, revision]) => [SCOPE + path, keyOf(path, revision)]));
const onDemand = new Map(ON_DEMAND_FILES.map(([path, revision]) => [SCOPE + path, keyOf(path, revision)]));

async function precache() {
  const cache = await caches.open(PRECACHE);
  const kept = new Set((await cache.keys()).map((request) => request.url));
  const missing = [...precached].filter(([, key]) => !kept.has(key));
  let next = 0;
  async function fetchNext() {
    while (next < missing.length) {
      const [url, key] = missing[next++];
      // no-cache: the host lets browsers keep files 10 minutes; a deploy must not cache the old one.
      const response = await fetch(url, { cache: "no-cache" });
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      await cache.put(key, response);
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, fetchNext));
}

async function dropUnlisted() {
  const listed = { [PRECACHE]: new Set(precached.values()), [ON_DEMAND]: new Set(onDemand.values()) };
  for (const name of await caches.keys()) {
    if (!name.startsWith("qa-")) continue;  // not ours: the site has no other caches, but leave others alone
    if (!listed[name]) {
      await caches.delete(name);  // an earlier version's
      continue;
    }
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      if (!listed[name].has(request.url)) await cache.delete(request);
    }
  }
}

self.addEventListener("install", (event) => event.waitUntil(precache()));
self.addEventListener("activate", (event) => event.waitUntil(dropUnlisted().then(() => self.clients.claim())));
// The page asks once the reader accepts the new version (docs/assets/javascripts/offline.js).
self.addEventListener("message", (event) => {
  if (event.data === "qa-offline:activate") self.skipWaiting();
});

async function fromCache(cacheName, key, request) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(key);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && cacheName === ON_DEMAND) await cache.put(key, response.clone());
  return response;
}

function offlinePage(url) {
  const inside = url.href.slice(SCOPE.length);
  const folder = Object.keys(OFFLINE_PAGES).find((name) => name && inside.startsWith(name)) || "";
  return Response.redirect(SCOPE + OFFLINE_PAGES[folder], 302);
}

async function navigate(request, url) {
  try {
    return await fetch(request);  // online, an unknown URL gets the host's 404 page
  } catch (error) {
    return offlinePage(url);
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (!url.href.startsWith(SCOPE)) return;
  // The query is ignored: Pagefind asks for pagefind-entry.json?ts=<now> to get past HTTP caches.
  let bare = url.origin + url.pathname;
  if (bare.endsWith("/index.html")) bare = bare.slice(0, -"index.html".length);
  if (precached.has(bare)) {
    event.respondWith(fromCache(PRECACHE, precached.get(bare), request));
  } else if (onDemand.has(bare)) {
    const answer = fromCache(ON_DEMAND, onDemand.get(bare), request);
    event.respondWith(request.mode === "navigate" ? answer.catch(() => offlinePage(url)) : answer);  // a page not read yet
  } else if (request.mode === "navigate" && (precached.has(bare + "/") || onDemand.has(bare + "/"))) {
    event.respondWith(Response.redirect(bare + "/" + url.search + url.hash, 301));
  } else if (request.mode === "navigate") {
    event.respondWith(navigate(request, url));
  }
});
