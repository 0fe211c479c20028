"""Per-source boilerplate learned from the source's own articles.

A paragraph that recurs in a large share of one source's articles (a sign-off, a
syndication disclaimer, a promo line) is furniture even when no rule knows its wording.
Keys fold case, digits and whitespace so "© 2025" and "© 2026" variants count as one.
"""

from __future__ import annotations

import bisect
import itertools
import re
from array import array
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from monitor.models import PARAGRAPH_SEPARATOR

_DIGITS = re.compile(r"\d")
_MIN_KEY_CHARS = 3  # "—", "*", "|" recur everywhere and say nothing about the source


_ASCII_DIGIT_BYTES = bytes.maketrans(b"123456789", b"000000000")
# UTF-8 lead bytes of every non-ASCII character \d matches (Unicode decimal digits, from
# U+0660 on; test_learned checks every code point). None of them is a continuation byte.
_ND_LEADS = bytes([0xD9, 0xDB, 0xDF, 0xE0, 0xE1, 0xEA, 0xEF, 0xF0])
_DIGITS_OR_ND_LEADS = _ND_LEADS + b"0123456789"


# Keys are memoised: the ingestor keys the same paragraphs again and again (a batch when
# it learns, then the same batch in `pipeline.touched_by`, and the feed's 200 newest stored
# texts at every learning pass). Corpus A (2,000 items, 20 feeds): 61k calls, 25k distinct
# paragraphs, ~6 us per key; with this cache 36k calls are hits. 16k entries hold as many
# hits as 64k here and bound the memory (the paragraph and its key: ~10-20 MB at most).
@lru_cache(maxsize=16_384)
def paragraph_key(p: str) -> str:
    """Normalised key of a paragraph: casefolded, every digit → 0, whitespace folded."""
    folded = p.casefold()
    # A printable casefold with no double, leading or trailing space is its own whitespace
    # fold (every whitespace character but the ASCII space is unprintable), as in
    # clean._unruled_reason: all of the synthetic paragraphs, and cleaned text in general,
    # skip the split into words and the join (key 4.6 -> 3.4 us a paragraph; the ingesting
    # process keys ~16 paragraphs an article when it learns; round 14, main14's keys.py).
    if folded.isprintable() and "  " not in folded and folded[:1] != " " and folded[-1:] != " ":
        return fold_digits(folded)
    return fold_digits(" ".join(folded.split()))


def fold_digits(folded: str) -> str:
    """Every digit → 0 (the last step of ``paragraph_key``, for callers that already have the
    casefolded, whitespace-folded text)."""
    # On ASCII, bytes.translate is a plain table lookup: ~6x faster than str.translate (which
    # consults the mapping dict per distinct character on every call) and than a regex; \d
    # also folds other scripts' digits. Other text (curly quotes make half the paragraphs
    # non-ASCII) would run the \d substitution (sre: ~6 ns a character): its UTF-8 form says
    # with C-speed byte deletions whether it has no digit at all (most paragraphs: returned
    # as it is) or only ASCII ones (the byte table again); 2.1 -> 1.2 us a paragraph.
    if folded.isascii():
        return folded.encode("ascii").translate(_ASCII_DIGIT_BYTES).decode("ascii")
    try:
        data = folded.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return _DIGITS.sub("0", folded)
    n = len(data)
    if len(data.translate(None, _DIGITS_OR_ND_LEADS)) == n:
        return folded
    if len(data.translate(None, _ND_LEADS)) != n:  # maybe another script's digit
        return _DIGITS.sub("0", folded)
    return data.translate(_ASCII_DIGIT_BYTES).decode("utf-8")


def learn_source_boilerplate(
    articles: Iterable[Sequence[str]], *, min_share: float = 0.5, min_articles: int = 5
) -> frozenset[str]:
    """Keys of paragraphs found in at least ``min_share`` of one source's articles.

    ``articles`` are the paragraph lists of ONE source. Returns an empty set when the
    source has fewer than ``min_articles`` articles: too few to tell furniture from a
    story that simply ran twice.
    """
    counts: Counter[str] = Counter()
    n = 0
    for paragraphs in articles:
        n += 1
        counts.update(article_keys(paragraphs))
    if n < max(min_articles, 1):
        return frozenset()
    needed = min_share * n
    return frozenset(k for k, c in counts.items() if c >= needed)


