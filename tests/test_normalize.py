import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equipid.normalize import fold, has_invisible, key, pattern_forms, plural_forms, scan_form, scan_text


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


def test_plural_forms_inflect_the_last_word_only() -> None:
    assert plural_forms("light blue beret") == [scan_form("light blue berets")]
    assert plural_forms("Z marking") == [scan_form("z markings")]
    assert plural_forms("technical") == [scan_form("technicals")]
    assert plural_forms("black militia") == [scan_form("black militias")]
    assert plural_forms("armoured bus") == []  # already ends in s
    assert plural_forms("box") == [scan_form("boxes")]
    assert plural_forms("T-72B3") == []  # designators are not inflected
    assert plural_forms("MT") == []


def test_plural_patterns_found_in_text(bundled) -> None:
    from equipid.sightings.matcher import Resolver

    r = Resolver(bundled)
    assert r.scan(fold("paratroopers in light blue berets")) == ["actor-vdv", "vdv-beret"]
    assert "z-marking" in r.scan(fold("vehicles with Z markings"))


def test_plural_never_overrides_an_alias_and_a_shared_plural_is_dropped(mini_copy) -> None:
    from equipid.catalog.compiler import compile_catalog
    from equipid.catalog.loader import load_catalog

    (mini_copy / "plurals.yaml").write_text(
        "equipment:\n"
        "  - {id: tank-a, name: tank a, category: tank, aliases: [big tank], sources: [https://example.org/a]}\n"
        "  - {id: tank-b, name: tank b, category: tank, aliases: [big tanks, small tank], sources: [https://example.org/b]}\n"
        "  - {id: tank-c, name: tank c, category: tank, aliases: [small tank], sources: [https://example.org/c]}\n"
        "  - {id: tank-d, name: tank d, category: tank, aliases: [wide tank], sources: [https://example.org/d]}\n"
        "  - {id: tank-e, name: tank e, category: tank, aliases: [wide tank], sources: [https://example.org/e]}\n",
        encoding="utf-8",
    )
    pats = dict(compile_catalog(load_catalog([mini_copy]), "t").patterns)
    assert pats[scan_form("big tanks")] == "tank-b"  # written out by b, derived for a: b wins
    assert scan_form("small tanks") not in pats  # both b and c would claim it
    assert scan_form("wide tanks") not in pats  # the alias itself is ambiguous, so is its plural


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


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40)
       | st.text(alphabet=st.sampled_from("aK7 -_.,\t\n\u200bАКМтельняшка\u00ad²Ｍ!ß"), max_size=40))
def test_scan_text_is_the_scan_form_of_the_fold(text: str) -> None:
    assert scan_text(text) == scan_form(fold(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aK7 -\tМк\u00ad\u034f\u115f\u180e\u200b\u200d\u202e\u2060\u2069\ufeffﬁ\u0301é"), max_size=30))
def test_fold_removes_invisible_characters_like_the_reference(text: str) -> None:
    assert fold(text) == _fold_before(text)
