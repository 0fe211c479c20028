"""Story grouping: syndicated copies and near-identical rewrites share one story id.

MinHash over word 5-grams of the normalised body (the caller passes the cleaned text,
title excluded: syndicators rewrite headlines, not bodies) with an LSH index for
candidates — never pairwise. Every LSH candidate is verified with the estimated Jaccard,
because two briefings by the same spokesperson share names and vocabulary but few
5-grams. Exact copies short-circuit through a dict of body hashes.

Memory is bounded by a time window: entries older than ``window`` before the newest
``published`` seen are evicted — but the ``keep_at_least`` newest entries always stay, so a
backfill that imports one source's months of history before the next source's still finds
the copies (a live poller, which sees news in time order, is bounded by the window).
"""

from __future__ import annotations

import hashlib
import heapq
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

SHINGLE_WORDS = 5
_TOKEN = re.compile(r"\w+")
_MASK32 = np.uint64(0xFFFFFFFF)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio multiplier: spreads each n-gram step
_PRUNE_EVERY = 256  # assign() calls between evictions: amortises the heap walk


_TEMPLATES: dict[int, MinHash] = {}  # num_perm → MinHash holding the shared permutations


def _template(num_perm: int) -> MinHash:
    # Generating permutations costs more than hashing an article: do it once per size.
    if num_perm not in _TEMPLATES:
        _TEMPLATES[num_perm] = MinHash(num_perm=num_perm, seed=1, scheme="affine32")
    return _TEMPLATES[num_perm]


def _tokens(text: str) -> list[str]:
    """Casefolded words: punctuation, quotes and spacing differences between copies vanish."""
    return _TOKEN.findall(text.casefold())


def _shingle_hashes(tokens: list[str]) -> np.ndarray:
    """32-bit hashes of all word 5-grams (one shingle of the whole text when shorter);
    a 5-gram that occurs twice is hashed twice."""
    # Built-in str hash runs in C. It is salted per process, which is fine: sketches live
    # only in this in-memory index (rebuilt from stored texts at start-up), never on disk.
    th = np.fromiter(map(hash, tokens), dtype=np.int64, count=len(tokens)).view(np.uint64)
    n = max(len(th) - SHINGLE_WORDS + 1, 1)
    h = np.zeros(n, dtype=np.uint64)
    for k in range(min(SHINGLE_WORDS, len(th))):
        h = (h * _MIX) ^ th[k : k + n]  # wraps mod 2^64 on purpose
    # No np.unique: a minimum does not care about repeats, and dropping them cost a third
    # of the sketching time.
    return (h >> np.uint64(32)) ^ (h & _MASK32)


def minhash_of(text: str, num_perm: int = 64) -> LeanMinHash | None:
    """MinHash of ``text``'s word 5-grams, or None when it has no words."""
    return _minhash(_tokens(text), num_perm)


def _minhash(tokens: list[str], num_perm: int) -> LeanMinHash | None:
    if not tokens:
        return None
    template = _template(num_perm)
    a, b = template.permutations
    # What MinHash.update_batch computes for the "affine32" scheme, minus its per-item
    # Python loop over hashfunc: premix, permute, column-wise minimum.
    hv = _fmix32(_shingle_hashes(tokens).astype(np.uint32)).reshape(-1, 1)
    hashvalues = (hv * a + b).min(axis=0)
    return LeanMinHash(seed=template.seed, hashvalues=hashvalues, scheme=template.scheme)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3 32-bit finalizer (uint32 arithmetic wraps, as intended)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def body_hash(text: str) -> str:
    """Hash of the normalised body: copies differing only in spacing/case/punctuation match."""
    return _digest(_tokens(text))