def article_keys(paragraphs: Iterable[str]) -> set[str]:
    """The keys one article counts for (a set: a line repeated inside one article counts
    once; tiny keys say nothing about the source)."""
    return {k for k in map(paragraph_key, paragraphs) if len(k) >= _MIN_KEY_CHARS}


# The builtin under a module name of its own: tests make keys collide by replacing it, and a
# module compiled by speedups.py binds builtins once, at import (a global it looks up).
_key_hash = hash


class BatchKeys:
    """A batch's paragraphs keyed once for a learning pass: per paragraph its key's 64-bit
    hash (None: too short to count), per hash its key. The same dict then gives the hashes
    of the batch's articles as stored (`sample_hashes`) without keying them again.

    ``hash`` is stable within this process, which is all `RecentKeys` needs: ~8 bytes a key
    instead of the paragraph's text. ``collided``: two distinct keys of the batch share a
    hash (the caller then counts from the texts)."""

    def __init__(
        self, articles: Iterable[Sequence[str]], keys: Sequence[Sequence[str]] | None = None
    ) -> None:
        """``keys``: per article, ``paragraph_key`` of each of its paragraphs, when a pool
        worker made them (the ingesting process then only hashes them)."""
        self.hash_of: dict[str, int | None] = {}
        self.names: dict[int, str] = {}
        self.collided = False
        self.paragraphs = list(articles)  # per article (what a pass from the texts counts)
        if keys is not None:
            for paragraphs, keyed in zip(self.paragraphs, keys, strict=True):
                for p, key in zip(paragraphs, keyed, strict=True):
                    if p not in self.hash_of:
                        self._name(p, key)
        self.articles = [self.hashes(paragraphs) for paragraphs in self.paragraphs]

    def key_of(self, p: str) -> str | None:
        """``paragraph_key(p)`` of a keyed paragraph when it can be a learned key (None: too
        short to count); only while no two keys collided."""
        h = self.hash_of[p]
        return None if h is None else self.names[h]

    def hashes(self, paragraphs: Iterable[str]) -> set[int]:
        """The article's key hashes (each once, as `article_keys` counts it)."""
        out: set[int] = set()
        for p in paragraphs:
            h = self.hash_of[p] if p in self.hash_of else self._key(p)
            if h is not None:
                out.add(h)
        return out

    def _key(self, p: str) -> int | None:
        return self._name(p, paragraph_key(p))

    def _name(self, p: str, key: str) -> int | None:
        h = _key_hash(key) if len(key) >= _MIN_KEY_CHARS else None
        self.hash_of[p] = h
        if h is not None and self.names.setdefault(h, key) != key:
            self.collided = True
        return h


def sample_hashes(paragraphs: Sequence[str], keys: BatchKeys | None = None) -> array | None:
    """The key hashes an article stored with these paragraphs counts for when its text is
    read back and split (recent_feed_texts); None for an empty text (it is no sample).
    ``keys``: a batch already keyed (its paragraphs are not keyed again)."""
    if len(paragraphs) <= 1 and not (paragraphs and paragraphs[0]):
        return None  # the stored text is ""
    if any("\n" in p for p in paragraphs):  # the text may not split back into these
        paragraphs = PARAGRAPH_SEPARATOR.join(paragraphs).split(PARAGRAPH_SEPARATOR)
    return array("q", (keys or BatchKeys(())).hashes(paragraphs))


def text_hashes(text: str) -> array | None:
    """`sample_hashes` of a stored text."""
    return sample_hashes(text.split(PARAGRAPH_SEPARATOR)) if text else None


def learn_with_hashes(
    batch: BatchKeys,
    stored: Iterable[array],
    known: Iterable[str] = (),
    *,
    min_share: float = 0.5,
    min_articles: int = 5,
) -> frozenset[str] | None:
    """``learn_source_boilerplate`` of the batch's articles and of stored ones given by their
    key hashes (`sample_hashes`). A key that passes is named from the batch or from
    ``known`` (the feed's learned keys); None when one cannot be named (only stored articles
    hold it) or two batch keys share a hash: the caller counts from the texts then.

    Two distinct keys with one 64-bit hash, one of them only in stored articles, would be
    counted as one: ~1e-12 per pass at a few thousand distinct keys per feed."""
    if batch.collided:
        return None
    counts: Counter[int] = Counter()
    for hashes in batch.articles:
        counts.update(hashes)
    stored = list(stored)
    counts.update(itertools.chain.from_iterable(stored))
    n = len(batch.articles) + len(stored)
    if n < max(min_articles, 1):
        return frozenset()
    needed = min_share * n
    passed = [h for h, c in counts.items() if c >= needed]
    if not passed:
        return frozenset()
    names = batch.names
    if any(h not in names for h in passed):
        names = {**{_key_hash(k): k for k in known}, **names}
        if any(h not in names for h in passed):
            return None
    return frozenset(names[h] for h in passed)


