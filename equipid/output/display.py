"""Text from the input made safe to show: no control characters, no bidi overrides, no markup.

Ids, names and phrases come from sighting files. Printed raw, a C0/C1 control
(an ANSI escape) or a bidi override (Trojan Source) can make a table or a CSV
cell say something other than what the data holds; in rich output, ``[/x]``
would be read as markup. :func:`visible` spells such characters out as
``\\x1b`` or ``\\u202e``; :func:`shown` also escapes rich markup.
"""

from __future__ import annotations

import re

#: C0 and C1 controls, DEL, bidi embeddings, overrides, isolates and marks, and
#: the Unicode line and paragraph separators.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _spell(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def visible(text: str) -> str:
    """``text`` with every control, bidi and separator character written out as an escape."""
    return _UNSAFE.sub(_spell, text) if _UNSAFE.search(text) else text


def shown(text: object) -> str:
    """:func:`visible` text of any value, with rich markup escaped (for tables)."""
    from rich.markup import escape

    return escape(visible(str(text)))
