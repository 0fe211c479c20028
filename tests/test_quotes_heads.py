"""The head's cue, round 20: `quotes._head_cue` (remembered per head) against its
definition, ``_HEAD_CUE.search`` and ``_PARTICIPLE_RE`` on its verb: on the heads of
synthetic articles (both name modes), the seed page and the labelled passages (the text
before every opening mark, from its sentence start and from a few fixed distances), and on
random heads, each read cold and again from the memo; the memo stays bounded."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.extract import quotes as q
from tests.quote_texts import article_texts


def _reference(head: str) -> tuple | None:
    m = q._HEAD_CUE.search(head)
    if m is None:
        return None
    verb = m.group("verb")
    return m.start("verb"), verb, m.group("rest"), bool(q._PARTICIPLE_RE.match(verb))


def _check(head: str) -> None:
    expected = _reference(head)
    q._HEAD_MEMO.pop(head, None)
    assert q._head_cue(head) == expected, head  # cold
    assert q._head_cue(head) == expected, head  # from the memo


def _heads() -> list[str]:
    texts = article_texts(100, 24)
    heads = []
    for t in texts:
        for i, ch in enumerate(t):
            if ch in q.OPENERS:
                heads.append(t[q._sentence_start(t, 0, i) : i])
                heads += [t[max(0, i - k) : i] for k in (20, 60, 150)]
    return heads


def test_head_cue_on_article_heads() -> None:
    heads = _heads()
    assert sum(_reference(h) is not None for h in heads) > 2_000
    for head in heads:
        _check(head)


_WORDS = q._CUE_VERBS.split("|") + ["saying", "stating", "telling reporters", "adding"]
_WORDS += ["that", "He", "Peskov", "the", "Mr.", "in a statement", ",", ":", ";", ".", "!"]
_WORDS += ["“", "”", '"', "«", " ", "  ", "\u00a0", "\t", "x" * 90, "saidx", "ly"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=12))
def test_head_cue_on_random_heads(parts: list[str]) -> None:
    _check(" ".join(parts))


def test_head_cue_on_many_random_heads() -> None:
    rng = random.Random(24)
    for _ in range(20_000):
        parts = [rng.choice(_WORDS) for _ in range(rng.randrange(12))]
        _check("".join(p if rng.random() < 0.5 else " " + p for p in parts))


def test_head_memo_bounded(monkeypatch) -> None:
    monkeypatch.setattr(q, "_TAIL_MEMO_MAX", 3)
    q._HEAD_MEMO.clear()
    for head in ("He said: ", "Peskov told reporters: ", "x", "She added, ", "y z "):
        assert q._head_cue(head) == _reference(head)
        assert len(q._HEAD_MEMO) <= 3
