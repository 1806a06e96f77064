"""The kit's one family of user errors.

Every error a user can cause (bad input, a missing file or setting, a refused
submission) is an :class:`EthicskitError`, whose message says what was found
and what to do. The command line shows that message and nothing else; any
other exception is a bug in the kit and keeps its traceback.
"""


class EthicskitError(Exception):
    """An error a user can cause; its message says what was found and what to do."""


class MissingFile(EthicskitError, FileNotFoundError):
    """A file or folder the user named, or the kit needs, is not there (a ``FileNotFoundError``)."""
