"""Story grouping: syndicated copies and near-identical rewrites share one story id.

MinHash over word 5-grams of the normalised body (the caller passes the cleaned text,
title excluded: syndicators rewrite headlines, not bodies) with an LSH index for
candidates — never pairwise. Every LSH candidate is verified with the estimated Jaccard,
because two briefings by the same spokesperson share names and vocabulary but few
5-grams. Exact copies short-circuit through a dict of body hashes.

Memory is bounded by a time window: entries older than ``window`` before the newest
``published`` seen are evicted — but the ``keep_at_least`` newest entries always stay, so a
backfill that imports one source's months of history before the next source's still finds
the copies (a live poller, which sees news in time order, is bounded by the window) — and
by ``max_entries`` (the oldest go first), whatever the window holds.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import cython
import numpy as np

if TYPE_CHECKING:
    from datasketch import LeanMinHash

SHINGLE_WORDS = 5
_TOKEN = re.compile(r"\w+")
_MIX = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio multiplier: spreads each n-gram step
_PRUNE_EVERY = 256  # assign() calls between evictions: amortises the heap walk


# datasketch is imported only off the hot path (minhash_of, an LSH banding not in the
# table below): it imports scipy, ~0.5 s of CPU and ~45 MB in every process that imports
# this module (the ingest writer, the pool's fork server and so every worker, the poller).
_SEED = 1  # MinHash(num_perm, seed=_SEED, scheme="affine32")
_PERMUTATIONS: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # num_perm → (a, b), uint32


def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) uint32 arrays of datasketch's ``MinHash(num_perm, seed=1,
    scheme="affine32").permutations`` (datasketch 2.0's _init_permutations, made the same
    way from the same seed; test_stories compares them)."""
    if num_perm not in _PERMUTATIONS:
        gen = np.random.RandomState(_SEED)
        a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
        _PERMUTATIONS[num_perm] = (a, b)
    return _PERMUTATIONS[num_perm]


# datasketch's MinHashLSH banding (b bands of r rows: its optimum for equal false positive
# and negative weights, found by numerical integration in scipy) of the index's settings.
# test_stories checks each entry against MinHashLSH; other settings ask datasketch.
_BANDING = {(0.5, 64): (14, 4)}


def _banding(threshold: float, num_perm: int) -> tuple[int, int]:
    if (threshold, num_perm) not in _BANDING:
        from datasketch import MinHashLSH

        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        _BANDING[threshold, num_perm] = (lsh.b, lsh.r)
    return _BANDING[threshold, num_perm]


def _tokens(text: str) -> list[str]:
    """Casefolded words: punctuation, quotes and spacing differences between copies vanish."""
    return _TOKEN.findall(text.casefold())


# `_joined_words` makes `" ".join(_tokens(text))` as UTF-8 without a regex match per word
# (the findall was ~90 us of a ~240 us sketch). Casefolding is per character and so is
# `\w`, so each character maps on its own: an ASCII byte through one translate table (A-Z
# lowered, other non-word bytes to a space), each distinct non-ASCII character (a handful
# per article: curly quotes, accented letters) through one bytes.replace of its casefold
# with non-word characters spaced out. UTF-8 is self-synchronising, so a character's bytes
# are never found across two characters; no character's mapping holds a character that
# maps again (test_stories checks every code point), so the order of replaces is free.
_ASCII_MAP = bytes(
    (c | 0x20 if 65 <= c <= 90 else c) if c >= 128 or chr(c).isalnum() or c == 95 else 32
    for c in range(256)
)
_ASCII_BYTES = bytes(range(128))
_NON_WORD = re.compile(r"\W+")
_CHAR_MAP: dict[str, bytes] = {}  # non-ASCII character -> its casefold, \W spaced out


def _char_map(ch: str) -> bytes:
    mapped = _CHAR_MAP.get(ch)
    if mapped is None:
        if len(_CHAR_MAP) > 65_536:  # bounded: an adversarial feed cannot grow it forever
            _CHAR_MAP.clear()
        folded = _NON_WORD.sub(" ", ch.casefold())
        mapped = folded.encode("utf-8", "surrogatepass")
        if mapped == b" ":  # a non-word character: as many spaces as its bytes (a
            # same-length bytes.replace is ~2x faster; the spaces collapse anyway)
            mapped = b" " * len(ch.encode("utf-8", "surrogatepass"))
        _CHAR_MAP[ch] = mapped
    return mapped


