"""The error a course operation raises when the user can fix what stopped it."""

from ethicskit.errors import EthicskitError


class CourseError(EthicskitError, ValueError):
    """A course operation that cannot go ahead (bad input, a missing setting, a failed step); a ``ValueError``."""
