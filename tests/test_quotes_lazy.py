"""The quote finder's shortcuts against the forms they replace: sentence starts and ends read
from a text's stops as lookups reach them (`_Stops`), against bisection over every match
of the full scan (`_sentence_stops`); the last clause of a head without the regex split; a
one-segment quote span without the general segment join. On the labelled passages and on
random texts (hypothesis)."""

from __future__ import annotations

import json
from bisect import bisect_right
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.extract import quotes as q

_PIECES = [
    "Mr.", "Mrs.", "U.S.", "Sept.", "vs.", "a.", "Dr", ".", "!", "?", "”", "“", '"', "’",
    ")", "(", " ", "  ", "\n", "\n\n", "The", "x", "3", "«", "»", "„", "St.", "Gen.", "‘",
    ",", ";", ":", "\u00a0", "\u2003", "\t", "said",
]  # fmt: skip


def _texts() -> list[str]:
    labelled = Path(__file__).parent / "labelled" / "passages.jsonl"
    return [json.loads(line)["text"] for line in labelled.read_text("utf-8").splitlines()]


def _reference_start(text: str, ps: int, pos: int) -> int:
    ends = q._sentence_ends(text)
    i = bisect_right(ends, pos) - 1
    return ends[i] if i >= 0 and ends[i] > ps else ps


def _check_stops(text: str, step: int) -> None:
    q._sentence_stops.cache_clear()
    stops = q._Stops(text)  # one per text, as find_quotes keeps it: lookups share its matches
    n = len(text)
    for pos in range(0, n + 1, step):
        for ps in range(0, pos + 1, step):
            assert q._sentence_start(text, ps, pos, stops) == _reference_start(text, ps, pos)
        assert q._sentence_start(text, pos, pos) == _reference_start(text, pos, pos)
        for pe in range(pos, n + 1, step):
            fresh = q._sentence_end(text, pos, pe)
            assert q._sentence_end(text, pos, pe, stops) == fresh, (text, pos, pe)


def _check_make_span(text: str) -> None:
    for s in range(0, len(text) + 1, max(1, len(text) // 40)):
        for e in range(s, min(len(text), s + 300) + 1, max(1, len(text) // 40)):
            span = q._make_span(text, [(s, e)], s - 1, e, 0)
            seg = q._stripped(text, s, e)
            body = text[seg[0] : seg[1]] if seg[1] > seg[0] else ""
            assert span.text == body
            if body:  # an empty span is dropped: its offsets are never read
                assert (span.start, span.end) == (seg[0], max(seg[1], seg[0]))


def test_sentence_lookups_equal_the_full_scan_on_labelled_passages() -> None:
    for text in _texts():
        _check_stops(text, max(1, len(text) // 30))
        _check_make_span(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_sentence_lookups_equal_the_full_scan_on_random_texts(parts: list[str]) -> None:
    text = "".join(parts)
    _check_stops(text, 1)
    _check_make_span(text)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=16))
def test_last_clause_equals_the_regex_split(parts: list[str]) -> None:
    for x in ("".join(parts), " ".join(parts)):
        assert q._last_clause(x) == q._LAST_CLAUSE.split(x)[-1], x


def test_last_clause_on_labelled_heads() -> None:
    for text in _texts():
        for i in range(0, len(text), 7):
            x = text[i : i + 250]
            assert q._last_clause(x) == q._LAST_CLAUSE.split(x)[-1]
