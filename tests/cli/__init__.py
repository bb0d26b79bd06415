"""The command line end to end, as a user runs it; no MkDocs build, no browser."""
