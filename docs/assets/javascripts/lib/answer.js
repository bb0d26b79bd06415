// A question's answer, taken from its own page (fetched from this site) for the review page.
//
// The answer is the page's search body ([data-pagefind-body], partials/content.html): the title,
// the answer, and hidden search fields, nothing of the theme or practice panel around it. It is
// the build's own sanitised HTML; DOMParser never runs scripts, and the copy drops any anyway.
// Links and figures are made absolute against the question's page, since this page sits elsewhere.
// A question page's links onward (相关题目, .qa-related) are for reading there, not for reviewing.
const DROPPED = "h1, [data-pagefind-ignore], .headerlink, script, style, link, iframe, object, embed, form, .qa-practice, .qa-toast, .qa-related";

export function answerFrom(html, pageUrl) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const body = doc.querySelector(".md-content__inner [data-pagefind-body]");
  if (!body || !body.querySelector("h1")) return null;
  body.querySelectorAll(DROPPED).forEach((element) => element.remove());
  body.querySelectorAll("*").forEach((element) => {
    for (const attribute of [...element.attributes]) {
      if (/^on/i.test(attribute.name)) element.removeAttribute(attribute.name);
    }
    // Ids belong to the question's page; here they could clash with this page's own.
    element.removeAttribute("id");
    for (const name of ["href", "src"]) {
      const value = element.getAttribute(name);
      if (value !== null) element.setAttribute(name, absolute(value, pageUrl));
    }
    const srcset = element.getAttribute("srcset");
    if (srcset) {
      element.setAttribute("srcset", srcset.split(",").map((part) => {
        const [url, ...size] = part.trim().split(/\s+/);
        return [absolute(url, pageUrl), ...size].join(" ");
      }).join(", "));
    }
  });
  if (!body.textContent.trim() && !body.querySelector("img")) return null;
  const stylesheets = [...doc.querySelectorAll("link[rel~=stylesheet][href]")].map((link) => absolute(link.getAttribute("href"), pageUrl));
  return { nodes: [...body.childNodes], stylesheets };
}

function absolute(value, base) {
  try {
    const url = new URL(value, base);
    return /^(https?|mailto):$/.test(url.protocol) ? url.href : "#";
  } catch (error) {
    return "#";
  }
}
