"""Name folding shared by lookup, observation parsing and text scanning.

One function, :func:`fold`, turns any spelling into a canonical run of
lower-case ASCII-ish tokens separated by single spaces:

* Unicode NFKC, case-folding, zero-width and bidi controls removed;
* a token written wholly in Cyrillic is transliterated (АК-74М -> ak 74m,
  Р-166-0,5 -> r 166 0 5, МИБ -> mib);
* a token mixing Latin and Cyrillic letters is taken as a homoglyph typo and
  its Cyrillic look-alikes become Latin letters (Сelox -> celox);
* every run of punctuation or separators becomes one space.

:func:`key` removes the spaces too, so AK-74M, AK74M and "ak 74 m" share a
key. Text scanning uses the spaced form, so word boundaries survive.
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width characters, bidi controls, soft hyphen, BOM, word joiner.
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x200B, 0x200C,
     0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2060, 0x2061,
     0x2062, 0x2063, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF],
    None,
)
INVISIBLE_RE = re.compile("[" + "".join(chr(c) for c in _INVISIBLE) + "]")

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
    # Ukrainian and Belarusian letters
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}
_TRANSLIT_TABLE = str.maketrans(_TRANSLIT)

# Cyrillic letters that look like Latin ones, for mixed-script typos.
_HOMOGLYPH_TABLE = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h",
})

_NON_WORD = re.compile(r"[\W_]+")
# A Cyrillic letter next to a Latin one inside a word: a homoglyph typo.
_MIXED = re.compile(r"[a-z][\u0400-\u04ff]|[\u0400-\u04ff][a-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")
_WORD = re.compile(r"[^\W_]+")


def _fold_token(tok: str) -> str:
    if not _CYRILLIC.search(tok):
        return tok
    if _LATIN.search(tok):
        return tok.translate(_HOMOGLYPH_TABLE).translate(_TRANSLIT_TABLE)
    return tok.translate(_TRANSLIT_TABLE)


_CHUNKS: dict[str, str] = {}
_CHUNKS_LIMIT = 500_000


def _fold_chunk(chunk: str) -> str:
    """Fold one whitespace-free chunk of case-folded text, remembering the answer."""
    hit = _CHUNKS.get(chunk)
    if hit is None:
        word = INVISIBLE_RE.sub("", chunk) if INVISIBLE_RE.search(chunk) else chunk
        hit = " ".join(t for t in (_fold_token(w) for w in _WORD.findall(word)) if t)
        if len(chunk) > 100:
            return hit  # NOTE: not a word; remembering it would only hold memory
        if len(_CHUNKS) > _CHUNKS_LIMIT:
            _CHUNKS.clear()
        _CHUNKS[chunk] = hit
    return hit


# Every ASCII byte that is not a letter or digit becomes a space.
_ASCII_SPACES = bytes(c if chr(c).isalnum() else 0x20 for c in range(256))


def _ascii_words(text: str) -> list[bytes]:
    """The lower-cased letter-and-digit runs of ASCII ``text``: bytes.translate and split, in C."""
    return text.lower().encode().translate(_ASCII_SPACES).split()


def fold(text: str) -> str:
    """Canonical spaced form of ``text`` (see the module docstring)."""
    if text.isascii():
        # NOTE: the same as _NON_WORD.sub(" ", text.lower()).strip(), at a
        # fifth of the cost: bytes.translate and split run in C.
        return b" ".join(_ascii_words(text)).decode()
    text = unicodedata.normalize("NFKC", text)
    # NOTE: str.translate with multi-letter replacements costs ~40 ns a
    # character; words recur endlessly in captions, so each is folded once
    # (looked up in C through map; a text with a chunk not met before takes
    # the Python path). The invisible characters are removed there too: none
    # is a space or has a case, so removing them from a chunk is removing
    # them from the text.
    chunks = text.casefold().split()
    try:
        return " ".join(filter(None, map(_CHUNKS.__getitem__, chunks)))
    except KeyError:  # a chunk not met before
        return " ".join(filter(None, map(_fold_chunk, chunks)))


def key(text: str) -> str:
    """Exact-lookup key: :func:`fold` with the spaces removed."""
    return fold(text).replace(" ", "")


def scan_form(folded: str) -> str:
    """The form text is scanned in: tokens padded so matches are word-bounded.

    Each token is surrounded by spaces and tokens are two spaces apart, so a
    pattern made with :func:`pattern_forms` can only match whole tokens, and two
    adjacent matches never share a character.
    """
    return " " + folded.replace(" ", "  ") + " "


def scan_text(text: str) -> str:
    """``scan_form(fold(text))``: the form raw text is scanned in."""
    if text.isascii():
        # NOTE: fold's ASCII path with the tokens joined two spaces apart at
        # once, saving scan_form's pass over the folded text.
        return (b" %s " % b"  ".join(_ascii_words(text))).decode()
    return scan_form(fold(text))


def pattern_forms(alias: str) -> list[str]:
    """The scan patterns of one alias: spaced, and joined when it has digits."""
    f = fold(alias)
    if not f:
        return []
    forms = [scan_form(f)]
    if " " in f and any(c.isdigit() for c in f):
        joined = " " + f.replace(" ", "") + " "
        if joined not in forms:
            forms.append(joined)
    return forms


_PLURAL_ES = ("s", "x", "z", "ch", "sh")


def plural_forms(alias: str) -> list[str]:
    """Scan patterns of the alias with its last word in the English plural.

    Captions say "T-72 tanks", "light blue berets", "Z markings" where the
    catalog says "tank", "light blue beret", "Z marking". Only a last word of
    three or more letters is inflected (not designators such as "T-72B3"), and
    a word already ending in s is left alone.
    """
    f = fold(alias)
    head, _, last = f.rpartition(" ")
    if len(last) < 3 or not last.isascii() or not last.isalpha() or last.endswith("s"):
        return []
    if last.endswith(_PLURAL_ES):
        plural = last + "es"
    elif last.endswith("y") and last[-2] not in "aeiou":
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return [scan_form(f"{head} {plural}" if head else plural)]


def has_invisible(text: str) -> bool:
    """True when ``text`` holds zero-width or bidi control characters."""
    return bool(INVISIBLE_RE.search(text))
