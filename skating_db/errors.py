"""The one exception the command line turns into a plain sentence and a non-zero exit."""


class UserError(Exception):
    """A problem the user can fix (a bad path, URL, document or statement); the message says it.

    The message is one sentence. It starts with what it is about when that is a file or a
    database (`skating.db: no database here …`, `doc.txt, line 12: …`: the name as the
    user wrote it, then the sentence in lower case), else with a capital letter.
    """


def about(where: object, sentence: str) -> str:
    """A sentence written to stand alone (`The text looks binary.`), said of a file or a
    database in the form above: `letter.txt: the text looks binary.`"""
    return f"{where}: {sentence[:1].lower()}{sentence[1:]}"


def no_database(path: object) -> str:
    """The one sentence for a SQLite path where no database file is."""
    return f"{path}: no database here (build one with: skating-db rebuild)."
