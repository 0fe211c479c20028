"""The paragraph keys the cleaner hands out (``keys=``, what the pool workers ship to the
ingesting process) are exactly ``learned.paragraph_key`` of each kept paragraph, and asking
for them changes no cleaning result."""

from __future__ import annotations

import dataclasses
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor import clean
from monitor.learned import paragraph_key
from monitor.models import CleanedArticle, FeedEntry
from monitor.pipeline import clean_entry
from monitor.synth import SynthConfig, iter_entries


def _fields(c: CleanedArticle) -> tuple:
    # kept_at is not part of equality, but refilter depends on it
    return (c.title, c.published, c.paragraphs, c.removed, c.header_code, c.kept_at)


def _check(entry: FeedEntry, learned: frozenset[str]) -> CleanedArticle:
    keys: list[str] = []
    keyed = clean_entry(entry, learned, keys=keys)
    assert _fields(keyed) == _fields(clean_entry(entry, learned))
    assert keys == [paragraph_key(p) for p in keyed.paragraphs]
    return keyed


def _as(entry: FeedEntry, kind: str, lines: list[str]) -> FeedEntry:
    text = "\n".join([entry.title or "", *lines])
    if kind == "scraped":
        text = " date 2026-01-02 200\n" + text
    elif kind == "html":
        text = "<div><p>" + "</p>\n<p>".join(x.replace("&", "&amp;") for x in lines) + "</p></div>"
    return dataclasses.replace(entry, raw_content=text, raw_kind=kind)


ENTRIES = list(itertools.islice(iter_entries(SynthConfig(articles=150, sources=5, seed=3)), 150))
# what a feed learns: its furniture (the last paragraphs), and a digit-folded variant
LEARNED = frozenset(
    paragraph_key(p) for e in ENTRIES[:20] for p in _check(e, frozenset()).paragraphs[-2:]
)


def test_synth_entries_every_kind_with_and_without_learned_keys() -> None:
    learned_seen = short = 0
    for i, e in enumerate(ENTRIES):
        learned = (frozenset(), LEARNED)[i % 2]
        c = _check(e, learned)  # plain <p> blocks: the folded-input path
        learned_seen += sum(r.reason == "learned-boilerplate" for r in c.removed)
        lines = [*c.paragraphs, c.paragraphs[0].upper(), "  Share\u00a0this  ", "© 2026 ١٢ Ltd"]
        lines += ["Reporting by  Jane Doe, 2026", "ΑΘΉΝΑ ١٢ Ολυμπία"]
        for kind in ("text", "scraped", "html"):
            again = _check(_as(e, kind, lines), learned)
            # short paragraphs: keyed only because asked (no bigrams, no learned lookup)
            short += sum(p.count(" ") < 7 for p in again.paragraphs)
    assert learned_seen > 50 and short > 100


_PIECES = st.sampled_from(
    ["Word", "two words", "  ", " ", "\u00a0", "\t", "\u2003", "2025", "٣", "ß", "İ", "Ǆ", "\u200b"]
)
_LINE = st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(_LINE, min_size=1, max_size=8), learned_too=st.booleans())
def test_odd_paragraphs_every_kind(lines: list[str], learned_too: bool) -> None:
    base = ENTRIES[0]
    learned = frozenset(map(paragraph_key, lines[:2])) if learned_too else frozenset()
    for kind in ("text", "scraped", "html"):
        _check(_as(base, kind, lines), learned)
    # the plain <p> path (every paragraph its own whitespace fold)
    html = "<p>" + "</p><p>".join(lines) + "</p>"
    keys: list[str] = []
    c = clean.clean_html_fragment(html, "T", learned, keys=keys)
    assert _fields(c) == _fields(clean.clean_html_fragment(html, "T", learned))
    assert keys == [paragraph_key(p) for p in c.paragraphs]
