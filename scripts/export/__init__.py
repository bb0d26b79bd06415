"""Files a reader takes away, made from the built site: the printable book and the Anki deck."""
