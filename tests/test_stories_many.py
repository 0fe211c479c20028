"""sketch_many: the sketches of sketch, text by text, byte for byte (story grouping's matches
and the stored story ids depend on them), and both equal a slow reference built from the
definition: findall tokens, polynomial token hashes in Python ints, datasketch's MinHash."""

from __future__ import annotations

import hashlib
import re

import pytest
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor import stories
from monitor.stories import Sketch, sketch, sketch_many

M64 = (1 << 64) - 1
M32 = (1 << 32) - 1
POLY = 0xD6E8FEB86659FD93
MIX = 0x9E3779B97F4A7C15

ODD = [
    "",
    "— … !!",
    "one",
    "one two",
    "Four words only here.",
    "Exactly five words in this",
    "Six words: one two three four.",
    "İstanbul ΣΑΣ ß ﬁ K ½ ² “quoted” Ünïcödé wörds",
    "\ud800 lone \udfff surrogates and more words",
    "1 2 3 4 5 6 7 8 9 10 2026 3.14",
    "a a a a a a a a a a a a",
    "_ __ ___ x_y 0_0 words_with_underscores",
]


def _splitmix64(h: int) -> int:
    h ^= h >> 30
    h = (h * 0xBF58476D1CE4E5B9) & M64
    h ^= h >> 27
    h = (h * 0x94D049BB133111EB) & M64
    return h ^ (h >> 31)


def _token_hash(token: bytes) -> int:
    return _splitmix64(sum(byte * pow(POLY, i, 1 << 64) for i, byte in enumerate(token)) & M64)


def reference(text: str, num_perm: int = 64) -> Sketch:
    tokens = [t.encode("utf-8", "surrogatepass") for t in re.findall(r"\w+", text.casefold())]
    if not tokens:
        return Sketch(b"", None)
    joined = b" ".join(tokens)
    th = [_token_hash(t) for t in tokens]
    shingles = []
    for i in range(max(len(th) - 4, 1)):
        h = 0
        for t in th[i : i + 5]:
            h = ((h * MIX) & M64) ^ t
        shingles.append((h ^ (h >> 32)) & M32)
    m = MinHash(num_perm=num_perm, seed=1, scheme="affine32", hashfunc=lambda x: x)
    m.update_batch(shingles)  # datasketch premixes with fmix32, permutes, takes minima
    return Sketch(hashlib.blake2b(joined, digest_size=16).digest(), m.hashvalues.tobytes())


def _synth_texts(n: int, seed: int) -> list[str]:
    from monitor import pipeline
    from monitor.synth import SynthConfig, iter_entries

    return [
        pipeline.clean_only(e).cleaned.text
        for e in iter_entries(SynthConfig(articles=n, sources=20, seed=seed))
    ]


def test_sketch_and_sketch_many_are_the_reference() -> None:
    texts = _synth_texts(12, seed=5) + ODD + [" ".join(f"w{i % 997}" for i in range(9000))]
    want = [reference(t) for t in texts]
    assert [sketch(t) for t in texts] == want
    assert sketch_many(texts) == want
    assert sketch_many(texts[::-1]) == want[::-1]


@pytest.mark.parametrize("num_perm", [16, 64, 128])
def test_sketch_many_equals_sketch_text_by_text(num_perm: int) -> None:
    """Chunks of every size over synth texts with the odd texts in between (short texts
    leave the block, long ones fill it alone, blocks close mid-chunk)."""
    texts = _synth_texts(300, seed=9)
    mixed = [t for pair in zip(texts, ODD * 25, strict=False) for t in pair]
    mixed += [" ".join(texts[:12]), "x " * 30_000, *texts[300 - 20 :]]
    want = [sketch(t, num_perm) for t in mixed]
    for size in (1, 2, 5, 25, 101, len(mixed)):
        got = []
        for i in range(0, len(mixed), size):
            got += sketch_many(mixed[i : i + size], num_perm)
        assert got == want, size
    assert sketch_many([], num_perm) == []


def test_blocks_of_any_size_give_the_same_sketches(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _synth_texts(40, seed=2) + ODD
    want = [sketch(t) for t in texts]
    for size in (1, 50, 3_000, 100_000):
        monkeypatch.setattr(stories, "_BLOCK_BYTES", size)
        assert sketch_many(texts) == want, size


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.text(st.sampled_from("ab cd éÉ “”—_ 1 ß\u00a0İ\n"), max_size=60),
        max_size=8,
    )
)
def test_sketch_many_of_small_odd_texts_is_the_reference(texts: list[str]) -> None:
    assert sketch_many(texts) == [reference(t) for t in texts]
