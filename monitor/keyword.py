"""Keyword query language for the dashboard and exports.

Syntax: words, "exact phrases", AND / OR / NOT (upper case; `-word` is NOT word),
parentheses, implicit AND between adjacent terms. Matching is case-insensitive and whole-word
unless a word ends in `*` (prefix match): `sanction*` matches "sanctions" and "sanctioned".

Evaluation never puts user text into SQL: each literal becomes one RE2 pattern bound as a
top-level parameter of a static query (so DuckDB compiles it once, not once per row), and the
boolean tree is applied to the resulting id sets in Python.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import reduce

import numpy as np
import pyarrow as pa

from monitor import sql
from monitor import terms as terms_mod

OPERATORS = frozenset({"AND", "OR", "NOT"})
_QUOTES = {'"': '"', "\u201c": "\u201d", "\u201e": "\u201c", "\u00ab": "\u00bb"}
_CLOSERS = frozenset({'"', "\u201d", "\u201c", "\u00bb"})
_SPECIAL = frozenset('()"') | frozenset(_QUOTES) | _CLOSERS
# A letter, digit or underscore in any script: RE2's \b and \w are ASCII-only, which would
# break whole-word matching of Cyrillic or accented words.
_WORDCHAR = r"[\pL\pN_]"
_BEFORE = r"(?:^|[^\pL\pN_])"
_AFTER = r"(?:[^\pL\pN_]|$)"
_SPACE = r"[\s\pZ]+"
_LIKE_SAFE = re.compile(r"[a-rt-zA-RT-Z0-9]+")
MAX_QUERY_CHARS = 500
MAX_TERMS = 40


class QueryError(ValueError):
    """A malformed keyword query; `position` is the 0-based character offset of the problem."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position


# --- syntax tree --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    text: str  # a word, or the words of a phrase separated by single spaces
    phrase: bool = False
    prefix: bool = False

    def pattern(self) -> str:
        """The RE2 pattern: case-insensitive, whole word unless `prefix`."""
        words = self.text.split(" ")
        body = _SPACE.join(_escape(w) for w in words)
        start = _BEFORE if _is_wordchar(self.text[0]) else ""
        end = _AFTER if not self.prefix and _is_wordchar(self.text[-1]) else ""
        return f"(?i){start}{body}{end}"

    def like(self) -> str:
        """An ILIKE prefilter that never rejects a row the pattern matches: the longest run of
        ASCII letters and digits other than s (RE2 folds ſ with s, ILIKE does not) in the
        term must appear somewhere. Other characters are left out for the same reason (ς and
        σ, say); with no such run of 3+ characters there is no prefilter."""
        runs = _LIKE_SAFE.findall(self.text)
        longest = max(runs, key=len, default="")
        return f"%{longest}%" if len(longest) >= 3 else "%"

    @property
    def joined(self) -> bool:
        """Whether a match can span title and text (joined by a space): only a phrase of
        several words can; any other term is matched in title and text separately."""
        return self.phrase and " " in self.text


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node = Term | And | Or | Not


