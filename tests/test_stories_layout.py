"""The array layout of the story index (sorted band keys, a dict of fresh keys, stale keys
of evicted rows dropped at rebuilds) assigns exactly the stories of the dict-per-band layout
it replaced (tests/story_index_reference.py), through merges, rebuilds, evictions, updates."""

from __future__ import annotations

from datetime import timedelta

import pytest

from monitor import stories
from monitor.stories import StoryIndex, sketch
from monitor.synth import SynthConfig, iter_entries
from tests.story_index_reference import DictBandStoryIndex


def _stream(articles: int, seed: int) -> list[tuple[str, stories.Sketch, object]]:
    """Synthetic articles (syndicated copies and rewrites among them), then a tenth of them
    fed again: half unchanged, half updated with another body, and a few wordless ones."""
    entries = list(iter_entries(SynthConfig(articles=articles, days=3, sources=12, seed=seed)))
    items = [(e.article_id, sketch(e.raw_content), e.published) for e in entries]
    for k, e in enumerate(entries[::10]):
        body = e.raw_content if k % 2 else entries[(k * 7) % len(entries)].raw_content
        items.append((e.article_id, sketch(body), e.published + timedelta(hours=1)))
    items += [(f"wordless{k}", sketch("— …"), entries[k].published) for k in range(5)]
    return items


@pytest.mark.parametrize(
    ("articles", "cap", "keep", "buffer", "seed"),
    [
        (1500, None, 50_000, 4096, 1),  # no eviction: the dict only
        (1500, None, 50_000, 50, 2),  # many merges into the sorted array
        (2500, 400, 100, 64, 3),  # cap evictions: stale keys, rebuilds, reused rows
        (2500, 900, 0, 16, 4),
    ],
)
def test_same_stories_as_the_dict_per_band_index(
    monkeypatch, articles: int, cap: int | None, keep: int, buffer: int, seed: int
) -> None:
    monkeypatch.setattr(stories, "_BUFFER_ROWS", buffer)
    items = _stream(articles, seed)
    new = StoryIndex(max_entries=cap, keep_at_least=keep, window=timedelta(days=1))
    ref = DictBandStoryIndex(max_entries=cap, keep_at_least=keep, window=timedelta(days=1))
    got = [new.assign_sketch(a, s, p) for a, s, p in items]
    want = [ref.assign_sketch(a, s, p) for a, s, p in items]
    assert got == want
    assert len(new) == len(ref)
    assert sum(not m.is_new_story for m in got) > articles // 20  # copies were found
    if cap is not None:
        # the evicted rows' keys were dropped by a rebuild: the array stays near the live size
        live = int(new._live.sum())
        assert len(new._keys) <= 1.5 * new._b * live + new._b * buffer


@pytest.mark.parametrize(
    ("articles", "cap", "keep", "buffer", "group", "seed"),
    [
        (1500, None, 50_000, 4096, 500, 5),  # the dict only, groups as an import's
        (1500, None, 50_000, 50, 97, 6),  # merges inside a group: its searches are redone
        (2500, 400, 100, 64, 300, 7),  # evictions, rebuilds and reused rows inside groups
        (2500, 900, 0, 16, 1, 8),  # groups of one
    ],
)
def test_assign_many_gives_the_matches_of_one_call_per_article(
    monkeypatch, articles: int, cap: int | None, keep: int, buffer: int, group: int, seed: int
) -> None:
    monkeypatch.setattr(stories, "_BUFFER_ROWS", buffer)
    items = _stream(articles, seed)
    many = StoryIndex(max_entries=cap, keep_at_least=keep, window=timedelta(days=1))
    one = StoryIndex(max_entries=cap, keep_at_least=keep, window=timedelta(days=1))
    got = [
        m for lo in range(0, len(items), group) for m in many.assign_many(items[lo : lo + group])
    ]
    want = [one.assign_sketch(a, s, p) for a, s, p in items]
    assert got == want
    assert sum(not m.is_new_story for m in got) > articles // 20  # copies were found
    assert (many._keys == one._keys).all() and many._entries == one._entries


def test_assign_many_raises_at_a_sketch_of_another_size_after_assigning_those_before() -> None:
    items = _stream(40, 9)[:6]
    index = StoryIndex()
    other = (items[3][0], sketch("a text of some words for another size", num_perm=32), items[3][2])
    with pytest.raises(ValueError, match="32 permutations"):
        index.assign_many([*items[:3], other, *items[4:]])
    assert len(index) == len({a for a, _, _ in items[:3]})
    assert index.assign_many([]) == []
