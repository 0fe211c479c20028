"""The story index of round 4 (one Python dict per LSH band, ~1.9 KB per entry), kept as the
reference that monitor.stories.StoryIndex's array layout must agree with, match for match
(tests/test_stories.py)."""

from __future__ import annotations

import heapq
from datetime import datetime, timedelta

import numpy as np
from datasketch import MinHashLSH

from monitor.stories import _PRUNE_EVERY, Sketch, StoryMatch, sketch


class DictBandStoryIndex:
    """Assigns each article to a story; the story id is the id of its first article.

    Compact layout (~1.5 KB per entry instead of ~6 KB with datasketch objects): sketches
    are rows of one uint32 matrix, LSH buckets are plain dicts from a band's hash to a
    matrix row (a list of rows when several share it), an entry is one tuple. The banding
    (b bands of r rows) is datasketch's optimum for the threshold, so the candidates are
    the ones MinHashLSH would return; each is verified with the estimated Jaccard."""

    def __init__(
        self,
        threshold: float = 0.5,
        num_perm: int = 64,
        window: timedelta = timedelta(days=7),
        keep_at_least: int = 50_000,
        max_entries: int | None = None,
    ) -> None:
        self.threshold = threshold
        self.keep_at_least = keep_at_least
        self.max_entries = max_entries
        self.num_perm = num_perm
        self.window = window
        # Copies score far above the threshold (0.8+), so balanced LSH weights lose no
        # copies and keep the number of candidates to verify small.
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._b, self._r = lsh.b, lsh.r
        self._bands: list[dict[int, int | list[int]]] = [{} for _ in range(self._b)]
        self._sigs = np.zeros((1024, num_perm), dtype=np.uint32)
        self._free: list[int] = []
        self._used = 0  # rows of _sigs handed out so far
        # article id → (story id, published, body digest, sketch row or -1)
        self._entries: dict[str, tuple[str, datetime, bytes, int]] = {}
        self._by_hash: dict[bytes, str] = {}  # body digest → article id of its first holder
        self._row_ids: dict[int, str] = {}  # sketch row → article id
        self._heap: list[tuple[datetime, str]] = []  # (published, article id) for eviction
        self._newest: datetime | None = None
        self._since_prune = 0

    def __len__(self) -> int:
        return len(self._entries)

    def assign(self, article_id: str, text: str, published: datetime) -> StoryMatch:
        """Story of this article: an existing one it copies, or a new one named after it."""
        return self.assign_sketch(article_id, sketch(text, self.num_perm), published)

    def assign_sketch(self, article_id: str, s: Sketch, published: datetime) -> StoryMatch:
        """`assign` from the text's `sketch` (made anywhere, e.g. in a pool worker): the
        same match as `assign` with the text, since sketches are equal in every process."""
        if s.signature is not None and s.num_perm != self.num_perm:
            raise ValueError(f"sketch of {s.num_perm} permutations, index of {self.num_perm}")
        known = self._entries.get(article_id)
        # A wordless body (digest b"") is no evidence of copying: it never joins, nor is
        # it joined.
        digest = s.digest
        if known is not None and known[2] == digest:
            return StoryMatch(known[0], 1.0, False)  # same article fed again
        if known is not None:
            self._forget(article_id)  # the article was updated: place its new text afresh
        story_id, similarity, sig = self._match(digest, s.signature)
        self._remember(article_id, story_id or article_id, published, digest, sig)
        if story_id is None:
            return StoryMatch(article_id, 1.0, True)
        return StoryMatch(story_id, similarity, False)

    def _match(
        self, digest: bytes, signature: bytes | None
    ) -> tuple[str | None, float, np.ndarray | None]:
        """(story id or None, similarity, sketch to index — None for exact copies)."""
        holder = self._by_hash.get(digest)
        if holder is not None:  # exact copy: the dict is far cheaper than the bands
            return self._entries[holder][0], 1.0, None
        if signature is None:
            return None, 0.0, None
        sig = np.frombuffer(signature, dtype=np.uint32)
        best = self._best_candidate(sig)
        return (*(best or (None, 0.0)), sig)

    def _band_keys(self, sig: np.ndarray) -> list[int]:
        r = self._r
        return [hash(sig[i * r : (i + 1) * r].tobytes()) for i in range(self._b)]

    def _best_candidate(self, sig: np.ndarray) -> tuple[str, float] | None:
        rows: set[int] = set()
        for band, key in zip(self._bands, self._band_keys(sig), strict=True):
            hit = band.get(key)
            if hit is None:
                continue
            if isinstance(hit, int):
                rows.add(hit)
            else:
                rows.update(hit)
        if not rows:
            return None
        order = sorted(rows)
        same = np.count_nonzero(self._sigs[order] == sig, axis=1)
        best: tuple[str, float] | None = None
        for row, n in zip(order, same.tolist(), strict=True):
            similarity = float(n) / float(self.num_perm)
            if similarity >= self.threshold and (best is None or similarity > best[1]):
                best = (self._entries[self._row_ids[row]][0], similarity)
        return best

    def _remember(
        self,
        article_id: str,
        story_id: str,
        published: datetime,
        digest: bytes,
        sig: np.ndarray | None,
    ) -> None:
        row = -1
        if sig is not None:  # exact copies need no sketch: the hash finds them
            row = self._row()
            self._sigs[row] = sig
            self._row_ids[row] = article_id
            for band, key in zip(self._bands, self._band_keys(sig), strict=True):
                hit = band.get(key)
                if hit is None:
                    band[key] = row
                elif isinstance(hit, int):
                    band[key] = [hit, row]
                else:
                    hit.append(row)
        self._entries[article_id] = (story_id, published, digest, row)
        if digest:
            self._by_hash.setdefault(digest, article_id)
        heapq.heappush(self._heap, (published, article_id))
        self._advance(published)

    def _row(self) -> int:
        if self._free:
            return self._free.pop()
        if self._used == len(self._sigs):
            grown = np.zeros((2 * len(self._sigs), self.num_perm), dtype=np.uint32)
            grown[: self._used] = self._sigs
            self._sigs = grown
        self._used += 1
        return self._used - 1

    def _advance(self, published: datetime) -> None:
        if self._newest is None or published > self._newest:
            self._newest = published
        self._since_prune += 1
        if self._since_prune >= _PRUNE_EVERY:
            self.prune()

    def prune(self) -> int:
        """Evict entries published more than ``window`` before the newest (down to
        ``keep_at_least``), then the oldest beyond ``max_entries``; returns how many."""
        self._since_prune = 0
        if self._newest is None:
            return 0
        cutoff = self._newest - self.window
        evicted = 0
        while self._heap and self._heap[0][0] < cutoff and len(self) > self.keep_at_least:
            _, article_id = heapq.heappop(self._heap)
            entry = self._entries.get(article_id)
            if entry is not None and entry[1] < cutoff:
                self._forget(article_id)
                evicted += 1
        cap = self.max_entries
        while cap is not None and len(self) > cap and self._heap:
            published, article_id = heapq.heappop(self._heap)
            entry = self._entries.get(article_id)
            if entry is not None and entry[1] == published:  # else a stale heap item
                self._forget(article_id)
                evicted += 1
        return evicted

    def _forget(self, article_id: str) -> None:
        _, _, digest, row = self._entries.pop(article_id)
        if row >= 0:
            for band, key in zip(self._bands, self._band_keys(self._sigs[row]), strict=True):
                hit = band.get(key)
                if hit == row:
                    del band[key]
                elif isinstance(hit, list):
                    hit.remove(row)
                    if len(hit) == 1:
                        band[key] = hit[0]
            del self._row_ids[row]
            self._free.append(row)
        if self._by_hash.get(digest) == article_id:
            del self._by_hash[digest]
