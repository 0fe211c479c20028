"""Country mentions: ISO names, demonyms, capitals and seats of power, found with one
Aho-Corasick automaton over the whole gazetteer (never one regex per name).

Precision comes from three mechanisms, in this order:
1. case-sensitive keys and a word-boundary check on every hit ("fine china", "woman" ≠ Oman);
2. longest match wins, and "not a country" phrases ("New Mexico", "Guinea pig", "Middle East")
   live in the same automaton so they swallow the shorter key they contain;
3. context rules for the few keys that are also first names or US states (Jordan, Chad,
   Georgia, Paris …) and for sentence-initial common nouns ("Turkey sandwiches …").
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ahocorasick
import ahocorasick_rs
import pycountry

from monitor.models import Mention

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "countries.toml"

# Keys that are also common first names: a capitalised word right after them ("Paris Hilton",
# "Jordan Peterson") or a first name right before ("Michael Jordan") makes them a person.
PERSON_AMBIGUOUS = frozenset(
    {"Jordan", "Chad", "Georgia", "Paris", "Sofia", "Santiago", "Washington", "Lima", "Jersey"}
)
# Keys that are also common nouns: at the start of a sentence the capital letter proves
# nothing, so such a mention counts only if the country is named elsewhere in the article.
NOUN_AMBIGUOUS = frozenset(
    {"Turkey", "Chad", "Jordan", "Georgia", "Guinea", "Jersey", "Polish", "Guernsey"}
)
# Capitalised words that can precede a country name without being a first name.
FUNCTION_CAPS = frozenset(
    [
        "In",
        "At",
        "To",
        "From",
        "The",
        "And",
        "But",
        "For",
        "With",
        "On",
        "Of",
        "By",
        "As",
        "Both",
        "Like",
        "Unlike",
        "While",
        "When",
        "After",
        "Before",
        "Since",
        "Then",
        "Also",
        "If",
        "Though",
        "Although",
        "Why",
        "How",
        "Where",
        "Did",
        "Does",
        "Do",
        "Is",
        "Was",
        "Will",
        "Has",
        "Had",
        "Have",
        "Can",
        "Should",
        "Would",
        "Could",
        "Neighbouring",
        "Neighboring",
        "Visit",
        "Visiting",
        "Against",
        "Across",
        "Inside",
        "Outside",
        "Between",
        "Within",
        "Including",
        "Beyond",
        "Toward",
        "Towards",
        "Via",
        "Into",
        "Near",
        "Leaving",
        "Unlike",
        "Mr",
        "Mrs",
        "Ms",
    ]
)
# US-state context for "Georgia" (the text right after the name).
_GEORGIA_STATE_AFTER = re.compile(
    r"^(?:[’']s\s+)?\s*(?:voters?|state\b|State\b|[Ss]enators?|Republicans?|Democrats?|Democratic|"
    r"GOP|Gov\.|[Gg]overnor|[Ll]egislature|General Assembly|[Pp]rimary|[Cc]ounty|[Cc]ounties|"
    r"[Ss]ecretary of [Ss]tate|[Ee]lection|Supreme Court|residents|[Aa]ttorney [Gg]eneral|"
    r"House\b|Senate\b|Bulldogs|Tech\b|Power|peach)"
)
_GEORGIA_STATE_BEFORE = re.compile(
    r"(?:Atlanta|Savannah|Augusta|Macon|Columbus|Athens|Marietta|Alpharetta),\s*$|"
    r"(?:state|State) of\s+$|(?:Gov\.|Governor|Sen\.|Senator|Rep\.)\s+of\s+$"
)
_GEORGIA_COUNTRY_CUES = ("Tbilisi", "Georgian", "Batumi", "Kutaisi", "South Ossetia", "Abkhazia")
_SENTENCE_START = re.compile(r"(?:^|[.!?][\"”’')\]]*\s+|\n)$")
# What _word_before reads backwards (test_countries compares the two).
_WORD_BEFORE = re.compile(r"([A-Za-z][\w’'.-]*)\s+$")

VIA_ORDER = ("name", "demonym", "capital", "institution")


@dataclass(frozen=True)
class Gazetteer:
    automaton: ahocorasick.Automaton  # key -> (key, code or "", via); "" marks a blocker
    names: dict[str, str]  # alpha-2 -> display name
    # Per-gazetteer memo for callers whose answer depends only on a string and this gazetteer
    # (quotes: what a capitalised run names); a plain dict is cheaper than lru_cache.
    memo: dict = field(default_factory=dict, compare=False, repr=False)
    # the same for a quote's subject phrase (quotes.classify): a phrase can also be a run
    phrase_memo: dict = field(default_factory=dict, compare=False, repr=False)

    def name(self, code: str) -> str:
        return self.names.get(code, code)


def _plural(word: str) -> str | None:
    """Nationality nouns take an -s plural ("Russians"); adjectives in -ese/-sh/-ch do not."""
    if word.endswith(("ese", "sh", "ch", "ss", "s", "x", "z")):
        return None
    return word + "s"


def _iso_names(country) -> list[str]:
    """pycountry names that appear as such in prose (skip 'Korea, Republic of' forms)."""
    out = []
    for attr in ("name", "common_name", "official_name"):
        value = getattr(country, attr, None)
        if value and "," not in value and "(" not in value:
            out.append(value.removeprefix("the "))
    return out


@lru_cache(maxsize=4)
def load_gazetteer(path: Path = DATA_FILE) -> Gazetteer:
    """Build the automaton once per process (about 2,500 keys)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    blockers = data.pop("not_countries", {}).get("phrases", [])
    entries: dict[str, tuple[str, str, str]] = {}
    names: dict[str, str] = {}

    def add(key: str, code: str, via: str) -> None:
        # First writer wins, and the ISO name is written first: a key never flips country.
        if key and key not in entries:
            entries[key] = (key, code, via)

    for country in pycountry.countries:
        code = country.alpha_2
        extra = data.get(code, {})
        names[code] = extra.get("display") or getattr(country, "common_name", None) or country.name
        for key in _iso_names(country) + list(extra.get("aliases", [])):
            add(key, code, "name")
    for code, extra in data.items():
        for key in extra.get("demonyms", []):
            add(key, code, "demonym")
            plural = _plural(key)
            if plural:
                add(plural, code, "demonym")
        for key in extra.get("capitals", []):
            add(key, code, "capital")
        for key in extra.get("institutions", []):
            add(key, code, "institution")
    for phrase in blockers:
        entries[phrase] = (phrase, "", "blocker")  # a blocker overrides any key of equal text
    automaton = ahocorasick.Automaton()
    for key, value in entries.items():
        automaton.add_word(key, value)
    automaton.make_automaton()
    return Gazetteer(automaton=automaton, names=names)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def new_mention(
    kind: str, entity_id: str, name: str, text: str, start: int, end: int, via: str
) -> Mention:
    """``Mention(...)`` without the frozen dataclass ``__init__`` (one ``object.__setattr__``
    per field, ~5x slower; an article makes ~100 mentions). Same fields in the same order, so
    the result is equal, hashes and pickles exactly like the constructor's. Item stores into
    the instance dict: ~270 ns, against ~400 ns for ``__dict__.update`` with keywords (which
    builds a dict of them first)."""
    m = _new(Mention)
    d = m.__dict__
    d["kind"] = kind
    d["entity_id"] = entity_id
    d["name"] = name
    d["text"] = text
    d["start"] = start
    d["end"] = end
    d["via"] = via
    return m


