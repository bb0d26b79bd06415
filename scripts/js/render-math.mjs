// Build-time KaTeX renderer, driven by scripts/render/katex.py over stdin/stdout.
//
// Protocol (one JSON object per line, in both directions):
//   on start:  {"ready": true, "katex": "<version>"}
//   request:   {"id": ..., "tex": "...", "display": true|false}
//   response:  {"id": ..., "html": "..."|null, "error": null|"message", "warnings": ["..."]}
// Exactly one response per non-blank request line, in request order, whatever went wrong.
import { createInterface } from "node:readline";

let katex;
try {
  // Dynamic so a missing package becomes one readable line instead of a loader stack trace.
  katex = (await import("katex")).default;
} catch (err) {
  process.stderr.write(`katex package not found (${err.code ?? err.message}); run: npm ci --prefix scripts/js\n`);
  process.exit(3);
}

function render(tex, displayMode) {
  const warnings = [];
  try {
    const html = katex.renderToString(tex, {
      displayMode,
      throwOnError: true,
      output: "htmlAndMathml",
      // The book mixes CJK punctuation and dashes into formulas; KaTeX renders those fine,
      // so non-strict LaTeX is reported for the author to see but never fails the build.
      strict: (code, message) => {
        warnings.push(`${code}: ${message}`);
        return "ignore";
      },
    });
    return { html, error: null, warnings };
  } catch (err) {
    // ParseError is the author's TeX; anything else is still better reported per formula
    // than killing the process and every render queued behind it.
    const message = err instanceof katex.ParseError ? err.message : `${err.name}: ${err.message}`;
    return { html: null, error: message, warnings };
  }
}

function respond(payload) {
  process.stdout.write(JSON.stringify(payload) + "\n");
}

respond({ ready: true, katex: katex.version });

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  let request;
  try {
    request = JSON.parse(line);
  } catch (err) {
    respond({ id: null, html: null, error: `invalid request line: ${err.message}`, warnings: [] });
    continue;
  }
  if (typeof request.tex !== "string") {
    respond({ id: request.id ?? null, html: null, error: "request has no string 'tex'", warnings: [] });
    continue;
  }
  respond({ id: request.id ?? null, ...render(request.tex, request.display === true) });
}
