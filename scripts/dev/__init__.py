"""Developer tools: benchmarks and the helpers they share with the tests (a static server, a
Chromium launcher). The build never imports this package; tests may.
"""
