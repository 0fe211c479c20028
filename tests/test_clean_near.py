"""The cleaner's repeated-paragraph checks against their definition, on synthetic articles
with edited copies of their own paragraphs mixed in (synth articles have no repeats):
every paragraph removed as a near-duplicate cites the first kept paragraph before it whose
word-bigram Jaccard (of the digit-folded keys) is at least the threshold, and every kept
paragraph of enough words has no such paragraph before it. `_near_duplicate_of` screens
with the union of the kept bigrams and `_unruled_reason` skips the word split of folded
paragraphs; this pins both to the brute-force comparison with every kept paragraph."""

from __future__ import annotations

import random

from monitor import clean
from monitor.learned import paragraph_key
from monitor.synth import SynthConfig, iter_entries


def _bigrams(p: str) -> frozenset[tuple[str, str]]:
    words = paragraph_key(p).split()
    if len(words) < clean._NEAR_MIN_WORDS:
        return frozenset()
    return frozenset(zip(words, words[1:], strict=False))


def _first_near(p: str, kept: list[str]) -> int | None:
    """1-based index of the first kept paragraph `p` nearly repeats (brute force)."""
    mine = _bigrams(p)
    if not mine:
        return None
    for index, other in enumerate(kept, 1):
        theirs = _bigrams(other)
        inter = len(mine & theirs)
        if theirs and inter >= clean._NEAR_THRESHOLD * len(mine | theirs):
            return index
    return None


def _edited(p: str, rng: random.Random) -> str:
    """A copy of `p` with 0-8 word edits, sometimes re-spaced and upper-cased."""
    words = p.split(" ")
    for _ in range(rng.choice([0, 1, 1, 2, 3, 5, 8])):
        i = rng.randrange(len(words))
        op = rng.random()
        if op < 0.4:
            words[i] = rng.choice(["said", "the", "2024", "Ünïcode", "x"])
        elif op < 0.7 and len(words) > 2:
            del words[i]
        else:
            words.insert(i, rng.choice(["also", "12", "  ", "\u00a0", "ß"]))
    out = " ".join(words)
    return out if rng.random() < 0.8 else "  " + out.upper() + "\t"


def test_near_duplicates_match_the_brute_force_definition():
    rng = random.Random(12)
    near = kept_checked = 0
    for e in iter_entries(SynthConfig(articles=300, seed=12)):
        paragraphs = clean._normalised_html_paragraphs(e.raw_content)
        for _ in range(rng.randrange(1, 6)):
            copy = _edited(rng.choice(paragraphs), rng)
            paragraphs.insert(rng.randrange(len(paragraphs) + 1), copy)
        cleaned = clean._filter(paragraphs, title=e.title, published=None, learned=frozenset())
        kept: list[str] = []
        for p, reason in clean._walk_of(cleaned):
            if reason is None:
                assert _first_near(p, kept) is None, p
                kept_checked += 1
                kept.append(p)
            elif reason.startswith("near-duplicate-of-paragraph-"):
                assert _first_near(p, kept) == int(reason.rpartition("-")[2]), p
                near += 1
            elif reason.startswith("duplicate-of-paragraph-"):
                assert kept[int(reason.rpartition("-")[2]) - 1].casefold() == p.casefold()
    assert near > 100 and kept_checked > 1000  # the edits do make near-duplicates


def test_folding_invariants_of_casefold_and_nfc():
    """What `_filter(..., folded=True)` and `_plain_paragraphs` rely on: casefold, NFC and NFD
    map no character but whitespace to whitespace or to nothing, and keep the space (so a
    text whose only whitespace is single inner spaces keeps that shape through them)."""
    import sys
    import unicodedata

    assert " ".casefold() == " " and unicodedata.normalize("NFC", " ") == " "
    for c in range(sys.maxunicode + 1):
        ch = chr(c)
        if ch.isspace() or 0xD800 <= c <= 0xDFFF:
            continue
        for out in (
            ch.casefold(),
            unicodedata.normalize("NFC", ch),
            unicodedata.normalize("NFD", ch),
        ):
            assert out and not any(x.isspace() for x in out), hex(c)


def test_the_folded_fast_path_cleans_as_the_general_walk():
    """clean_html_fragment tells `_filter` its plain-page paragraphs are folded; the result
    is what the walk that checks every paragraph gives."""
    pages = [e.raw_content for e in iter_entries(SynthConfig(articles=200, seed=5))]
    pages += [
        "<p>a  b c d e f g h i </p><p> A B C D E F G H I</p>",
        "<p>Ünïcode e\u0301 x y z w v u t s</p><p>ünïcode é x y z w v u t s</p>",
        "<p>ß ẞ ﬃ x y z w v u t s r</p><p>ss ss ffi x y z w v u t s r</p>",
    ]
    for html in pages:
        assert clean._plain_paragraphs(html) is not None
        paragraphs = clean._normalised_html_paragraphs(html)
        fast = clean.clean_html_fragment(html)
        slow = clean._filter(paragraphs, title=None, published=None, learned=frozenset())
        assert (fast.paragraphs, fast.removed, fast.kept_at) == (
            slow.paragraphs,
            slow.removed,
            slow.kept_at,
        )
