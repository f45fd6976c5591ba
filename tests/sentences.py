"""What every message shown to a nurse must look like: one plain sentence."""

from __future__ import annotations

import re

# A snake_case name or a Python literal means code leaked into the message.
_CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|\bNone\b|Traceback|Error\(|<[a-z]+ object")


def assert_plain_sentence(message: str) -> None:
    """One line, capitalised, ending with a full stop, with no code names or tracebacks."""
    assert message, "empty message"
    assert "\n" not in message, f"message spans lines: {message!r}"
    assert message == message.strip(), f"stray spaces: {message!r}"
    # A sentence may open with a file path: "/home/…/unit.sqlite3 is a folder, not …".
    assert message[0].isupper() or message[0] in "“\"'#0123456789/~.", message
    assert message.endswith((".", ".”")), f"no full stop: {message!r}"
    assert not _CODE.search(message), f"code in a user message: {message!r}"