@dataclass
class _Window:
    """One feed's newest stored articles: (published, id) in ascending order and, per id,
    its key hashes (None: empty text, which holds a place in the sample but is no sample)."""

    order: list[tuple[datetime, str]] = field(default_factory=list)
    keys: dict[str, tuple[datetime, array | None]] = field(default_factory=dict)
    complete: bool = True  # holds every stored article of the feed


class RecentKeys:
    """Per feed, the key hashes of its ``size`` newest stored articles, in the order of
    recent_feed_texts (published, then id, newest first), so a learning pass counts keys
    instead of reading and keying ``size`` stored texts again.

    A feed's window is read from the store (``load(feed, size)``: rows of id, published,
    text in that order) when first needed, then kept up to date with `written` after each
    commit: new articles push the oldest out, an update replaces its article. When an update
    moves an article below articles the window never held, the window is dropped and read
    again when next needed. At most ``max_articles`` articles are held over all feeds: the
    feeds learned from longest ago are dropped first (read again when needed)."""

    def __init__(
        self, load: Callable[[str, int], Iterable[tuple]], size: int, max_articles: int
    ) -> None:
        self._load = load
        self.size = size
        self.max_articles = max_articles
        self._feeds: OrderedDict[str, _Window] = OrderedDict()
        self._held = 0
        self.loads = 0  # windows read from the store (for tests and benchmarks)

    def stored(self, feed: str) -> tuple[int, list[array]]:
        """(articles in the feed's sample, key hashes of those with a text)."""
        window = self._feeds.get(feed)
        if window is None:
            window = self._fill(feed)
        self._feeds.move_to_end(feed)
        hashes = [k for _, k in window.keys.values() if k is not None]
        return len(window.order), hashes

    def written(self, rows: Iterable[tuple[str, str, datetime, Sequence[str], BatchKeys | None]]):
        """Committed articles as (feed, id, published, paragraphs, the batch's `BatchKeys` or
        None), in write order. An article is keyed only if it enters a window held: feeds
        whose window is not held are skipped (the store answers when they are read)."""
        for feed, art_id, published, paragraphs, keys in rows:
            window = self._feeds.get(feed)
            if window is not None and not self._put(window, art_id, published, paragraphs, keys):
                self._drop(feed)
        self._trim()

    def forget(self) -> None:
        """Drop every window (e.g. after a failed write whose outcome is not known)."""
        self._feeds.clear()
        self._held = 0

    def _fill(self, feed: str) -> _Window:
        window = _Window()
        rows = list(self._load(feed, self.size))
        for art_id, published, text in rows:
            window.keys[art_id] = (published, text_hashes(text))
            window.order.append((published, art_id))
        window.order.sort()
        window.complete = len(rows) < self.size
        self._feeds[feed] = window
        self._held += len(rows)
        self.loads += 1
        self._trim()
        return window

    def _put(
        self,
        window: _Window,
        art_id: str,
        published: datetime,
        paragraphs: Sequence[str],
        keys: BatchKeys | None,
    ) -> bool:
        """Add or replace one written article; False when the window can no longer tell
        which articles are the newest (it must be read again)."""
        spot = (published, art_id)
        old = window.keys.get(art_id)
        if old is not None:  # an update of an article the window holds
            lowest = window.order[0]
            window.order.remove((old[0], art_id))
            if not window.complete and spot < lowest:
                return False  # an article the window never held may now be newer
        elif not window.complete and spot < window.order[0]:
            return True  # older than the sample: it stays out, as in the store
        else:
            self._held += 1
        bisect.insort(window.order, spot)
        window.keys[art_id] = (published, sample_hashes(paragraphs, keys))
        if len(window.order) > self.size:
            _, oldest = window.order.pop(0)
            del window.keys[oldest]
            window.complete = False
            self._held -= 1
        return True

    def _drop(self, feed: str) -> None:
        window = self._feeds.pop(feed, None)
        if window is not None:
            self._held -= len(window.order)

    def _trim(self) -> None:
        while self._held > self.max_articles and len(self._feeds) > 1:
            self._drop(next(iter(self._feeds)))
