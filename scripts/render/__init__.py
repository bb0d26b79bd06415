"""Post-processing of the built HTML and assets: KaTeX, compaction, minifying, the search index."""
