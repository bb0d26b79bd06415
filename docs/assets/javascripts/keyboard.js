/*
 * Keyboard paths through the theme that Material leaves open, since its own search code is off
 * (partials/search.html) and its menu button is a bare label:
 *  - the search overlay closes as soon as focus leaves the box and its results, and Escape closes
 *    it from anywhere, so the page is never left dimmed behind a box nobody is in;
 *  - an empty result pane is no Tab stop of its own;
 *  - the skip link lands at the start of the article, before the question's own controls
 *    (复制链接, 纠错), not on the title after them;
 *  - the menu button (narrow screens) opens the navigation drawer with Enter or Space and moves
 *    focus into it; Escape shuts it and returns to the button.
 */

function keepSearchWhereFocusIs(search, toggle) {
  const input = search.querySelector(".md-search__input");
  const output = search.querySelector(".md-search__scrollwrap");
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

  // With no query the pane only holds a hint; Tab goes from the box straight on to the page.
  if (input && output) {
    const settle = () => { output.tabIndex = input.value.trim() ? 0 : -1; };
    input.addEventListener("input", settle);
    search.querySelector("form")?.addEventListener("reset", () => setTimeout(settle));
    settle();
  }
}

function skipToArticle(skip, article) {
  // Material aims the link at the first heading, which follows 复制链接 and 纠错.
  skip.setAttribute("href", "#" + article.id);
}

function drawerByKeyboard(button, toggle) {
  const drawer = document.querySelector(".md-sidebar--primary");
  const sync = () => button.setAttribute("aria-expanded", String(toggle.checked));

  button.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    toggle.checked = !toggle.checked;
    toggle.dispatchEvent(new Event("change", { bubbles: true }));
    if (toggle.checked) {
      // The drawer turns visible (extra.css) with the class change; focus its current page or first link.
      const target = drawer?.querySelector(".md-nav__link--active[href]") || drawer?.querySelector("a[href]");
      requestAnimationFrame(() => target?.focus());
    }
  });
  toggle.addEventListener("change", sync);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.checked && !event.defaultPrevented) {
      event.preventDefault();
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change", { bubbles: true }));
      button.focus();
    }
  });
  sync();
}

const search = document.querySelector("[data-qa-search]");
const searchToggle = document.getElementById("__search");
if (search && searchToggle) keepSearchWhereFocusIs(search, searchToggle);

const skip = document.querySelector(".md-skip");
const article = document.getElementById("qa-article");
if (skip && article) skipToArticle(skip, article);

const drawerButton = document.querySelector("[data-qa-drawer-button]");
const drawerToggle = document.getElementById("__drawer");
if (drawerButton && drawerToggle) drawerByKeyboard(drawerButton, drawerToggle);
