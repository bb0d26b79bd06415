"""Files a reader takes away, made from the built site: the printable book and the Anki deck."""


class MissingAnswer(ValueError):
    """An answered question whose page content was not collected: printing or exporting it as
    unanswered would lose it silently. The message names its book line."""
