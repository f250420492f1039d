"""Errors that reach the user as one line and exit code 2."""

from __future__ import annotations


class InputError(Exception):
    """Bad input or usage: the message names the input and the reason, on one line."""

    def __init__(self, source: str | None, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}" if source else reason)
