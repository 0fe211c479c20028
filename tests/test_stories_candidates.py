"""StoryIndex._best_candidate against its definition, by brute force: among the live hit rows
that share a whole band with the sketch (MinHashLSH's candidates), the most similar one, the
lowest row of a tie, if its similarity (equal values / num_perm) is at the threshold.

The index tests the band condition only for the rows that could win (round 14), so the cases
that matter are the ones where a row scores higher without being a candidate, ties, repeated
and evicted hit rows, and thresholds whose similarity test the division decides."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from monitor.stories import Sketch, StoryIndex


def _definition(index: StoryIndex, sig: np.ndarray, found: list[int]) -> tuple[str, float] | None:
    best: tuple[int, int] | None = None  # (equal values, row)
    for row in sorted(set(found)):
        if not index._live[row]:
            continue
        equal = index._sigs[row] == sig
        bands = equal[: index._b * index._r].reshape(index._b, index._r)
        if not bands.all(axis=1).any():
            continue  # not a candidate, however similar
        same = int(equal.sum())
        if best is None or same > best[0]:
            best = (same, row)
    if best is None:
        return None
    similarity = float(best[0]) / float(index.num_perm)
    if similarity < index.threshold:
        return None
    return index._entries[index._row_ids[best[1]]][0], similarity


def _signature(rng: np.random.Generator, base: np.ndarray, keep: float) -> np.ndarray:
    """``base`` with each value kept with probability ``keep``, else a fresh value."""
    fresh = rng.integers(0, 1 << 32, len(base), dtype=np.uint32)
    return np.where(rng.random(len(base)) < keep, base, fresh).astype(np.uint32)


@pytest.mark.parametrize(
    ("threshold", "num_perm", "seed"), [(0.5, 64, 1), (0.5, 64, 2), (0.3, 10, 3), (0.7, 20, 4)]
)
def test_best_candidate_is_the_definition(threshold: float, num_perm: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    index = StoryIndex(threshold=threshold, num_perm=num_perm, keep_at_least=0)
    t0 = datetime(2026, 1, 1)
    bases = [rng.integers(0, 1 << 32, num_perm, dtype=np.uint32) for _ in range(4)]
    # rows near a few bases (many share bands and tie), some evicted afterwards
    for k in range(300):
        sig = _signature(rng, bases[k % 4], rng.choice([0.3, 0.6, 0.8, 0.95]))
        s = Sketch(f"d{k}".encode(), sig.tobytes())
        index.assign_sketch(f"a{k}", s, t0 + timedelta(minutes=k))
    for k in range(0, 300, 7):
        if f"a{k}" in index._entries:
            index._forget(f"a{k}")
    used = index._used
    checked = matched = 0
    for q in range(400):
        sig = _signature(rng, bases[q % 4], rng.choice([0.2, 0.5, 0.7, 0.9]))
        # any rows, some repeated, some dead: the method must not care
        found = rng.integers(0, used, rng.integers(1, 80)).tolist()
        found += found[: len(found) // 3]
        got = index._best_candidate(sig, np.array(found, dtype=np.uint64))
        assert got == _definition(index, sig, found)
        checked += 1
        matched += got is not None
    assert matched > checked // 10  # the interesting branch ran


def test_a_more_similar_row_that_shares_no_band_does_not_win() -> None:
    index = StoryIndex(threshold=0.5, num_perm=64)
    b, r = index._b, index._r  # 14 bands of 4 values, 8 values in no band
    query = np.arange(1, 65, dtype=np.uint32)
    # row 0: one value off in every band: 50 of 64 equal, no band shared
    close = query.copy()
    close[0 : b * r : r] += 1000
    # rows 1 and 2: band 0 equal (candidates), 36 of 64 equal each (a tie), and only 8 of
    # their values in common, so neither joined another's story: row 1 wins the tie
    tie1, tie2 = query.copy(), query.copy()
    tie1[36:] += 2000
    tie2[4:32] += 3000
    t0 = datetime(2026, 1, 1)
    for k, sig in enumerate((close, tie1, tie2)):
        assert index.assign_sketch(
            f"a{k}", Sketch(f"d{k}".encode(), sig.tobytes()), t0
        ).is_new_story
    assert [index._entries[f"a{k}"][3] for k in range(3)] == [0, 1, 2]
    assert index._best_candidate(query, np.array([2, 0, 1, 0], dtype=np.uint64)) == ("a1", 36 / 64)
    assert index._best_candidate(query, np.array([2, 0], dtype=np.uint64)) == ("a2", 36 / 64)
    assert index._best_candidate(query, np.array([0], dtype=np.uint64)) is None
