"""The one exception the command line turns into a plain sentence and a non-zero exit."""


class UserError(Exception):
    """A problem the user can fix (a bad path, URL, document or statement); the message says it."""
