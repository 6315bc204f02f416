"""Errors every part may raise, kept below the parts so none imports another's to name a failure."""


class InputError(Exception):
    """A file that cannot be read (a report, or a graph given to a command); the message names it and why."""
