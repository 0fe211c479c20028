"""The cleaner's bigrams (`clean._key_bigrams`: compiled, each bigram is the key's slice "a b";
uncompiled, the word pair) against the representation of rounds up to 18: a frozenset of
word-pair tuples, ``frozenset(pairwise(key.split(" ")))``.

Every number `_near_duplicate_of` reads (a paragraph's bigram count, how many of its bigrams
the union of the earlier ones holds, the intersection with each kept paragraph) must be the
one the tuples give, and so must every verdict: the old near-duplicate check is kept here as
the reference and replayed on each cleaned article's walk."""

from __future__ import annotations

import random
from itertools import pairwise

from monitor import clean
from monitor.learned import paragraph_key
from monitor.synth import SynthConfig, iter_entries
from tests.test_clean_near import _edited
from tests.test_clean_screens import _paragraph

_COMPILED = not clean.__file__.endswith(".py")


def _old_bigrams(key: str) -> frozenset[tuple[str, str]]:
    """`clean._key_bigrams` before round 19."""
    return frozenset(pairwise(key.split(" ")))


def _old_near_duplicate_of(
    shingles: frozenset[tuple[str, str]],
    near: list[tuple[frozenset[tuple[str, str]], int]],
    union: set[tuple[str, str]],
) -> int | None:
    """`clean._near_duplicate_of` before round 19 (its screens included)."""
    n = len(shingles)
    t = clean._NEAR_THRESHOLD
    before = len(union)
    union |= shingles
    shared = n - (len(union) - before)
    if shared < t * n:
        return None
    for other, index in near:
        m = len(other)
        u = shared if shared < m else m
        if u < t * (n + m - u):
            continue
        inter = len(shingles & other)
        if inter >= t * (n + m - inter):
            return index
    return None


def _articles() -> list[list[str]]:
    """Synth articles with edited copies of their paragraphs (both name modes), and
    small-vocabulary articles full of near pairs and repeated bigrams."""
    rng = random.Random(19)
    out = []
    for per_paragraph_names in (False, True):
        config = SynthConfig(articles=150, seed=19, per_paragraph_names=per_paragraph_names)
        for e in iter_entries(config):
            paragraphs = clean._normalised_html_paragraphs(e.raw_content)
            for _ in range(rng.randrange(1, 6)):
                copy = _edited(rng.choice(paragraphs), rng)
                paragraphs.insert(rng.randrange(len(paragraphs) + 1), copy)
            out.append(paragraphs)
    for _ in range(600):
        paragraphs: list[str] = []
        for _ in range(rng.randint(2, 14)):
            base = rng.choice(paragraphs).split(" ") if paragraphs else None
            paragraphs.append(_paragraph(rng, base))
        out.append(paragraphs)
    return out


def test_bigrams_count_as_the_word_pair_tuples():
    """Within one article: each set's size, each pair's intersection, and each paragraph's
    bigrams already in the union of those before it. Keys of any length, and odd ones
    (empty words cannot come from a paragraph key, but the slices stay exact with them)."""
    pairs = 0
    odd = [
        "",
        "a",
        "a b",
        " a",
        "a ",
        "a  b",
        "  ",
        "a b a b",
        "ab a b",
        "a ba b",
        "é ß ﬃ é ß",
        "😀 x \U0001f600 x 😀",
        "\ud800 a \ud800 a",
    ]
    for paragraphs in [*_articles(), odd]:
        keys = [paragraph_key(p) for p in paragraphs] if paragraphs is not odd else odd
        new = [clean._key_bigrams(k) for k in keys]
        old = [_old_bigrams(k) for k in keys]
        union_new: set = set()
        union_old: set[tuple[str, str]] = set()
        for i, (a, x) in enumerate(zip(new, old, strict=True)):
            assert type(a) is set and len(a) == len(x)
            assert a == ({" ".join(pair) for pair in x} if _COMPILED else set(x))
            assert len(a & union_new) == len(x & union_old)
            union_new |= a
            union_old |= x
            for b, y in zip(new[:i], old[:i], strict=True):
                assert len(a & b) == len(x & y)
                pairs += 1
        assert len(union_new) == len(union_old)
    assert pairs > 50_000


def test_verdicts_match_the_tuple_near_check():
    """Each paragraph `_filter` kept or removed as a (near) repeat gets the same verdict from
    the old check on the old representation, replayed along the cleaned walk."""
    near = kept = 0
    for paragraphs in _articles():
        cleaned = clean._filter(paragraphs, title=None, published=None, learned=frozenset())
        union: set[tuple[str, str]] = set()
        seen: list[tuple[frozenset[tuple[str, str]], int]] = []
        exact: list[str] = []
        for p, reason in clean._walk_of(cleaned):
            if reason is not None and not reason.startswith("near-duplicate-of-paragraph-"):
                continue  # exact repeats never reach the near check
            key = paragraph_key(p)
            index = None
            shingles = frozenset()
            if key.count(" ") + 1 >= clean._NEAR_MIN_WORDS:
                shingles = _old_bigrams(key)
                index = _old_near_duplicate_of(shingles, seen, union)
            if reason is None:
                assert index is None, p
                exact.append(p)
                kept += 1
                if shingles:
                    seen.append((shingles, len(exact)))
            else:
                assert index == int(reason.rpartition("-")[2]), p
                near += 1
        assert exact == list(cleaned.paragraphs)
    assert near > 300 and kept > 5000