# Curly quotes and the apostrophe, non-word characters found in most news texts, become
# spaces in the str before the encoding: a one-character str.replace is ~4x cheaper than
# replacing their 3-byte UTF-8 in the bytes (~4 us each per synth text, ~12 quotes).
_SPACED_FIRST = ("\u201c", "\u201d", "\u2019")


def _joined_words(text: str) -> bytes:
    """``" ".join(_tokens(text))`` encoded as UTF-8 (lone surrogates passed through)."""
    for ch in _SPACED_FIRST:
        if ch in text:
            text = text.replace(ch, " ")
    data = text.encode("utf-8", "surrogatepass").translate(_ASCII_MAP)
    others = data.translate(None, _ASCII_BYTES)  # the non-ASCII characters' bytes, in order
    if others:
        for ch in set(others.decode("utf-8", "surrogatepass")):
            raw = ch.encode("utf-8", "surrogatepass")
            mapped = _char_map(ch)
            if mapped != raw:
                data = data.replace(raw, mapped)
    # Words are now the runs between spaces: keep a space only after a non-space byte
    # (one array pass instead of bytes.split's object per word), then drop a trailing one.
    chars = np.frombuffer(data, dtype=np.uint8)
    keep = chars != 32
    keep[1:] |= keep[:-1]
    return chars[keep].tobytes().rstrip(b" ")


# Sketches are made in the pool's workers and compared in the main process, so token hashes
# must be equal in every process: Python's salted str hash will not do. Each token's hash is
# a polynomial over its UTF-8 bytes, all tokens at once from one prefix sum (the multiplier
# is odd, hence invertible mod 2^64, so a token's slice of the sum is shifted back to its own
# start), then a 64-bit finalizer spreads the bits.
_POLY = np.uint64(0xD6E8FEB86659FD93)
_POLY_INV = np.uint64(pow(int(_POLY), -1, 1 << 64))
_POWERS: list[np.ndarray] = [np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64)]


