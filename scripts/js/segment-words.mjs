// Words of texts as the site search reads a query: Intl.Segmenter's word-like segments
// (docs/assets/javascripts/search.js). Driven by scripts/emit/words.py.
//   stdin:  a JSON array of strings
//   stdout: a JSON array, one array of words per string, in order
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const texts = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const segmenter = new Intl.Segmenter("zh", { granularity: "word" });
const words = texts.map((text) => [...segmenter.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment));
process.stdout.write(JSON.stringify(words));
