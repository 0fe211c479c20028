"""The tail's subject-verb reading, round 20: `quotes._subject_verb` (a search for what
follows the subject, the regex only where that cannot decide) against its definition,
``_TAIL_SUBJ_VERB.match``, and `_tail_candidates` against its form before round 20; on the
tails of synthetic articles (both name modes), the seed page and the labelled passages (the
text after every closing mark), and on random tails (hypothesis, and seeded)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.extract import quotes as q
from tests.quote_texts import article_texts


def _reference(tail: str) -> tuple | None:
    m = q._TAIL_SUBJ_VERB.match(tail)
    if m is None:
        return None
    return m.group("subj"), m.start("subj"), m.group("verb"), m.group("rest")


def _old_candidates(tail: str) -> tuple:
    """`quotes._tail_candidates` before round 20's regex-free subject reading, with round 20's
    one fix: a subject of only whitespace ("said" and two spaces) is no speaker (it raised
    IndexError)."""
    out = []
    first = tail.lstrip()[:1]
    m = q._TAIL_DASH.match(tail) if first in q._DASH_FIRST else None
    if m:
        out.append((m.group("subj"), m.start("subj"), "―"))
    m = q._TAIL_VERB_SUBJ.match(tail) if first in q._VERB_SUBJ_FIRST else None
    if m:
        subj = m.group("subj")
        words = subj.split()
        if words and (subj[:1].isupper() or words[0] in q._LOWER_SUBJECT_START):
            out.append((subj, m.start("subj"), m.group("verb")))
    m = q._TAIL_ACCORDING.match(tail) if first in q._ACCORDING_FIRST else None
    if m:
        out.append((m.group("subj"), m.start("subj"), "according to"))
    m = q._TAIL_SUBJ_VERB.match(tail)
    if m and len(m.group("subj").split()) <= 12:
        out.append(
            (m.group("subj"), m.start("subj"), q._cue_phrase(m.group("verb"), m.group("rest")))
        )
    return tuple(out)


def _outcome(fn, tail: str) -> object:
    """The result, or the exception's type (so that an input raising in one raises the same
    way in the other)."""
    try:
        return fn(tail)
    except IndexError as e:
        return type(e)


def _check(tail: str) -> None:
    assert q._subject_verb(tail) == _reference(tail), tail
    assert _outcome(q._tail_candidates, tail) == _outcome(_old_candidates, tail), tail


def _tails() -> list[str]:
    texts = article_texts(150, 23)
    tails = []
    for t in texts:
        for i, ch in enumerate(t):
            if ch in q.CLOSERS:
                tails.append(t[i + 1 : i + 1 + 200])
                tails.append(t[i + 1 : q._sentence_end(t, i + 1, len(t))])
    return tails


def test_subject_verb_on_article_tails() -> None:
    tails = _tails()
    assert sum(_reference(t) is not None for t in tails) > 2_000
    for tail in tails:
        _check(tail)


_WORDS = q._CUE_VERBS.split("|") + q._PARTICIPLES.split("|")[:5]
_WORDS += ["also", "later", "simply", "quickly", "had", "will", "according to", "he", "Peskov"]
_WORDS += ["a spokesperson", "the", "Mr.", "x" * 150, "―", ",", ";", "!", "?", "“", "”", '"']
_WORDS += ["«", "»", ".", "\n", " ", "  ", "\u00a0", "\u2003", "\t", "said.", "saidly"]


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=14))
def test_subject_verb_on_random_tails(parts: list[str]) -> None:
    _check("".join(parts))


def test_subject_verb_on_many_random_tails() -> None:
    rng = random.Random(23)
    for _ in range(40_000):
        parts = [rng.choice(_WORDS) for _ in range(rng.randrange(16))]
        _check("".join(p if rng.random() < 0.5 else " " + p for p in parts))
