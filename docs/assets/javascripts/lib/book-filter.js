// The search's book filter (partials/book-filter.html), on a site of several books: the select
// starts on the book being read. Its chapter select lists that book's chapters only, so it is set
// aside (reset and hidden) while another book, or every book, is chosen. A site of one book has
// no select: value() is then always "" and nothing is filtered. acrossBooks() says whether results
// may come from several books (the select on every book), when each result names its book.
export function bookFilter(root, onChange) {
  const select = root.querySelector("select[name=book]");
  if (!select) return { value: () => "", acrossBooks: () => false };
  const chapter = root.querySelector("select[name=chapter]");
  const reading = select.getAttribute("data-qa-reading") || "";
  const hasChapters = !!chapter && chapter.options.length > 1;
  function sync() {
    if (!chapter) return;
    const own = hasChapters && select.value === reading && reading !== "";
    if (!own) chapter.value = "";
    chapter.hidden = !own;
  }
  sync();
  select.addEventListener("change", () => { sync(); onChange(); });
  return { value: () => select.value, acrossBooks: () => select.value === "" };
}
