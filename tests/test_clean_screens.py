"""The cleaner's shortcuts against what they stand for, on inputs made to hit their edges.

- `_near_duplicate_of` skips a kept paragraph when even min(shared, m) common bigrams
  (`shared`: this paragraph's bigrams already in the union) could not reach the Jaccard
  threshold. Articles over a six-word vocabulary make many pairs near the threshold and
  many paragraphs with repeated bigrams; every removal and every kept paragraph is checked
  against the brute-force comparison with every kept paragraph before it.
- `_plain_paragraphs` folds and normalises a non-ASCII page paragraph by paragraph
  (`_fold_nfc`); it returns what folding, dropping empty paragraphs and then NFC give.
"""

from __future__ import annotations

import random
import unicodedata

from monitor import clean
from tests.test_clean_near import _bigrams, _first_near

_VOCAB = ["a", "b", "c", "d", "e", "f"]


def _paragraph(rng: random.Random, base: list[str] | None) -> str:
    """Words over a small vocabulary, or a few edits of `base`'s words."""
    if base is None or rng.random() < 0.3:
        k = rng.choice([4, 6, 8, 12, 20, 40, 60])
        vocab = _VOCAB[: rng.randint(2, len(_VOCAB))]
        return " ".join(rng.choice(vocab) for _ in range(k))
    words = list(base)
    for _ in range(rng.randint(0, 4)):
        i = rng.randrange(len(words))
        op = rng.random()
        if op < 0.3:
            words[i] = rng.choice(_VOCAB + ["g", "h"])
        elif op < 0.6 and len(words) > 2:
            del words[i]
        elif op < 0.8:
            words.insert(i, rng.choice(_VOCAB))
        else:
            words.extend(words[: rng.randint(1, len(words))])  # repeated bigrams
    return " ".join(words)


def test_near_duplicates_of_small_vocabulary_articles_match_the_brute_force():
    rng = random.Random(14)
    near = kept_long = skipped_by_shared = 0
    for _ in range(1500):
        paragraphs: list[str] = []
        for _ in range(rng.randint(2, 14)):
            base = rng.choice(paragraphs).split(" ") if paragraphs else None
            paragraphs.append(_paragraph(rng, base))
        cleaned = clean._filter(paragraphs, title=None, published=None, learned=frozenset())
        kept: list[str] = []
        for p, reason in clean._walk_of(cleaned):
            if reason is None:
                assert _first_near(p, kept) is None, (p, kept)
                kept_long += bool(_bigrams(p))
                kept.append(p)
            elif reason.startswith("near-duplicate-of-paragraph-"):
                assert _first_near(p, kept) == int(reason.rpartition("-")[2]), (p, kept)
                near += 1
        # how often the shared bound (not the size test alone) rules a pair out here
        union: set[tuple[str, str]] = set()
        kept_sets: list[frozenset[tuple[str, str]]] = []
        for p in paragraphs:
            mine = _bigrams(p)
            if not mine:
                continue
            n = len(mine)
            shared = len(mine & union)
            union |= mine
            for other in kept_sets:
                m = len(other)
                size_ok = min(n, m) >= clean._NEAR_THRESHOLD * max(n, m)
                u = min(shared, m)
                skipped_by_shared += size_ok and u < clean._NEAR_THRESHOLD * (n + m - u)
            if p in cleaned.paragraphs:
                kept_sets.append(mine)
    assert near > 500 and kept_long > 1000 and skipped_by_shared > 100


def _old_plain(html: str) -> list[str]:
    """`_plain_paragraphs` of a printable plain page before `_fold_nfc` (b6a589f)."""
    parts = html[3:-4].split("</p><p>")
    if "  " in html or "<p> " in html or " </p>" in html:
        parts = [clean._fold_printable(p) for p in parts]
    if html.isascii():
        return [p for p in parts if p]
    return [clean._nfc(p) for p in parts if p]


def test_plain_paragraphs_fold_then_drop_empty_then_nfc():
    rng = random.Random(3)
    pieces = ["a", "Zé", "e\u0301", "\u0301", "ß", "Å", "A\u030a", " ", "  ", "x y", "\u3042"]
    pages = 0
    for _ in range(4000):
        paragraphs = [
            "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
            for _ in range(rng.randint(1, 6))
        ]
        html = "<p>" + "</p><p>".join(paragraphs) + "</p>"
        got = clean._plain_paragraphs(html)
        if got is None:
            continue
        pages += 1
        assert got == _old_plain(html), html
        assert all(q and unicodedata.is_normalized("NFC", q) for q in got)
    assert pages > 3000
