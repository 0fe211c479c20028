"""Per-article scans of the quote finder rewritten in round 20, against their definitions:
`quotes.paragraphs` (str.find and a whitespace walk) against the ``_PARA_SPLIT.finditer``
loop it replaced, and `_quote_reach`/`_quoted` (bisection over the spans' openings) against
`_quoted_mask` (a byte per character), on synthetic articles, the seed page, the labelled
passages and random texts."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.extract import quotes as q
from tests.quote_texts import article_texts


def _old_paragraphs(text: str) -> list[tuple[int, int]]:
    """`quotes.paragraphs` before round 20."""
    out, pos = [], 0
    for m in q._PARA_SPLIT.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _check_reach(text: str) -> None:
    ctx = q.Context(text, [], {}, {}, None, q.paragraphs(text))  # type: ignore[arg-type]
    ctx.spans = q.find_spans(text, ctx.paras)
    mask = q._quoted_mask(ctx)
    opens, reach = q._quote_reach(ctx.spans)
    assert [q._quoted(opens, reach, i) for i in range(len(text))] == [
        bool(b) for b in mask[: len(text)]
    ]


def _texts() -> list[str]:
    return article_texts(150, 21)


def test_paragraphs_and_reach_on_articles() -> None:
    texts = _texts()
    assert sum(len(_old_paragraphs(t)) for t in texts) > 3_000
    for text in texts:
        assert q.paragraphs(text) == _old_paragraphs(text)
        _check_reach(text)


_PIECES = ["\n", "\n\n", " ", "\t", "\r", "\u2028", "\x1c", "\u00a0", "\u2003", "\x85"]
_PIECES += ["a", "Word", "“", "”", "«", "»", '"', "„", "said.", " ", "\n \n"]


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_paragraphs_and_reach_on_random_texts(parts: list[str]) -> None:
    text = "".join(parts)
    assert q.paragraphs(text) == _old_paragraphs(text)
    _check_reach(text)


def test_paragraphs_and_reach_on_many_random_strings() -> None:
    rng = random.Random(21)
    for _ in range(30_000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randrange(40)))
        assert q.paragraphs(text) == _old_paragraphs(text)
        _check_reach(text)
