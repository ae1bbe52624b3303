"""Partial dates: "2016", "2016-03" and "2016-03-17", as ranges of days."""

from __future__ import annotations

import datetime as _dt
import re

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_partial(value: object) -> tuple[int, int]:
    """Return (first day, last day) as proleptic ordinals of a partial date.

    Accepts ``2016``, ``"2016-03"``, ``"2016-03-17"`` and ``datetime.date``.
    Raises ``ValueError`` with a readable message for anything else,
    including impossible dates such as 2016-02-30.
    """
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        o = value.toordinal()
        return o, o
    if isinstance(value, bool):
        raise ValueError(f"not a date: {value!r}")
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = value.strip()
    if "T" in text:
        text = text.split("T", 1)[0]
    m = _DATE.match(text)
    if not m:
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year = int(m.group(1))
    if m.group(2) is None:
        return _dt.date(year, 1, 1).toordinal(), _dt.date(year, 12, 31).toordinal()
    month = int(m.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"impossible date {value!r}: month {month}")
    if m.group(3) is None:
        first = _dt.date(year, month, 1)
        nxt = _dt.date(year + (month == 12), month % 12 + 1, 1)
        return first.toordinal(), nxt.toordinal() - 1
    try:
        d = _dt.date(year, month, int(m.group(3)))
    except ValueError:
        raise ValueError(f"impossible date {value!r}") from None
    return d.toordinal(), d.toordinal()


def canonical(value: object) -> str:
    """The canonical text of a partial date (validated)."""
    first, last = parse_partial(value)
    a = _dt.date.fromordinal(first)
    b = _dt.date.fromordinal(last)
    if first == last:
        return a.isoformat()
    if a.month == b.month and a.year == b.year:
        return f"{a.year:04d}-{a.month:02d}"
    return f"{a.year:04d}"


def ordinal_to_iso(o: int) -> str:
    """ISO text of a day ordinal."""
    return _dt.date.fromordinal(o).isoformat()
