import pytest

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