_new = object.__new__


def longest_hits(automaton: ahocorasick.Automaton, text: str) -> list[tuple[int, int, tuple]]:
    """All word-bounded hits, then leftmost-longest, non-overlapping."""
    hits = []
    n = len(text)
    for end_index, value in automaton.iter(text):
        end = end_index + 1
        start = end - len(value[0])
        if _word_bounded(text, n, start, end, value[0]):
            hits.append((start, -end, value))
    return _leftmost_longest(hits)


def longest_hits_pair(
    automaton: ahocorasick.Automaton, text: str
) -> tuple[list[tuple[int, int, tuple]], list[tuple[int, int, tuple]]]:
    """``longest_hits`` for two key sets in ONE scan of `text`. The automaton's values are
    (key, value in set A or None, value in set B or None); each result is exactly what
    ``longest_hits`` over an automaton of that set alone returns (the word-boundary test
    depends only on the key, and leftmost-longest is chosen per set)."""
    hits_a, hits_b = [], []
    n = len(text)
    for end_index, (key, a, b) in automaton.iter(text):
        end = end_index + 1
        start = end - len(key)
        if _word_bounded(text, n, start, end, key):
            if a is not None:
                hits_a.append((start, -end, a))
            if b is not None:
                hits_b.append((start, -end, b))
    return _leftmost_longest(hits_a), _leftmost_longest(hits_b)


