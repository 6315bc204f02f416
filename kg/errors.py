"""Errors every part may raise, kept below the parts so none imports another's to name a failure."""


class InputError(Exception):
    """A file that cannot be read (a report, or a graph given to a command); the message names it and why."""


def shown(path) -> str:
    """A path as a message prints it: bytes a file name has that are not UTF-8 as ``\\xNN``."""
    import os

    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")
