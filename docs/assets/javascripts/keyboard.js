/*
 * Keyboard paths through the theme that Material leaves open, since its own search code is off
 * (partials/search.html) and its menu button is a bare label:
 *  - the search overlay closes as soon as focus leaves the box and its results, and Escape closes
 *    it from anywhere, so the page is never left dimmed behind a box nobody is in;
 *  - the skip link lands at the start of the article, before the question's own controls
 *    (复制链接, 纠错), not on the title after them;
 *  - the menu button (narrow screens) is a real button: Enter or Space open the navigation drawer
 *    and focus moves into it; Escape shuts it and returns to the button;
 *  - a formula or code block that scrolls sideways can be scrolled from the keyboard.
 */

function keepSearchWhereFocusIs(search, toggle) {
  const opener = document.querySelector(".md-header label[for=__search]");

  function close() {
    toggle.checked = false;
    if (search.contains(document.activeElement)) document.activeElement.blur();
  }

  // Focus arriving anywhere else (Tab, Shift+Tab, a click on a link) ends the search.
  document.addEventListener("focusin", (event) => {
    if (toggle.checked && !search.contains(event.target) && event.target !== opener) close();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.checked && !event.defaultPrevented) {
      event.preventDefault();
      close();
    }
  });
}

function skipToArticle(skip, article) {
  // Material aims the link at the first heading, which follows 复制链接 and 纠错.
  skip.setAttribute("href", "#" + article.id);
}

// This page's link, or on a page with headings (whose link Material hides in the drawer behind
// its table of contents) the first link shown after it; else the drawer's first link.
function firstShownLink(drawer) {
  const shown = [...drawer.querySelectorAll("a[href]")].filter((link) => link.getClientRects().length > 0);
  const active = drawer.querySelector("a.md-nav__link--active");
  const after = active && shown.find((link) => link === active || active.compareDocumentPosition(link) & Node.DOCUMENT_POSITION_FOLLOWING);
  return after || shown[0];
}

function drawerByKeyboard(button, label, toggle) {
  const drawer = document.getElementById(button.getAttribute("aria-controls"));
  if (!drawer) {
    label.hidden = true;  // nothing to open (the 404 page has no navigation)
    return;
  }
  const sync = () => button.setAttribute("aria-expanded", String(toggle.checked));
  const set = (open) => {
    toggle.checked = open;
    toggle.dispatchEvent(new Event("change", { bubbles: true }));  // Material locks the page's scrolling
  };
  label.hidden = true;
  button.hidden = false;

  button.addEventListener("click", (event) => {
    set(!toggle.checked);
    // From the keyboard (no pointer, detail 0), focus follows into the drawer, which turns visible
    // with the checkbox (extra.css): on this page's link, or the first one.
    if (toggle.checked && event.detail === 0) {
      requestAnimationFrame(() => firstShownLink(drawer)?.focus());
    }
  });
  toggle.addEventListener("change", sync);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.checked && !event.defaultPrevented) {
      event.preventDefault();
      set(false);
      button.focus();
    }
  });
  sync();
}

/* A region that scrolls sideways (a long formula or code line on a phone) is a Tab stop, so the
   keyboard can scroll it; Material does this for code once it notices, formulas are ours. */
function scrollableByKeyboard(regions) {
  const settle = (region) => {
    if (region.scrollWidth > region.clientWidth + 1) region.tabIndex = 0;
    else if (region.tabIndex === 0) region.removeAttribute("tabindex");
  };
  const watcher = new ResizeObserver((entries) => entries.forEach((entry) => settle(entry.target)));
  regions.forEach((region) => { settle(region); watcher.observe(region); });
  // A box keeps its size while its text widens as fonts arrive, which no ResizeObserver reports.
  const again = () => regions.forEach(settle);
  addEventListener("load", again);
  document.fonts?.ready.then(again);
}

const search = document.querySelector("[data-qa-search]");
const searchToggle = document.getElementById("__search");
if (search && searchToggle) keepSearchWhereFocusIs(search, searchToggle);

const skip = document.querySelector(".md-skip");
const article = document.getElementById("qa-article");
if (skip && article) skipToArticle(skip, article);

const drawerButton = document.querySelector("[data-qa-drawer-button]");
const drawerLabel = document.querySelector("[data-qa-drawer-label]");
const drawerToggle = document.getElementById("__drawer");
if (drawerButton && drawerLabel && drawerToggle) drawerByKeyboard(drawerButton, drawerLabel, drawerToggle);

scrollableByKeyboard(document.querySelectorAll(".md-typeset pre > code, .md-typeset .arithmatex"));