class MultiScan:
    """Several key sets in ONE Aho-Corasick automaton. Scanning an article costs ~13 ns per
    character per automaton, so one pass for countries, registry names, surnames and title
    openers replaces four. Each set's result is exactly what its own automaton gives:
    word-bounded sets → ``longest_hits``; other sets → every occurrence (in end order; the
    callers use them as a set).

    The scan is ahocorasick_rs's overlapping search: every occurrence of every key, exactly
    the hits pyahocorasick's ``iter`` yields (tested). pyahocorasick's trie searches each
    node's children linearly, so its cost per character grew with the root's fan-out (~45
    first letters here): 81 µs per 4.3 KB article vs ~31 µs. The library's default automaton
    (a contiguous NFA) scans as fast as its DFA here and builds in 3 ms instead of 26."""

    def __init__(self, sets: Sequence[tuple[Iterable[tuple[str, object]], bool]]) -> None:
        merged: dict[str, list[tuple[int, object]]] = {}
        for i, (items, _) in enumerate(sets):
            for key, value in items:
                if key:  # an empty key never matches a word (and the DFA refuses it)
                    merged.setdefault(key, []).append((i, value))
        self.bounded = tuple(bounded for _, bounded in sets)
        # Per key index: (values of word-bounded sets, values of other sets, whether the key
        # ends in a word character: only then must the character after it not be one, the
        # one bounded (set, value) when that is all the key has, else None).
        self._info = []
        for key, values in merged.items():
            bounded = tuple((i, v) for i, v in values if self.bounded[i])
            free = tuple((i, v) for i, v in values if not self.bounded[i])
            single = bounded[0] if len(bounded) == 1 and not free else None
            self._info.append((bounded, free, _is_word_char(key[-1]), single))
        self.empty = not merged
        self._automaton = None if self.empty else ahocorasick_rs.AhoCorasick(list(merged))

    def scan(self, text: str) -> list[list[tuple[int, int, object]]]:
        """Per set, (start, end, value) hits."""
        out: list[list] = [[] for _ in self.bounded]
        if self._automaton is None:
            return out
        info = self._info
        add = [hits.append for hits in out]
        n = len(text)
        for index, start, end in _find_all(self._automaton, text):
            bounded, free, word_end, single = info[index]
            if free:
                for i, value in free:
                    add[i]((start, end, value))
                if not bounded:
                    continue
            # _word_bounded, inlined: no word character right before the key, nor right
            # after it when the key itself ends in one
            if start:
                ch = text[start - 1]
                if ch.isalnum() or ch == "_":
                    continue
            if word_end and end < n:
                ch = text[end]
                if ch.isalnum() or ch == "_":
                    continue
            if single is not None:  # most keys are in one word-bounded set: no inner loop
                add[single[0]]((start, -end, single[1]))
                continue
            for i, value in bounded:
                add[i]((start, -end, value))
        return [_leftmost_longest(h) if b else h for h, b in zip(out, self.bounded, strict=True)]


_SURROGATE = re.compile("[\ud800-\udfff]")


def _find_all(automaton: ahocorasick_rs.AhoCorasick, text: str) -> list[tuple[int, int, int]]:
    """(key index, start, end) of every occurrence. A lone surrogate has no UTF-8 form: it is
    scanned as U+FFFD (one code point, so offsets stay; no key contains either character, and
    neither is a word character for the boundary tests, which read the original text)."""
    try:
        return automaton.find_matches_as_indexes(text, overlapping=True)
    except UnicodeEncodeError:
        return automaton.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text), overlapping=True)


def _word_bounded(text: str, n: int, start: int, end: int, key: str) -> bool:
    if start > 0:
        ch = text[start - 1]
        if ch.isalnum() or ch == "_":
            return False
    if end < n:
        ch = text[end]
        if ch.isalnum() or ch == "_":
            last = key[-1]
            if last.isalnum() or last == "_":
                return False
    return True


def _leftmost_longest(hits: list[tuple[int, int, tuple]]) -> list[tuple[int, int, tuple]]:
    """Hits as (start, -end, value) → non-overlapping (start, end, value), leftmost-longest.
    The tuples sort with no key function; two hits never tie on both (same span = same key
    = one automaton entry), so values are never compared."""
    if len(hits) > 1:
        hits.sort()
    chosen, last_end = [], -1
    for start, neg_end, value in hits:
        if start >= last_end:
            last_end = -neg_end
            chosen.append((start, last_end, value))
    return chosen


def _looks_like_person(text: str, start: int, end: int) -> bool:
    """'Paris Hilton', 'Jordan Peterson', 'Michael Jordan': a name next to a first/last name."""
    after = text[end : end + 2]
    if len(after) == 2 and after[0] == " " and after[1].isupper():
        return True
    if start == 0 or text[start - 1] != " ":
        return False  # the word before must end in a plain space right before the key
    before = _word_before(text, max(0, start - 40), start)
    if before:
        word = text[before[0] : before[1]]
        if word[0].isupper() and word.rstrip(".") not in FUNCTION_CAPS and not word.endswith(","):
            return not _starts_sentence(text, before[0])
    return False


