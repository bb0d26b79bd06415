"""Model → files: question, chapter and home pages, navigation, redirects, the URL lock and
the small JSON files the browser fetches.
"""
