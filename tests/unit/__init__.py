"""Unit tests: one step at a time, on plain data; no MkDocs build, no browser."""