_TOKEN_TAIL = "_’'.-"  # besides alphanumerics, what _WORD_BEFORE's [\w’'.-] takes
_ASCII_LETTERS = frozenset(string.ascii_letters)
_STOP_CLOSERS = "\"”’')]"


def _word_before(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    r"""The span of ``_WORD_BEFORE.search(text, lo, hi)``'s word (its match always ends at
    `hi`), by a scan backwards from `hi`: the trailing whitespace, the token of [\w’'.-]
    before it, and that token's first ASCII letter (the leftmost start the search finds).
    The regex search tries every start from `lo`; this reads the few characters involved.
    str.isspace / str.isalnum test the same Unicode properties as sre's \s and \w."""
    j = hi
    while j > lo and text[j - 1].isspace():
        j -= 1
    if j == hi:
        return None
    k = j
    while k > lo and (text[k - 1].isalnum() or text[k - 1] in _TOKEN_TAIL):
        k -= 1
    for i in range(k, j):
        if text[i] in _ASCII_LETTERS:
            return i, j
    return None


def _starts_sentence(text: str, b: int) -> bool:
    r"""``bool(_SENTENCE_START.search(text, 0, b))`` without scanning ``text[:b]`` (the
    search tried every position from 0: ~13 ns per character, ~30 µs deep into an article).
    It matches where ``text[:b]`` is empty, ends in a newline (``$`` also matches before a
    final one), or ends in whitespace after a stop and its closing marks."""
    if b == 0 or text[b - 1] == "\n":
        return True
    if not text[b - 1].isspace():
        return False
    w = b - 1
    while w > 0 and text[w - 1].isspace():
        w -= 1
    while w > 0 and text[w - 1] in _STOP_CLOSERS:
        w -= 1
    return w > 0 and text[w - 1] in ".!?"


def _georgia_is_state(text: str, start: int, end: int) -> bool:
    if _GEORGIA_STATE_AFTER.search(text[end : end + 40]):
        return True
    return bool(_GEORGIA_STATE_BEFORE.search(text[max(0, start - 40) : start]))


def _sentence_initial(text: str, start: int) -> bool:
    return bool(_SENTENCE_START.search(text[max(0, start - 6) : start])) or start == 0


def find_countries(
    text: str, gazetteer: Gazetteer | None = None, hits: list | None = None
) -> list[Mention]:
    """Country mentions in `text`, in order, with offsets into `text`. `hits`: what
    ``longest_hits(gazetteer.automaton, text)`` returns, when the caller scanned already."""
    gaz = gazetteer or load_gazetteer()
    names = gaz.names
    kept: list[Mention] = []
    georgia_state_seen = False
    if hits is None:
        hits = longest_hits(gaz.automaton, text)
    for start, end, (key, code, via) in hits:
        if not code:
            continue
        if key in PERSON_AMBIGUOUS and _looks_like_person(text, start, end):
            continue
        if key == "Georgia" and _georgia_is_state(text, start, end):
            georgia_state_seen = True
            continue
        kept.append(new_mention("country", code, names.get(code, code), key, start, end, via))
    return _corroborate(text, kept, georgia_state_seen)


# Mention texts that _corroborate may drop or change; an article with none of them (most)
# comes out as it went in.
_CORROBORATED = NOUN_AMBIGUOUS | {"Congo", "Georgia"}


def _corroborate(text: str, mentions: list[Mention], georgia_state_seen: bool) -> list[Mention]:
    """Drop ambiguous mentions that nothing else in the article supports."""
    texts = [m.text for m in mentions]
    if _CORROBORATED.isdisjoint(texts):
        return mentions
    # Sentence-initial ambiguous mentions: the only ones dropped as unsupported.
    initial = {
        i
        for i, t in enumerate(texts)
        if t in NOUN_AMBIGUOUS and _sentence_initial(text, mentions[i].start)
    }
    solid = {m.entity_id for i, m in enumerate(mentions) if i not in initial}
    # Bare "Congo" means the DRC unless the article places it in Brazzaville.
    congo = "CG" if "Brazzaville" in texts else "CD"
    # an article about the US state: its other "Georgia"s are the state too
    drop_georgia = georgia_state_seen and not any(cue in text for cue in _GEORGIA_COUNTRY_CUES)
    if congo == "CD" and not drop_georgia and all(mentions[i].entity_id in solid for i in initial):
        return mentions  # supported, no Congo to re-code, no Georgia to drop: as they came
    out = []
    for i, m in enumerate(mentions):
        if m.text == "Congo" and congo == "CG":
            m = Mention("country", "CG", m.name, m.text, m.start, m.end, m.via)
        if i in initial and m.entity_id not in solid:
            continue
        if m.text == "Georgia" and drop_georgia:
            continue
        out.append(m)
    return out