def _powers_upto(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(P^i, P^-i) for i < at least n, mod 2^64; grown by doubling, kept per process."""
    if len(_POWERS[0]) < n:
        m = max(n, 2 * len(_POWERS[0]), 8192)
        for k, base in enumerate((_POLY, _POLY_INV)):
            out = np.empty(m, dtype=np.uint64)
            out[0] = 1
            np.cumprod(np.full(m - 1, base, dtype=np.uint64), out=out[1:])  # wraps mod 2^64
            _POWERS[k] = out
    return _POWERS[0], _POWERS[1]


# (shift, multiplier, shift, multiplier, shift) of two finalizers, as numpy scalars made
# once (~0.2 us each per call otherwise)
_SPLITMIX64 = tuple(np.uint64(v) for v in (30, 0xBF58476D1CE4E5B9, 27, 0x94D049BB133111EB, 31))
_MURMUR3_32 = tuple(np.uint32(v) for v in (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16))
_SHIFT32 = np.uint64(32)


def _finalize(h: np.ndarray, steps: tuple) -> np.ndarray:
    """xor-shift, multiply, xor-shift, multiply, xor-shift into a new array (the arithmetic
    wraps, as intended): with _SPLITMIX64 splitmix64's finalizer, with _MURMUR3_32
    MurmurHash3's 32-bit one."""
    s1, m1, s2, m2, s3 = steps
    h = h ^ (h >> s1)
    h *= m1
    h ^= h >> s2
    h *= m2
    h ^= h >> s3
    return h


def _mix64(h: np.ndarray) -> np.ndarray:
    return _finalize(h, _SPLITMIX64)


def _token_hashes(joined: bytes) -> np.ndarray:
    """Stable 64-bit hash of each token of ``joined`` (tokens joined by single spaces; a
    ``\\w`` token holds no space, and UTF-8 never puts a 0x20 byte inside a character)."""
    return _token_hashes_and_spaces(joined)[0]


def _token_hashes_and_spaces(joined: bytes) -> tuple[np.ndarray, np.ndarray]:
    """_token_hashes, and the positions of the spaces between the tokens."""
    data = np.frombuffer(joined, dtype=np.uint8)
    n = len(data)
    pw, ipw = _powers_upto(n)
    prefix = np.empty(n + 1, dtype=np.uint64)
    prefix[0] = 0
    np.multiply(data, pw[:n], out=prefix[1:])
    np.cumsum(prefix, out=prefix)
    # token k spans [starts[k], ends[k]): ends are the spaces and n, starts follow them
    sep = np.flatnonzero(data == 32)
    bounds = np.empty(len(sep) + 2, dtype=np.intp)
    bounds[0] = -1
    bounds[1:-1] = sep
    bounds[-1] = n
    starts = bounds[:-1] + 1
    ends = bounds[1:]
    h = prefix[ends] - prefix[starts]
    h *= ipw[starts]
    return _mix64(h), sep


def _shingle_hashes(th: np.ndarray) -> np.ndarray:
    """32-bit hashes of all word 5-grams of the token hashes ``th`` (one shingle of the
    whole text when shorter); a 5-gram that occurs twice is hashed twice."""
    n = max(len(th) - SHINGLE_WORDS + 1, 1)
    h = th[:n].copy()  # the first step from h = 0: (0 * _MIX) ^ th[0:n]
    for k in range(1, min(SHINGLE_WORDS, len(th))):
        h *= _MIX  # wraps mod 2^64 on purpose
        h ^= th[k : k + n]
    # No np.unique: a minimum does not care about repeats, and dropping them cost a third
    # of the sketching time. The high half folded onto the low one, as uint32.
    h ^= h >> _SHIFT32
    return h.astype(np.uint32)


@dataclass(frozen=True)
class Sketch:
    """What the index needs of a text, computable wherever the text is (a pool worker):
    the body digest (b"" for a wordless text) and the MinHash signature (``num_perm``
    uint32 values as bytes; None for a wordless text). ~300 bytes: cheap to pickle."""

    digest: bytes
    signature: bytes | None

    @property
    def num_perm(self) -> int:
        return len(self.signature) // 4 if self.signature is not None else 0


def sketch(text: str, num_perm: int = 64) -> Sketch:
    """Digest and MinHash signature of ``text``'s casefolded words (5-gram shingles)."""
    return _sketch_of_joined(_joined_words(text), num_perm)


def _sketch_of_joined(joined: bytes, num_perm: int) -> Sketch:
    if not joined:
        return Sketch(b"", None)
    digest = hashlib.blake2b(joined, digest_size=16).digest()
    return Sketch(digest, _signature_of(joined, num_perm).tobytes())


# sketch_many's blocks: texts are taken in order until their joined words pass this many
# bytes (~6 per word on synth news: ~4,000 5-grams, a 1 MB (64, 5-grams) uint32 matrix,
# which stays in a 2 MB L2). The permute + minimum of 2,000 synth texts in chunks of 25,
# us per text: 26-31 one text at a time; in blocks of ~4,000 5-grams 16, and 11 with the
# matrix in a reused buffer (a fresh 1 MB matrix is page-faulted in); blocks of ~1,000 or
# ~2,000 5-grams with a buffer 35-36, without 23-27; of ~8,000 18-21.
_BLOCK_BYTES = 24_000
_UINT32_MAX = np.uint32(0xFFFFFFFF)
_BUFFERS = threading.local()  # .permuted: the matrix of the thread's last block, reused


def sketch_many(texts: Sequence[str], num_perm: int = 64) -> list[Sketch]:
    """``[sketch(text, num_perm) for text in texts]``, with the numpy steps run once per
    block of texts instead of once per text (a pool worker sketches its chunk at once)."""
    out: list[Sketch | None] = []
    block: list[bytes] = []  # joined words of texts of >= SHINGLE_WORDS words
    slots: list[int] = []  # their indexes in out
    size = 0
    for text in texts:
        joined = _joined_words(text)
        at = -1
        for _ in range(SHINGLE_WORDS - 1):  # words = spaces + 1
            at = joined.find(b" ", at + 1)
            if at < 0:  # a single shingle of fewer words, or no words: sketch's own way
                out.append(_sketch_of_joined(joined, num_perm))
                break
        else:
            if block and size + len(joined) > _BLOCK_BYTES:
                _sketch_block(block, num_perm, out, slots)
                block, slots, size = [], [], 0
            slots.append(len(out))
            block.append(joined)
            size += len(joined) + 1
            out.append(None)  # made by _sketch_block
    if block:
        _sketch_block(block, num_perm, out, slots)
    return out  # type: ignore[return-value]  # every None was replaced


def _sketch_block(
    block: list[bytes], num_perm: int, out: list[Sketch | None], slots: list[int]
) -> None:
    """Sketches of ``block`` (joined words, each of >= SHINGLE_WORDS words) into
    ``out[slots[j]]``. Joined by one more space, each token hashes as it does alone (its
    hash depends on its bytes only), so one _token_hashes call serves the block, and each
    text's 5-grams are a run of the block's: its minima are one segment of a
    minimum.reduceat, with the 5-grams that straddle two texts masked out."""
    th, spaces = _token_hashes_and_spaces(b" ".join(block))
    # the word after the space that ends text j (at byte joints[j]) is text j + 1's first
    joints = list(itertools.accumulate(len(joined) + 1 for joined in block[:-1]))
    firsts = np.searchsorted(spaces, np.array(joints) - 1) + 1
    f = _fmix32(_shingle_hashes(th))  # 5-gram i starts at word i
    a, b = _permutation_columns(num_perm)
    buf = getattr(_BUFFERS, "permuted", None)
    if buf is None or buf.shape[0] != num_perm or buf.shape[1] < len(f):
        buf = np.empty((num_perm, max(len(f), _BLOCK_BYTES // 5)), dtype=np.uint32)
        if buf.nbytes <= 4 << 20:  # a huge text's matrix is not kept
            _BUFFERS.permuted = buf
    permuted = buf[:, : len(f)]
    np.multiply(a, f, out=permuted)  # uint32, wraps
    permuted += b
    # A 5-gram that starts at one of a text's last SHINGLE_WORDS - 1 words straddles two
    # texts: its column is set to the largest uint32, which no text's minimum needs (each
    # text has a 5-gram of its own). np.delete of them from f instead cost ~2 us/text more.
    if len(block) > 1:
        permuted[:, (firsts[:, None] - np.arange(SHINGLE_WORDS - 1, 0, -1)).ravel()] = _UINT32_MAX
    starts = np.zeros(len(block), dtype=np.intp)  # text j's first 5-gram: its first word
    starts[1:] = firsts
    mins = np.minimum.reduceat(permuted, starts, axis=1).T.copy()  # a row per text
    for j, joined in enumerate(block):
        digest = hashlib.blake2b(joined, digest_size=16).digest()
        out[slots[j]] = Sketch(digest, mins[j].tobytes())


def minhash_of(text: str, num_perm: int = 64) -> LeanMinHash | None:
    """MinHash of ``text``'s word 5-grams, or None when it has no words."""
    signature = sketch(text, num_perm).signature
    if signature is None:
        return None
    from datasketch import LeanMinHash

    hashvalues = np.frombuffer(signature, dtype=np.uint32)
    return LeanMinHash(seed=_SEED, hashvalues=hashvalues, scheme="affine32")


_COLUMNS: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # num_perm → permutations as columns


def _permutation_columns(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    if num_perm not in _COLUMNS:
        a, b = _permutations(num_perm)
        _COLUMNS[num_perm] = (a.reshape(-1, 1), b.reshape(-1, 1))
    return _COLUMNS[num_perm]


def _signature_of(joined: bytes, num_perm: int) -> np.ndarray:
    """The MinHash hash values (uint32, ``num_perm`` of them) of non-empty joined tokens."""
    a, b = _permutation_columns(num_perm)
    # What MinHash.update_batch computes for the "affine32" scheme, minus its per-item
    # Python loop over hashfunc: premix, permute, minimum per permutation. One row per
    # permutation, so each minimum runs over contiguous memory (~1.6x faster than the
    # column-wise minimum of the (shingles, num_perm) matrix), and b is added in place: no
    # second ~180 KB temporary (a sketch right after its article's extraction, as in a pool
    # worker: 162 -> 153 us).
    permuted = a * _fmix32(_shingle_hashes(_token_hashes(joined)))  # uint32, wraps
    permuted += b
    return permuted.min(axis=1)


def _fmix32(h: np.ndarray) -> np.ndarray:
    return _finalize(h, _MURMUR3_32)


def body_hash(text: str) -> str:
    """Hash of the normalised body: copies differing only in spacing/case/punctuation match."""
    return sketch(text).digest.hex()


@dataclass(frozen=True)
class StoryMatch:
    story_id: str
    similarity: float
    is_new_story: bool


# LSH band keys, stored in one sorted uint64 array: the band's key hash in the high bits, the
# sketch row in the low _ROW_BITS (a row's keys are found by a range search on the hash).
_ROW_BITS = 26
_ROW_MASK = np.uint64((1 << _ROW_BITS) - 1)
_HASH_MASK = ~_ROW_MASK
_BUFFER_ROWS = 4096  # sketches whose band keys wait in a dict before joining the array


def _band_multipliers(r: int) -> np.ndarray:
    """r odd 64-bit multipliers, one per value of a band."""
    return _mix64(np.arange(1, r + 1, dtype=np.uint64) * _MIX) | np.uint64(1)


def _band_hashes(sigs: np.ndarray, b: int, mul: np.ndarray) -> np.ndarray:
    """(n, b) uint64 hashes (row bits cleared) of the b bands of r = len(mul) values of each
    of the (n, num_perm) signatures: sum of value × odd multiplier mod 2^64, whose high bits
    depend on every bit of the band. Equal bands hash equal; unequal ones rarely do, and
    every hit is checked against the band's values, so a collision costs a comparison, not
    a wrong group. A few array operations: this runs once per article in the writer."""
    bands = sigs[:, : b * len(mul)].reshape(len(sigs), b, len(mul)).astype(np.uint64)
    return (bands * mul).sum(axis=2, dtype=np.uint64) & _HASH_MASK


class _Bands:
    """Signatures of a run of sketches as one matrix, their band hashes, and the rows their
    bands find in an index's sorted key array: searched for all the sketches at once, and
    again from the first sketch that needs them after the array changed (a merge)."""

    def __init__(self, index: StoryIndex, sigs: np.ndarray) -> None:
        self.sigs = sigs
        self.hashes = _band_hashes(sigs, index._b, index._mul)
        self.lists = self.hashes.tolist()
        self._keys: np.ndarray | None = None
        self._from = 0  # the first signature the search was made for
        self._rows: np.ndarray | None = None  # rows of the keys found, signature by signature
        self._ends: list[int] | None = None  # signature k's are _rows[_ends[k]:_ends[k + 1]]

    @classmethod
    def of(cls, index: StoryIndex, sketches: Sequence[Sketch]) -> tuple[_Bands, list[int]]:
        """The sketches' bands and each sketch's signature row (sketches without a signature
        of the index's size have none: they raise in `_assign` or never look)."""
        size = 4 * index.num_perm
        signed = [s.signature is not None and len(s.signature) == size for s in sketches]
        joined = b"".join(s.signature for s, ok in zip(sketches, signed, strict=True) if ok)
        sigs = np.frombuffer(joined, dtype=np.uint32).reshape(-1, index.num_perm)
        return cls(index, sigs), list(itertools.accumulate(signed, initial=0))

    def found(self, keys: np.ndarray, j: int) -> np.ndarray | None:
        """Rows of the keys of ``keys`` that signature ``j``'s band hashes find (None:
        none), the runs of each band in turn."""
        if keys is not self._keys or j < self._from:
            self._search(keys, j)
        if self._ends is None:
            return None
        lo, hi = self._ends[j - self._from], self._ends[j - self._from + 1]
        return self._rows[lo:hi] if hi > lo else None

    def _search(self, keys: np.ndarray, j: int) -> None:
        """A band's keys are the run [at, at + count) of the sorted array: two searches find
        the runs of every band of every signature from ``j`` on, one repeat lists them."""
        self._keys, self._from = keys, j
        hashes = self.hashes[j:]
        # The searches run over the hashes in ascending order: numpy then starts each one
        # from where the last ended, and the array's cache lines are read in order (a group
        # of 500 sketches looks up 7,000 hashes in ~2.8M keys at the index's cap).
        order = np.argsort(hashes, axis=None)
        ascending = hashes.ravel()[order]
        at = np.empty(len(order), dtype=np.intp)
        counts = np.empty(len(order), dtype=np.intp)
        at[order] = np.searchsorted(keys, ascending, "left")
        counts[order] = np.searchsorted(keys, ascending | _ROW_MASK, "right")
        counts -= at
        ends = np.cumsum(counts)
        if not ends[-1]:  # (most single sketches: no array work beyond the searches)
            self._rows, self._ends = None, None
            return
        starts = np.repeat(at - (ends - counts), counts)
        self._rows = keys[starts + np.arange(int(ends[-1]))] & _ROW_MASK
        self._ends = [0, *ends[hashes.shape[1] - 1 :: hashes.shape[1]].tolist()]


def _by_similarity_then_row(hit: tuple) -> tuple:
    return -hit[0], hit[1]


@cython.boundscheck(False)  # rows are the index's own (< len(sigs)); j < the width
@cython.wraparound(False)
def _rows_at_threshold(
    sigs: cython.const[cython.uint][:, ::1],
    low: cython.const[cython.uchar][:, ::1],
    live: cython.const[cython.uchar][::1],
    rows: cython.const[cython.Py_ssize_t][::1],
    sig: cython.const[cython.uint][::1],
    first: cython.const[cython.uchar][::1],
    need: cython.Py_ssize_t,
) -> list:
    """[(same, row)] of the live ``rows`` whose signature has at least ``need`` values equal
    to ``sig``'s (``first``: their low bytes), in the order of ``rows`` (a repeated row
    repeats). Compiled, one C loop
    that leaves a row once its mismatches rule it out: on the synthetic corpus a sketch hits
    ~500 rows at the index's 200k cap, 1-2 of them at the threshold, and the numpy steps
    (a gather of every hit row's 64 values, a compare, a sum) cost ~0.1 ms a sketch. The
    rows lie anywhere in a matrix of 51 MB, so reading them is the cost: each is first read
    in ``low``, the low byte of every value (one cache line a row where ``sigs`` takes four).
    Equal values have equal low bytes, so a row that fails there fails in ``sigs`` too."""
    out: list = []
    width: cython.Py_ssize_t = sigs.shape[1]
    allowed: cython.Py_ssize_t = width - need  # mismatches a row may have and still pass
    k: cython.Py_ssize_t
    j: cython.Py_ssize_t
    row: cython.Py_ssize_t
    same: cython.Py_ssize_t
    # A first pass reads one byte of each row: its loads do not wait for each other, so the
    # cache misses overlap instead of coming one row at a time in the pass that counts.
    touched: cython.uint = 0
    for k in range(rows.shape[0]):
        touched += low[rows[k], 0]
    if touched > 255 * rows.shape[0]:  # (never: the sum must be used, or the pass is dropped)
        return out
    for k in range(rows.shape[0]):
        row = rows[k]
        if not live[row]:
            continue
        same = 0
        for j in range(width):
            if low[row, j] == first[j]:
                same += 1
            elif j + 1 - same > allowed:
                break
        if same < need:
            continue
        same = 0
        for j in range(width):
            if sigs[row, j] == sig[j]:
                same += 1
        if same >= need:
            out.append((same, row))
    return out


class StoryIndex:
    """Assigns each article to a story; the story id is the id of its first article.

    Compact layout (~0.8 KB per entry; ~1.9 KB with a dict per LSH band, ~6 KB with
    datasketch objects): sketches are rows of one uint32 matrix (and their low bytes, of a
    uint8 one: `_rows_at_threshold` reads those first); the LSH buckets are one
    sorted uint64 array of (band hash, row) keys, plus a dict of the newest rows' keys that
    is merged into it every _BUFFER_ROWS sketches; an entry is one tuple. An evicted row's
    keys stay in the array until it is rebuilt (when dead keys reach half the live ones):
    every hit is checked against the row's live sketch, band by band, so a stale key never
    makes a candidate. The banding (b bands of r rows) is datasketch's optimum for the
    threshold, so the candidates are the ones MinHashLSH would return (rows sharing a whole
    band with the sketch); each is verified with the estimated Jaccard."""

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
        self._b, self._r = _banding(threshold, num_perm)
        # the fewest equal values at the threshold, as the similarity's division decides it
        # (same / num_perm >= threshold; the division is monotonic in `same`)
        self._min_same = next(
            (c for c in range(num_perm + 1) if float(c) / float(num_perm) >= threshold),
            num_perm + 1,
        )
        self._keys = np.zeros(0, dtype=np.uint64)  # sorted (band hash | row)
        self._fresh: dict[int, int | list[int]] = {}  # band hash → row(s), not yet in _keys
        self._fresh_rows = 0
        self._sigs = np.zeros((1024, num_perm), dtype=np.uint32)
        self._low = np.zeros((1024, num_perm), dtype=np.uint8)  # each value's low byte
        self._free: list[int] = []
        self._used = 0  # rows of _sigs handed out so far
        # article id → (story id, published, body digest, sketch row or -1)
        self._entries: dict[str, tuple[str, datetime, bytes, int]] = {}
        self._by_hash: dict[bytes, str] = {}  # body digest → article id of its first holder
        self._row_ids: list[str | None] = [None] * len(self._sigs)  # sketch row → article id
        self._live = np.zeros(len(self._sigs), dtype=bool)  # rows holding a live sketch
        self._mul = _band_multipliers(self._r)
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
        return self._assign(article_id, s, published, None, 0)

    def assign_many(self, items: Sequence[tuple[str, Sketch, datetime]]) -> list[StoryMatch]:
        """`assign_sketch` of each (article id, sketch, published) in order: the same
        matches, with the band hashes of all the sketches, and their runs in the sorted key
        array, found in a few array operations instead of a dozen per article."""
        bands, rows = _Bands.of(self, [s for _, s, _ in items])
        return [
            self._assign(a, s, p, bands, j) for j, (a, s, p) in zip(rows[:-1], items, strict=True)
        ]

    def _assign(
        self, article_id: str, s: Sketch, published: datetime, bands: _Bands | None, j: int
    ) -> StoryMatch:
        """`assign_sketch`, the sketch's signature being row ``j`` of ``bands`` if any."""
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
        story_id, similarity, sig = self._match(digest, s.signature, bands, j)
        self._remember(article_id, story_id or article_id, published, digest, sig)
        if story_id is None:
            return StoryMatch(article_id, 1.0, True)
        return StoryMatch(story_id, similarity, False)

    def _match(
        self, digest: bytes, signature: bytes | None, bands: _Bands | None, j: int
    ) -> tuple[str | None, float, tuple[np.ndarray, list[int]] | None]:
        """(story id or None, similarity, (sketch, band hashes) to index — None for exact
        copies)."""
        holder = self._by_hash.get(digest)
        if holder is not None:  # exact copy: the dict is far cheaper than the bands
            return self._entries[holder][0], 1.0, None
        if signature is None:
            return None, 0.0, None
        if bands is None:  # (one sketch: its signature's size was checked)
            bands, j = _Bands(self, np.frombuffer(signature, dtype=np.uint32).reshape(1, -1)), 0
        best = self._best_candidate(bands.sigs[j], self._hit_rows(bands, j))
        return (*(best or (None, 0.0)), (bands.sigs[j], bands.lists[j]))

    def _hit_rows(self, bands: _Bands, j: int) -> np.ndarray | None:
        """Rows holding a key of one of signature ``j``'s band hashes (the sorted array's and
        the dict's; a row may repeat, and may be evicted or reused since: the caller
        checks), None for none."""
        found = bands.found(self._keys, j)
        fresh = self._fresh
        extra: list[int] = []
        for key in bands.lists[j]:
            row = fresh.get(key)
            if row is not None:
                if isinstance(row, int):
                    extra.append(row)
                else:
                    extra += row
        if extra:
            more = np.array(extra, dtype=np.uint64)
            found = more if found is None else np.concatenate((found, more))
        return found

    def _best_candidate(
        self, sig: np.ndarray, found: np.ndarray | None
    ) -> tuple[str, float] | None:
        """The candidate (a live row sharing a whole band with ``sig``: what MinHashLSH
        returns) among the ``found`` rows most similar to ``sig``, the lowest row of a tie,
        if at the threshold.

        Hits are checked against the rows' live sketches, not per (band, row) hit: a live
        row whose band b equals the sketch's has band b's key in the index, so the live hit
        rows with any band equal are exactly the candidates (a stale key of an evicted or
        reused row, or another band's hash collision, makes none by itself)."""
        if found is None:
            return None
        rows = found.astype(np.intp)  # a row may repeat: it scores the same each time
        if cython.compiled:  # (the numpy steps below are the reference: test_stories)
            return self._best_of(
                sig,
                _rows_at_threshold(
                    self._sigs,
                    self._low,
                    self._live.view(np.uint8),
                    rows,
                    sig,
                    sig.astype(np.uint8),
                    self._min_same,
                ),
            )
        rows = rows[self._live[rows]]
        if not len(rows):
            return None
        equal = self._sigs[rows] == sig
        same = equal.sum(axis=1)  # (np.count_nonzero with an axis: the same, ~5 us slower)
        # Which rows are candidates (share a whole band) is only tested for the rows that
        # could win: in order of similarity, then row, the first candidate is the one a test
        # of every row would pick (the highest similarity, the lowest row of a tie). On the
        # synthetic corpus (templated text) a sketch hits ~0.25% of the index (~45 rows at
        # 20k, ~250 at 100k) and 80-90% of the sketches tested have no row at the threshold,
        # so most tests end at the maximum, and no np.unique is needed (the sort only runs
        # past it). Replaying a 100k-article import's assign_many calls (thread CPU, two
        # runs each): 0.102, 0.104 -> 0.056, 0.061 ms/article, the same matches.
        if same.max() < self._min_same:
            return None
        order = np.lexsort((rows, -same))
        banded = self._b * self._r
        for k in order[: np.count_nonzero(same >= self._min_same)].tolist():
            if equal[k, :banded].reshape(self._b, self._r).all(axis=1).any():
                similarity = float(same[k]) / float(self.num_perm)
                return self._entries[self._row_ids[int(rows[k])]][0], similarity
        return None

    def _best_of(self, sig: np.ndarray, hits: list) -> tuple[str, float] | None:
        """`_best_candidate` from ``hits``, the (same, row) of the live rows at the threshold
        (`_rows_at_threshold`): the first, by similarity then row, that shares a whole band."""
        if not hits:
            return None
        hits.sort(key=_by_similarity_then_row)
        banded = self._b * self._r
        head = sig[:banded]
        for same, row in hits:
            if (self._sigs[row, :banded] == head).reshape(self._b, self._r).all(axis=1).any():
                return self._entries[self._row_ids[row]][0], float(same) / float(self.num_perm)
        return None

    def _remember(
        self,
        article_id: str,
        story_id: str,
        published: datetime,
        digest: bytes,
        sketched: tuple[np.ndarray, list[int]] | None,
    ) -> None:
        row = -1
        if sketched is not None:  # exact copies need no sketch: the hash finds them
            row = self._row()
            self._sigs[row] = sketched[0]
            self._low[row] = sketched[0].astype(np.uint8)  # (keeps the low byte)
            self._row_ids[row] = article_id
            self._live[row] = True
            self._add_keys(row, sketched[1])
        self._entries[article_id] = (story_id, published, digest, row)
        if digest:
            self._by_hash.setdefault(digest, article_id)
        heapq.heappush(self._heap, (published, article_id))
        self._advance(published)

    def _add_keys(self, row: int, hashes: list[int]) -> None:
        fresh = self._fresh
        for key in hashes:
            hit = fresh.get(key)
            if hit is None:
                fresh[key] = row
            elif isinstance(hit, int):
                fresh[key] = [hit, row]
            else:
                hit.append(row)
        self._fresh_rows += 1
        if self._fresh_rows >= _BUFFER_ROWS:
            self._merge()

    def _merge(self) -> None:
        """Move the dict's keys into the sorted array; rebuild the array from the live
        sketches instead once evicted rows' keys reach half the live ones."""
        live = int(np.count_nonzero(self._live))
        pending = self._b * self._fresh_rows
        if len(self._keys) + pending > 1.5 * self._b * live:
            self._rebuild()
            return
        keys = np.fromiter(
            (
                key | row
                for key, hit in self._fresh.items()
                for row in ([hit] if isinstance(hit, int) else hit)
            ),
            dtype=np.uint64,
        )
        keys.sort()
        self._keys = np.insert(self._keys, np.searchsorted(self._keys, keys), keys)
        self._fresh.clear()
        self._fresh_rows = 0

    def _rebuild(self) -> None:
        rows = np.flatnonzero(self._live).astype(np.uint64)
        keys = _band_hashes(self._sigs[rows.astype(np.int64)], self._b, self._mul)
        keys |= rows[:, None]
        keys = keys.ravel()
        keys.sort()
        self._keys = keys
        self._fresh.clear()
        self._fresh_rows = 0

    def _row(self) -> int:
        if self._free:
            return self._free.pop()
        if self._used == len(self._sigs):
            size = 2 * len(self._sigs)
            if self.max_entries is not None:  # no doubling past the cap's rows
                size = max(min(size, self.max_entries + _PRUNE_EVERY + 1), self._used + 1024)
            if size > 1 << _ROW_BITS:
                raise ValueError(f"story index over {1 << _ROW_BITS} sketches")
            grown = np.zeros((size, self.num_perm), dtype=np.uint32)
            grown[: self._used] = self._sigs
            self._sigs = grown
            low = np.zeros((size, self.num_perm), dtype=np.uint8)
            low[: self._used] = self._low
            self._low = low
            self._row_ids += [None] * (size - len(self._row_ids))
            self._live = np.concatenate((self._live, np.zeros(size - len(self._live), bool)))
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
        if row >= 0:  # its band keys stay until the next rebuild: hits check liveness
            self._row_ids[row] = None
            self._live[row] = False
            self._free.append(row)
        if self._by_hash.get(digest) == article_id:
            del self._by_hash[digest]
