import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equipid.normalize import fold, has_invisible, key, pattern_forms, scan_form


@pytest.mark.parametrize(
    "a, b",
    [
        ("АК-74М", "AK-74M"),  # Cyrillic typed
        ("ak74m", "AK-74M"),
        ("ak 74 m", "AK-74M"),
        ("R-166-0,5", "R-166-0.5"),
        ("Р-166-0,5", "R-166-0.5"),  # Cyrillic Р is R, not P
        ("МИБ", "MIB"),
        ("Сelox", "Celox"),  # one Cyrillic С in a Latin word
        ("AK\u200b-74M", "AK-74M"),  # zero-width space
        ("\u202eAK-74M", "AK-74M"),  # bidi override
        ("ＡＫ－７４Ｍ", "AK-74M"),  # full-width (NFKC)
    ],
)
def test_same_key(a: str, b: str) -> None:
    assert key(a) == key(b)


def test_fold_keeps_word_boundaries() -> None:
    assert fold("Kalashnikov AK-74M, w/ PBS-1") == "kalashnikov ak 74m w pbs 1"


def test_transliteration_of_russian_words() -> None:
    assert fold("тельняшка") == "telnyashka"
    assert fold("Стугна-П") == "stugna p"


def test_pattern_forms_are_word_bounded() -> None:
    text = scan_form(fold("a T-90M and a T-90"))
    t90 = pattern_forms("T-90")[0]
    assert text.count(t90) == 1


def test_has_invisible() -> None:
    assert has_invisible("AK\u200d-74")
    assert not has_invisible("AK-74")


def _fold_before(text: str) -> str:
    """fold() as first written, before its fast paths: the reference."""
    import unicodedata

    from equipid.normalize import _NON_WORD, INVISIBLE_RE, _fold_token

    if text.isascii():
        return _NON_WORD.sub(" ", text.lower()).strip()
    text = unicodedata.normalize("NFKC", text)
    text = INVISIBLE_RE.sub("", text)
    return " ".join(f for f in (" ".join(t for t in map(_fold_token, re.findall(r"[^\W_]+", c)) if t)
                                for c in text.casefold().split()) if f)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40)
       | st.text(alphabet=st.sampled_from("aK7 -_.,\t\n\u200bАКМтельняшка\u00ad²Ｍ!ß"), max_size=40))
def test_fold_fast_paths_match_the_reference(text: str) -> None:
    assert fold(text) == _fold_before(text)
