"""MkDocs glue: the site build behind the hook file MkDocs loads (scripts/mkdocs_hook.py)."""
