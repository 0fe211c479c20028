"""`learned.paragraph_key` skips the whitespace split and join for a printable casefold with
single inner spaces: the key must equal the reference fold on every text."""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.learned import fold_digits, paragraph_key
from monitor.pipeline import clean_only
from monitor.synth import SynthConfig, iter_entries


def _reference(p: str) -> str:
    return fold_digits(" ".join(p.casefold().split()))


def test_every_whitespace_but_the_space_is_unprintable() -> None:
    # what the shortcut rests on: a printable text's only whitespace is " "
    for i in range(sys.maxunicode + 1):
        c = chr(i)
        if c.isspace() and c != " ":
            assert not c.isprintable(), hex(i)


_SPACES = [" ", "  ", "\t", "\n", "\xa0", "\u2009", "\u3000", "\x85", "\u2028", "\x1f"]
_WORDS = ["Reuters", "ÉTÉ", "straße", "ﬁnance", "İstanbul", "2026", "٣", "©", "“said”", "ǅ"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(_SPACES), st.text(max_size=8))))
def test_the_key_equals_the_reference_fold(parts: list[str]) -> None:
    p = "".join(parts)
    assert paragraph_key.__wrapped__(p) == _reference(p)


def test_the_key_equals_the_reference_on_cleaned_synthetic_paragraphs() -> None:
    entries = iter_entries(SynthConfig(articles=200, sources=5))
    paragraphs = [p for e in entries for p in clean_only(e).cleaned.paragraphs]
    assert len(paragraphs) > 1000
    for p in paragraphs:
        assert paragraph_key.__wrapped__(p) == _reference(p)
