"""The votes member of the :class:`~cogov_toolkit.errors.CogovError` family.

Kept beside the counting code for now; it belongs in ``cogov_toolkit/errors.py``
with its siblings and can move there without changing a caller.
"""

from __future__ import annotations

from cogov_toolkit.errors import CogovError


class VoteError(CogovError):
    """Raised when a vote cannot be counted as asked (wrong ballots for the rule, missing parameter, bad input)."""

    # a concrete reason (vote.<x>, message error.vote.<x>) is always passed; this is the fallback
    reason = "vote.cannot_count"


__all__ = ["VoteError"]
