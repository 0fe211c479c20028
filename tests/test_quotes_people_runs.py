"""The people scan's character loop (quotes._people_runs_loop, what the compiled module uses
instead of the regex, round 20) against its definition, ``_PEOPLE_RUN.finditer``: the same
(start, end) spans on synthetic articles (both name modes), the seed page, the labelled
passages and random texts over the characters the pattern cares about (capitals, honorifics,
initials, name prefixes, apostrophes, hyphens, Unicode letters, digits and spaces)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.extract import quotes as q
from tests.quote_texts import article_texts

_COMPILED = not q.__file__.endswith(".py")


def _reference(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in q._PEOPLE_RUN.finditer(text)]


def _check(text: str) -> None:
    expected = _reference(text)
    assert q._people_runs_loop(text) == expected, text
    assert q._people_runs(text) == expected, text


def _texts() -> list[str]:
    return article_texts(200, 20)


def test_loop_equals_the_regex_on_articles() -> None:
    texts = _texts()
    assert sum(len(_reference(t)) for t in texts) > 20_000
    for text in texts:
        _check(text)


_WORDS = st.sampled_from(
    ["Mr", "Mrs", "Ms", "Dr", "Lt", "Prof", "Capt", "Sen", "Adm", "Rev", "Sgt", "Gen", "Del"]
    + ["O’", "O'", "Mc", "Mac", "A", "J", "F", "Smith", "van", "de", "the", "X", "é", "Éa"]
    + ["MR", "sMr", "Jean-Luc", "O’Brien", "McDonald", "ß", "٣", "x_y", "Z9"]
)
_GLUE = st.sampled_from(
    [" ", "  ", ". ", ".", "\n\n", "\n", "-", "’", "'", ", ", "\t", "_", "1", "\u00a0", "\u2003"]
    + [". \n ", "“", "”", "(", ")", ""]
)


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.tuples(_WORDS, _GLUE), max_size=14))
def test_loop_equals_the_regex_on_random_texts(parts: list[tuple[str, str]]) -> None:
    _check("".join(w + g for w, g in parts))


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="MrsDPfCaptO’'cAJZ. \n\t\u00a0-_éÉx1٣ß,“", max_size=40))
def test_loop_equals_the_regex_on_random_characters(text: str) -> None:
    _check(text)


def test_loop_equals_the_regex_on_many_random_strings() -> None:
    """Seeded and broad: 50,000 strings of up to 30 pieces (hypothesis shrinks, this covers)."""
    rng = random.Random(20)
    pieces = list("ABJMOZrsca.’'-_ \n\t\u00a0\u2003é1٣ß,“”")
    pieces += ["Mr", "Mrs", "Prof", "Capt", "Dr", "Lt", "Sgt", "Adm", "O’", "Mc", "Mac", ". "]
    for _ in range(50_000):
        _check("".join(rng.choice(pieces) for _ in range(rng.randrange(31))))


def test_compiled_module_uses_the_loop() -> None:
    """Compiled, `_people_runs` is the loop; plain Python, the regex (same spans either way)."""
    if not _COMPILED:
        return
    text = "Mr. Smith met Dr. J. Watson and O’Brien."
    calls = []
    original = q._PEOPLE_RUN
    try:

        class _Spy:
            def finditer(self, t):
                calls.append(t)
                return original.finditer(t)

        q._PEOPLE_RUN = _Spy()
        assert q._people_runs(text) == [m.span() for m in original.finditer(text)]
    finally:
        q._PEOPLE_RUN = original
    assert calls == []
