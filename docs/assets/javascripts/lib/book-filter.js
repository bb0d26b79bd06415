// The search's book filter (partials/book-filter.html), on a site of several books: the select
// starts on the book being read. Its chapter select lists that book's chapters only, so it is set
// aside (reset and hidden) while another book, or every book, is chosen. A site of one book has
// no select: value() is then always "" and nothing is filtered.
export function bookFilter(root, onChange) {
  const select = root.querySelector("select[name=book]");
  if (!select) return { value: () => "" };
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
  return { value: () => select.value };
}