def _digest(tokens: list[str]) -> str:
    return hashlib.blake2b(" ".join(tokens).encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class StoryMatch:
    story_id: str
    similarity: float
    is_new_story: bool


@dataclass(frozen=True)
class _Entry:
    story_id: str
    published: datetime
    body_hash: str
    minhash: LeanMinHash | None


class StoryIndex:
    """Assigns each article to a story; the story id is the id of its first article."""

    def __init__(
        self,
        threshold: float = 0.5,
        num_perm: int = 64,
        window: timedelta = timedelta(days=7),
        keep_at_least: int = 50_000,
    ) -> None:
        self.threshold = threshold
        self.keep_at_least = keep_at_least
        self.num_perm = num_perm
        self.window = window
        # Copies score far above the threshold (0.8+), so balanced LSH weights lose no
        # copies and keep the number of candidates to verify small.
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._entries: dict[str, _Entry] = {}
        self._by_hash: dict[str, str] = {}  # body hash → article id of its first holder
        self._heap: list[tuple[datetime, str]] = []  # (published, article id) for eviction
        self._newest: datetime | None = None
        self._since_prune = 0

    def __len__(self) -> int:
        return len(self._entries)

    def assign(self, article_id: str, text: str, published: datetime) -> StoryMatch:
        """Story of this article: an existing one it copies, or a new one named after it."""
        known = self._entries.get(article_id)
        tokens = _tokens(text)
        # A wordless body is no evidence of copying: it never joins, nor is it joined.
        digest = _digest(tokens) if tokens else ""
        if known is not None and known.body_hash == digest:
            return StoryMatch(known.story_id, 1.0, False)  # same article fed again
        if known is not None:
            self._forget(article_id)  # the article was updated: place its new text afresh
        story_id, similarity, minhash = self._match(digest, tokens)
        self._remember(article_id, story_id or article_id, published, digest, minhash)
        if story_id is None:
            return StoryMatch(article_id, 1.0, True)
        return StoryMatch(story_id, similarity, False)

    def _match(
        self, digest: str, tokens: list[str]
    ) -> tuple[str | None, float, LeanMinHash | None]:
        """(story id or None, similarity, sketch to index — None for exact copies)."""
        holder = self._by_hash.get(digest)
        if holder is not None:  # exact copy: the dict is far cheaper than hashing
            return self._entries[holder].story_id, 1.0, None
        minhash = _minhash(tokens, self.num_perm)
        best = self._best_candidate(minhash) if minhash is not None else None
        return (*(best or (None, 0.0)), minhash)

    def _best_candidate(self, minhash: LeanMinHash) -> tuple[str, float] | None:
        best: tuple[str, float] | None = None
        for key in self._lsh.query(minhash):
            similarity = minhash.jaccard(self._entries[key].minhash)
            if similarity >= self.threshold and (best is None or similarity > best[1]):
                best = (self._entries[key].story_id, similarity)
        return best

    def _remember(
        self,
        article_id: str,
        story_id: str,
        published: datetime,
        digest: str,
        minhash: LeanMinHash | None,
    ) -> None:
        entry = _Entry(story_id, published, digest, minhash)
        self._entries[article_id] = entry
        if digest:
            self._by_hash.setdefault(digest, article_id)
        if minhash is not None:  # exact copies need no sketch: the hash finds them
            self._lsh.insert(article_id, minhash, check_duplication=False)
        heapq.heappush(self._heap, (published, article_id))
        self._advance(published)

    def _advance(self, published: datetime) -> None:
        if self._newest is None or published > self._newest:
            self._newest = published
        self._since_prune += 1
        if self._since_prune >= _PRUNE_EVERY:
            self.prune()

    def prune(self) -> int:
        """Evict entries published more than ``window`` before the newest; returns how many."""
        self._since_prune = 0
        if self._newest is None:
            return 0
        cutoff = self._newest - self.window
        evicted = 0
        while self._heap and self._heap[0][0] < cutoff and len(self) > self.keep_at_least:
            _, article_id = heapq.heappop(self._heap)
            entry = self._entries.get(article_id)
            if entry is not None and entry.published < cutoff:
                self._forget(article_id)
                evicted += 1
        return evicted

    def _forget(self, article_id: str) -> None:
        entry = self._entries.pop(article_id)
        if entry.minhash is not None:
            self._lsh.remove(article_id)
        if self._by_hash.get(entry.body_hash) == article_id:
            del self._by_hash[entry.body_hash]
