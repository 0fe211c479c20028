"""Sentence stops, round 20: `quotes._stop_end` (what the compiled module tries each stop
with, instead of the regex) against its definition ``_SENT_END.match``; `_Stops` (every
stop tried at once) against the matches of ``_SENT_END.finditer``; `_sentence_start` and
`_sentence_end` (bisection over them, then the first opening mark) against the regex
search they stand for, also where the tail starts past the paragraph end (an unclosed
quote). Synthetic articles, the seed page, the labelled passages, random texts."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.extract import quotes as q
from tests.quote_texts import article_texts

_PIECES = [
    "Mr", "Ms", "Dr", "St", "Lt", "vs", "Mrs", "Rep", "Sen", "Gov", "Gen", "Del", "Col",
    "Feb", "Jan", "Aug", "Oct", "Nov", "Dec", "Sept", "xMr", "_Dr", "éSt", "1Dec", "U", "S",
    ".", ".", "!", "?", "”", "’", ")", '"', " ", "  ", "\n", "\n\n", "\u00a0", "\u2003", "\t",
    "A", "a", "3", "“", "«", "‘", "(", "[", "»", "„", "x", "said", "ß",
]  # fmt: skip


def _old_end(text: str, pos: int, pe: int) -> int:
    m = q._SENT_END.search(text, pos, pe) if pos <= pe else None
    end = m.start() + 1 if m else pe
    for ch in q.OPENERS:
        j = text.find(ch, pos, end)
        if j >= 0:
            end = j
    return end


def _old_start(text: str, ps: int, pos: int) -> int:
    ends = [m.end() for m in q._SENT_END.finditer(text) if m.end() <= pos]
    return ends[-1] if ends and ends[-1] > ps else ps


def _check(text: str, step: int) -> None:
    for p in q._positions(text, ".!?"):
        m = q._SENT_END.match(text, p)
        assert q._stop_end(text, p) == (m.end() if m else 0), (text, p)
    stops = q._Stops(text)
    found = list(q._SENT_END.finditer(text))
    assert stops.starts == [m.start() for m in found]
    assert stops.ends == [m.end() for m in found]
    n = len(text)
    for pos in range(0, n + 2, step):
        for ps in range(0, min(pos, n) + 1, step):
            assert q._sentence_start(text, ps, pos, stops) == _old_start(text, ps, pos)
        for pe in range(max(0, pos - 2), n + 1, step):
            assert q._sentence_end(text, pos, pe, stops) == _old_end(text, pos, pe)


def _texts() -> list[str]:
    return article_texts(40, 22)


def test_stops_on_articles() -> None:
    texts = _texts()
    assert sum(len(q._Stops(t).starts) for t in texts) > 3_000
    for text in texts:
        _check(text, max(1, len(text) // 30))


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_stops_on_random_texts(parts: list[str]) -> None:
    _check("".join(parts), 1)


def test_stop_end_on_many_random_strings() -> None:
    rng = random.Random(22)
    for _ in range(100_000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randrange(16)))
        for p in q._positions(text, ".!?"):
            m = q._SENT_END.match(text, p)
            assert q._stop_end(text, p) == (m.end() if m else 0), (text, p)
