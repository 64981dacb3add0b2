"""The one error the ops modules raise: its message is the Chinese line the command prints."""

from __future__ import annotations


class OpsError(Exception):
    """A backup, restore or upgrade that cannot go on; `message` is shown to the operator as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