def _is_wordchar(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _escape(text: str) -> str:
    """Literal text for RE2: letters and digits as they are, everything else as \\x{HEX}."""
    return "".join(ch if ch.isalnum() else f"\\x{{{ord(ch):X}}}" for ch in text)


def terms(node: Node) -> Iterator[Term]:
    if isinstance(node, Term):
        yield node
    elif isinstance(node, Not):
        yield from terms(node.child)
    else:
        for child in node.children:
            yield from terms(child)


def describe(node: Node) -> str:
    """The query as the parser understood it, fully parenthesised (shown under the input)."""
    if isinstance(node, Term):
        shown = f'"{node.text}"' if node.phrase else node.text
        return shown + ("*" if node.prefix else "")
    if isinstance(node, Not):
        return f"NOT {describe(node.child)}"
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(describe(c) for c in node.children) + ")"


# --- tokenizer ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    kind: str  # WORD | PHRASE | AND | OR | NOT | LPAREN | RPAREN
    text: str
    pos: int
    prefix: bool = False


def tokenize(text: str) -> list[Token]:
    _check_characters(text)
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(Token("LPAREN" if ch == "(" else "RPAREN", ch, i))
            i += 1
        elif ch in _QUOTES or ch in _CLOSERS:
            i = _phrase(text, i, tokens)
        elif ch == "-":
            if i + 1 >= len(text) or text[i + 1].isspace() or text[i + 1] == ")":
                raise QueryError("- needs a term right after it (as in -word)", i)
            tokens.append(Token("NOT", "-", i))
            i += 1
        else:
            i = _word(text, i, tokens)
    return tokens


def _check_characters(text: str) -> None:
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is longer than {MAX_QUERY_CHARS} characters", MAX_QUERY_CHARS)
    for i, ch in enumerate(text):
        if unicodedata.category(ch) in {"Cs", "Cc"} and not ch.isspace():
            raise QueryError(f"unsupported character U+{ord(ch):04X}", i)


def _phrase(text: str, i: int, tokens: list[Token]) -> int:
    closers = {_QUOTES.get(text[i], '"'), '"', "\u201d"}
    end = next((j for j in range(i + 1, len(text)) if text[j] in closers), -1)
    if end < 0:
        raise QueryError("unterminated phrase: a quotation mark is not closed", i)
    words = text[i + 1 : end].split()
    if not words:
        raise QueryError("empty phrase: put words between the quotation marks", i)
    tokens.append(Token("PHRASE", " ".join(words), i))
    return end + 1


def _word(text: str, i: int, tokens: list[Token]) -> int:
    start = i
    while i < len(text) and not text[i].isspace() and text[i] not in _SPECIAL:
        i += 1
    raw = text[start:i]
    if raw in OPERATORS:
        tokens.append(Token(raw, raw, start))
        return i
    prefix = raw.endswith("*")
    stem = raw.rstrip("*")
    if not stem:
        raise QueryError("a prefix search needs at least one letter before *", start)
    if "*" in stem:
        raise QueryError("* is allowed only at the end of a word", start + stem.index("*"))
    tokens.append(Token("WORD", stem, start, prefix))
    return i


# --- parser -------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.i = 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def end_pos(self) -> int:
        return len(self.text)

    def parse(self) -> Node:
        node = self.or_expr()
        token = self.peek()
        if token is not None:  # only a stray ")" can stop the grammar early
            raise QueryError("unbalanced parentheses: this ')' has no matching '('", token.pos)
        return node

    def or_expr(self) -> Node:
        children = [self.and_expr()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            children.append(self.and_expr(after=token))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_expr(self, after: Token | None = None) -> Node:
        children = [self.unary(after)]
        while (token := self.peek()) is not None and token.kind not in {"OR", "RPAREN"}:
            if token.kind == "AND":
                self.take()
                children.append(self.unary(token))
            else:
                children.append(self.unary(None))
        return children[0] if len(children) == 1 else And(tuple(children))

    def unary(self, after: Token | None) -> Node:
        token = self.peek()
        if token is None or token.kind in {"AND", "OR", "RPAREN"}:
            self._dangling(after, token)
        token = self.take()
        if token.kind == "NOT":
            return Not(self.unary(token))
        if token.kind == "LPAREN":
            if (nxt := self.peek()) is not None and nxt.kind == "RPAREN":
                raise QueryError("empty parentheses", token.pos)
            node = self.or_expr()
            close = self.peek()
            if close is None or close.kind != "RPAREN":
                raise QueryError("unbalanced parentheses: this '(' is never closed", token.pos)
            self.take()
            return node
        return Term(token.text, phrase=token.kind == "PHRASE", prefix=token.prefix)

    def _dangling(self, after: Token | None, token: Token | None) -> None:
        if after is not None:
            raise QueryError(f"{after.text} needs a term after it", after.pos)
        if token is None:
            raise QueryError("the query ends where a term was expected", self.end_pos())
        if token.kind == "RPAREN":
            raise QueryError("unbalanced parentheses: this ')' has no matching '('", token.pos)
        raise QueryError(f"{token.text} needs a term before it", token.pos)


def parse_query(text: str) -> Node | None:
    """Parse a keyword query; None for a blank query; QueryError for malformed input."""
    tokens = tokenize(text)
    if not tokens:
        return None
    node = _Parser(text, tokens).parse()
    if sum(1 for _ in terms(node)) > MAX_TERMS:
        raise QueryError(f"the query has more than {MAX_TERMS} terms", 0)
    return node


# --- evaluation ---------------------------------------------------------------------------------

Lookup = Callable[[Term], set[str]]


def evaluate(node: Node, lookup: Lookup, universe: Callable[[], set[str]]) -> set[str]:
    """Combine literal id sets with the boolean tree; NOT is a difference from `universe`."""
    cache: dict[Term, set[str]] = {}

    def literal(term: Term) -> set[str]:
        if term not in cache:
            cache[term] = lookup(term)
        return cache[term]

    def walk(n: Node) -> set[str]:
        if isinstance(n, Term):
            return literal(n)
        if isinstance(n, Not):
            return universe() - walk(n.child)
        if isinstance(n, Or):
            return set().union(*(walk(c) for c in n.children))
        # AND: intersect the positive children, then subtract the negated ones — the universe
        # is only needed when every child is negated
        positive = [c for c in n.children if not isinstance(c, Not)]
        negative = [c.child for c in n.children if isinstance(c, Not)]
        result = set.intersection(*(walk(c) for c in positive)) if positive else universe()
        for child in negative:
            result = result - walk(child)
        return result

    return walk(node)


def matching_ids(con, node: Node | None, params: dict) -> set[str] | None:
    """Ids of articles matching `node` within the article filters in `params` (None: no query).

    `params` holds the keys of `page_keyword_ids` / `page_keyword_universe` other than the
    pattern ones (since, until, sources, languages). Answered from the keyword index
    (monitor/terms.py) when it covers the store, else by scanning the text; both give the
    same ids (tests/test_terms.py).
    """
    if node is None:
        return None
    base = {k: params.get(k) for k in ("since", "until", "sources", "languages")}
    if terms_mod.in_step(con):
        return _indexed(con, node, base)
    return _scanned(con, node, base)


def _scanned(con, node: Node, base: dict) -> set[str]:
    """Every literal by an ILIKE + RE2 scan of the articles within the filters."""
    universe_ids: list[set[str]] = []

    def lookup(term: Term) -> set[str]:
        rows = sql.execute(
            con,
            "page_keyword_ids",
            pattern=term.pattern(),
            like=term.like(),
            joined=term.joined,
            **base,
        ).fetchall()
        return {r[0] for r in rows}

    def universe() -> set[str]:
        if not universe_ids:
            rows = sql.execute(con, "page_keyword_universe", **base).fetchall()
            universe_ids.append({r[0] for r in rows})
        return universe_ids[0]

    return evaluate(node, lookup, universe)


# --- index path ---------------------------------------------------------------------------------

# A doc set is a boolean array indexed by doc number (terms_docs.doc, dense from 1): AND, OR
# and NOT are elementwise, with no sorting (numpy's unique/union are slow at a million docs).
Docs = np.ndarray


def _indexed(con, node: Node, base: dict) -> set[str]:
    """Literals as doc sets from the postings (verified by the regex where the postings only
    narrow), combined as bitmaps; filters applied once at the end (they commute with AND, OR
    and NOT-within-the-universe). Stale docs of re-indexed articles may be set in a literal's
    bitmap but never map back to an article id."""
    size = int(_fetchall(con, "terms_max_doc")[0][0]) + 1
    live: list[Docs] = []

    def universe() -> Docs:
        if not live:
            live.append(_bitmap(_column(con, "terms_live"), size))
        return live[0]

    def literal(term: Term) -> Docs:
        return _literal_docs(con, term, size, universe)

    docs = evaluate_docs(node, literal, universe)
    return _doc_ids(con, np.flatnonzero(docs), base)


def evaluate_docs(node: Node, lookup: Callable[[Term], Docs], universe: Callable[[], Docs]) -> Docs:
    """`evaluate` over doc bitmaps (the same tree walk, elementwise operations)."""
    cache: dict[Term, Docs] = {}

    def walk(n: Node) -> Docs:
        if isinstance(n, Term):
            if n not in cache:
                cache[n] = lookup(n)
            return cache[n]
        if isinstance(n, Not):
            return universe() & ~walk(n.child)
        if isinstance(n, Or):
            return reduce(np.logical_or, (walk(c) for c in n.children))
        positive = [c for c in n.children if not isinstance(c, Not)]
        negative = [c.child for c in n.children if isinstance(c, Not)]
        result = reduce(np.logical_and, (walk(c) for c in positive)) if positive else universe()
        for child in negative:
            result = result & ~walk(child)
        return result

    return walk(node)


def _bitmap(docs: np.ndarray, size: int) -> Docs:
    out = np.zeros(size, dtype=bool)
    out[docs[docs < size]] = True  # a doc past the newest live one cannot be live
    return out


@dataclass(frozen=True)
class _Run:
    token: str  # folded as the index folds tokens
    whole: bool  # bounded on both sides by the pattern: must equal a whole token


def _runs(con, term: Term) -> list[_Run]:
    """The word runs of `term` that the pattern bounds on the left (a run bounded on the right
    too must equal a whole token, else a token must start with it). A run is bounded by a
    non-word character of the term, or at the term's edge by the guard `pattern()` adds where
    Python sees a word character; RE2's own class is asked here, so where the two disagree
    the run just loses that bound."""
    runs, word_start, word_end = _fetchall(con, "terms_fold", text=term.text)[0]
    before = _is_wordchar(term.text[0])
    after = not term.prefix and _is_wordchar(term.text[-1])
    out = []
    for i, token in enumerate(runs):
        left = i > 0 or not word_start or before
        right = i < len(runs) - 1 or not word_end or after
        if left:
            out.append(_Run(token, whole=right))
    return out


def _literal_docs(con, term: Term, size: int, universe: Callable[[], Docs]) -> Docs:
    """Docs matching one literal. A term that is one bounded word run (a word, or a word*
    prefix) is answered by the postings alone: tokens are exactly RE2's word runs, folded
    exactly as RE2 folds case. Anything else (phrases, punctuation) is narrowed to the docs
    holding all its bounded runs, then checked with the regex."""
    runs = _runs(con, term)
    postings = [_bitmap(_postings(con, r), size) for r in runs]
    # folding keeps the length, so a run as long as the text is the whole text
    if len(runs) == 1 and len(runs[0].token) == len(term.text):
        return postings[0]
    candidates = reduce(np.logical_and, postings) if postings else universe()
    return _bitmap(_verify(con, term, np.flatnonzero(candidates)), size)


def _postings(con, run: _Run) -> np.ndarray:
    if run.whole:
        return _column(con, "terms_word", term=run.token)
    return _column(con, "terms_prefix", prefix=run.token)


def _verify(con, term: Term, candidates: np.ndarray) -> np.ndarray:
    if candidates.size == 0:
        return candidates
    con.register("_terms_cand", pa.table({"doc": pa.array(candidates, pa.int64())}))
    try:
        return _column(con, "terms_verify", pattern=term.pattern(), joined=term.joined)
    finally:
        con.unregister("_terms_cand")


def _doc_ids(con, docs: np.ndarray, base: dict) -> set[str]:
    """Article ids of `docs` within the filters."""
    if docs.size == 0:
        return set()
    con.register("_terms_hits", pa.table({"doc": pa.array(docs, pa.int64())}))
    try:
        if all(v is None for v in base.values()):
            return set(_strings(con, "terms_ids"))
        return set(_strings(con, "terms_ids_filtered", **base))
    finally:
        con.unregister("_terms_hits")


def _column(con, name: str, **params) -> np.ndarray:
    """The first column of a named query as a numpy int64 array (no Python ints)."""
    result = con.sql(sql.get(name).sql, params=params).fetchnumpy()
    return np.asarray(next(iter(result.values())), dtype=np.int64)


def _strings(con, name: str, **params) -> list[str]:
    return con.sql(sql.get(name).sql, params=params).to_arrow_table().column(0).to_pylist()


def _fetchall(con, name: str, **params) -> list[tuple]:
    return sql.execute(con, name, **params).fetchall()


def ids_table(ids: set[str] | None) -> pa.Table:
    """The id set as an Arrow table to register as `_kw` (empty when there is no query)."""
    return pa.table({"id": pa.array(sorted(ids or ()), pa.string())})
