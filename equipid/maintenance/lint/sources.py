"""Whether a source is a usable address or a named publication (used by lint and stats)."""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from equipid.normalize import INVISIBLE_RE, has_invisible

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?=\S)", re.I)
_BARE_DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:/|$)", re.I)
_WORD = re.compile(r"[^\W_]+")
_LABEL = re.compile(r"^(?!-)[^\W_](?:[\w-]{0,61}[^\W_])?$")


def _unprintable(text: str) -> bool:
    """True when ``text`` holds whitespace, control, zero-width or bidi characters."""
    return has_invisible(text) or any(c.isspace() or not c.isprintable() for c in text)


def host_problem(host: str | None) -> str | None:
    """Why ``host`` is not a real host name or IP address, or None."""
    if not host:
        return "no host"
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    labels = host.removesuffix(".").split(".")
    # NOTE: a real host has a dot and a top-level domain of letters (or punycode).
    if len(labels) < 2 or not all(_LABEL.match(lb) for lb in labels) or not re.match(r"^(?:[^\W\d_]{2,}|xn--[a-z0-9-]+)$", labels[-1], re.I):
        return f"{host!r} is not a host name"
    return None


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a usable http(s) address, or None.

    A usable address has the http or https scheme, a real host (a domain
    name with a top-level domain, or an IP address) and no whitespace,
    control or invisible characters.
    """
    text = url.strip()
    if _unprintable(text):
        return "holds whitespace or invisible characters; retype it"
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return "not a valid address"
    if parts.scheme.lower() not in ("http", "https"):
        return f"not an http(s) address (scheme {parts.scheme or 'missing'!r})"
    why = host_problem(parts.hostname)
    if why:
        return f"not a valid http(s) address ({why})"
    return None


def source_problem(src: Any) -> str | None:
    """Why one source is malformed, or None: an http(s) address or a named publication.

    A named publication is text that does not look like an address or a
    scheme (``javascript:...``, ``doi:...``, ``www.example.org/...``).
    """
    if isinstance(src, str):
        s = src.strip()
        if not s:
            return "blank"
        visible = INVISIBLE_RE.sub("", s)
        if _SCHEME.match(visible) or visible.lower().startswith(("http:", "https:")) or "://" in visible.split(" ", 1)[0]:
            return url_problem(s)
        if has_invisible(s):
            return "holds invisible characters; retype it"
        if _BARE_DOMAIN.match(s) and " " not in s:
            return "looks like an address without http(s)://; write the full URL"
        words = _WORD.findall(s)
        if len(words) < 2 or not any(len(w) >= 3 and not w.isdigit() for w in words):
            return "neither an http(s) address nor a named publication (give the title, author or publisher, and date)"
        return None
    url = src.get("url") if isinstance(src, dict) else getattr(src, "url", None)
    if isinstance(url, str):
        why = url_problem(url)
        return f"url: {why}" if why else None
    return "a source is an address, a publication name or a mapping with url"
