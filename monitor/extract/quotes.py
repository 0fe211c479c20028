"""Direct quotes and their speakers.

1. Pair quotation marks per paragraph (curly, straight, guillemets); a quote left open at a
   paragraph end continues when the next paragraph opens with a quote mark (news convention).
2. Attribute each quote from the words right after it (`"…," NAME said`, `"…," said NAME`,
   `"…" ― NAME`), else from the words right before it (`NAME said: "…"`,
   `NAME described …, stating: "…"`).
3. The speaker phrase becomes a registry/discovered official, a pronoun (resolved to the most
   recent named person outside quotes in this or the previous paragraph), a plain name, or a
   role ("a Kremlin spokesperson").
4. Un-cued quotes inside a sentence, or of at most four words, are `partial` (scare quotes);
   an un-cued quote that is a whole sentence continues the previous speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

import cython

from monitor.extract import foreign
from monitor.extract.countries import Gazetteer, find_countries, load_gazetteer
from monitor.extract.officials import MONTHS_DAYS
from monitor.models import Discovered, Mention, Official, Quote

OPENERS = '“«"„'  # „ opens German quotes, closed by “ (or ”)
CLOSERS = '”»"'
_CUE_VERBS = (
    "said|says|say|told|tells|added|adds|stressed|stresses|noted|notes|explained|explains|"
    "continued|continues|insisted|insists|argued|argues|wrote|writes|tweeted|posted|asked|asks|"
    "warned|warns|declared|declares|stated|states|recalled|recalls|replied|replies|responded|"
    "remarked|commented|claimed|claims|acknowledged|admitted|announced|emphasi[sz]ed|"
    "underlined|concluded|conceded|suggested|predicted|urged|joked|quipped|shouted|yelled|"
    "sings|sang|chanted|countered|cautioned|complained|boasted|vowed|promised|confirmed|"
    "agreed|laughed|demanded|observed|maintained|pointed out|went on|recounted|reiterated|"
    "lamented|testified|wondered|mused|exclaimed|whispered|answered|retorted|assured|"
    "predicts|warns|adds|tweets|posts|summed up|wrote in|offered"
)
_PARTICIPLES = (
    "saying|stating|adding|telling [\\w ]{1,30}?|noting|writing|declaring|explaining|arguing|"
    "insisting|warning|asking|tweeting|stressing|recalling|quipping|joking|concluding|"
    "remarking|replying|responding|continuing|posting|exclaiming|proclaiming|announcing"
)


def _by_first_letter(alternatives: str) -> str:
    """``a|b|…`` regrouped by first letter: ``(?:s(?:aid|ays|…)|t(?:old|…)|…)``. sre tries the
    alternatives of a group one by one at every position; grouped, a position whose letter
    opens none of them costs one test instead of ~130. Alternatives with different first
    letters never match at the same position and the order within a letter is kept, so the
    regex matches exactly what the flat alternation matches."""
    groups: dict[str, list[str]] = {}
    for alt in alternatives.split("|"):
        groups.setdefault(alt[0], []).append(alt[1:])
    return "(?:" + "|".join(f"{c}(?:{'|'.join(rest)})" for c, rest in groups.items()) + ")"


_CUE_VERBS_RE = _by_first_letter(_CUE_VERBS)
_PARTICIPLES_RE = _by_first_letter(_PARTICIPLES)
_ADVERB = r"(?:(?:also|later|then|again|further|previously|once|simply|had|has|have|would|will|\w+ly)\s+)?"
_TAIL_SUBJ_VERB = re.compile(
    rf"^\s*(?P<subj>[^!?;“”\"«»\n]{{1,140}}?)\s+{_ADVERB}(?P<verb>{_CUE_VERBS_RE})\b(?P<rest>[^.!?;“”\"«»\n]*)"
)
# What follows _TAIL_SUBJ_VERB's subject (its \s+ written \s\s*: the same counts tried in
# the same order, and a first character class lets sre skip to each space): searched for,
# it finds where the subject can end (`_subject_verb`).
_TAIL_AFTER_SUBJ = re.compile(
    rf"\s\s*{_ADVERB}(?P<verb>{_CUE_VERBS_RE})\b(?P<rest>[^.!?;“”\"«»\n]*)"
)
_SUBJECT_STOPS = re.compile(r"[!?;“”\"«»\n]")  # what _TAIL_SUBJ_VERB's subject cannot hold
_TAIL_VERB_SUBJ = re.compile(
    rf"^\s*,?\s*(?P<verb>{_CUE_VERBS_RE})\s+(?P<subj>[^!?;“”\"«»\n]{{1,140}})"
)
# First characters (after leading whitespace) without which _TAIL_DASH, _TAIL_VERB_SUBJ and
# _TAIL_ACCORDING cannot match: a dash; a comma or a cue verb's first letter; a comma or "a".
_DASH_FIRST = frozenset("―—–")
_VERB_SUBJ_FIRST = frozenset(",") | {alt[0] for alt in _CUE_VERBS.split("|")}
_ACCORDING_FIRST = frozenset(",a")
# Lowercase words that can open a speaker phrase after the verb ("said von der Leyen").
_LOWER_SUBJECT_START = frozenset({"a", "an", "the", "one", "von", "van", "de", "al", "el", "bin"})
_TAIL_DASH = re.compile(r"^\s*[―—–]\s*(?P<subj>[A-Z][^\n“”\"«»]{1,60})")
_TAIL_ACCORDING = re.compile(r"^\s*,?\s*according to (?P<subj>[^!?;“”\"«»\n]{1,100})")
_HEAD_CUE = re.compile(
    rf"(?P<verb>\b(?:{_CUE_VERBS_RE}|{_PARTICIPLES_RE}))\b(?P<rest>[^.!?“”\"«»]{{0,80}}?)\s*(?:that\s*)?[,:]?\s*$"
)
_CUE_WORD = re.compile(rf"\b(?:{_CUE_VERBS_RE})\b")
_PARTICIPLE_RE = re.compile(rf"^(?:{_PARTICIPLES_RE})$")
_CUE_CUT = re.compile(
    r"\s(?:in|on|at|during|after|before|while|when|as|from|with|of|that|about|last|this|"
    r"earlier|late|early|on)\b|[,;(]"
)
# The stop is matched first and abbreviations are checked behind it: cheap to scan.
_SENT_END = re.compile(
    r"[.!?](?<![A-Z]\.)"
    # one look-behind per abbreviation length (each must be fixed-width), not one per word
    r"(?<!\b(?:Mr|Ms|Dr|St|Lt|vs)\.)"
    r"(?<!\b(?:Mrs|Rep|Sen|Gov|Gen|Del|Col|Feb|Jan|Aug|Oct|Nov|Dec)\.)(?<!\bSept\.)"
    r"[\"”’)]*\s+(?=[A-Z0-9“\"«‘(\[])"
)
_MARK_CHARS = '“”«»"„'
_MARKS = re.compile(f"[{_MARK_CHARS}]")
_PARA_SPLIT = re.compile(r"\n\s*\n|\n")
PRONOUNS = {"he": "he", "she": "she", "He": "he", "She": "she"}
OTHER_PRONOUNS = frozenset({"they", "They", "I", "we", "We", "it", "It", "you", "You"})
HONORIFIC = r"(?:Mr|Mrs|Ms|Dr|Rep|Sen|Gov|Del|Gen|Lt|Col|Prof|Rev|Sgt|Capt|Adm)\.?"
_NAME_RUN = re.compile(
    rf"(?<![\w’'])(?=[A-Z])(?P<hon>{HONORIFIC}\s+)?(?P<run>(?:[A-Z]\.|[A-Z][\w’'-]*)(?:\s+(?:[A-Z]\.\s+)?(?:O’|O'|Mc|Mac)?[A-Z][\w’'-]*){{0,3}})"
)
NON_NAME = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "And",
        "But",
        "For",
        "With",
        "Of",
        "By",
        "As",
        "To",
        "From",
        "If",
        "When",
        "While",
        "After",
        "Before",
        "Since",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "Its",
        "He",
        "She",
        "They",
        "We",
        "I",
        "You",
        "His",
        "Her",
        "Their",
        "Our",
        "My",
        "Your",
        "Indeed",
        "So",
        "Yet",
        "Still",
        "However",
        "Also",
        "Then",
        "There",
        "Here",
        "What",
        "Why",
        "How",
        "Who",
        "Where",
        "Which",
        "Asked",
        "Asking",
        "Meanwhile",
        "President",
        "Vice",
        "Prime",
        "Minister",
        "Secretary",
        "Senator",
        "Governor",
        "Chancellor",
        "Premier",
        "Spokesman",
        "Spokeswoman",
        "Spokesperson",
        "Press",
        "Foreign",
        "Defense",
        "Defence",
        "Deputy",
        "Former",
        "Acting",
        "State",
        "Mayor",
        "Republican",
        "Republicans",
        "Democrat",
        "Democrats",
        "Democratic",
        "GOP",
        "Congress",
        "Congressman",
        "Congresswoman",
        "Senate",
        "House",
        "Court",
        "Justice",
        "Department",
        "Ministry",
        "Office",
        "Party",
        "Committee",
        "Commission",
        "Council",
        "University",
        "College",
        "School",
        "Club",
        "Foundation",
        "Institute",
        "Association",
        "Agency",
        "Service",
        "Campaign",
        "Post",
        "Times",
        "News",
        "Journal",
        "Today",
        "Press",
        "Daily",
        "Inc",
        "Corp",
        "Company",
        "Group",
        "Bank",
        "Street",
        "Hall",
        "Center",
        "Centre",
        "Fox",
        "CNN",
        "MSNBC",
        "NBC",
        "CBS",
        "ABC",
        "AP",
        "Reuters",
        "Twitter",
        "Facebook",
        "Instagram",
        "Getty",
        *MONTHS_DAYS,  # a month or weekday is never a speaker's name
        "Sept",
        "Feb",
        "Jan",
        "Aug",
        "Oct",
        "Nov",
        "Dec",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Rep",
        "Sen",
        "Gov",
        "Kremlin",
        "Embassy",
        "Army",
        "Navy",
        "Police",
        "FBI",
        "CIA",
        "Pentagon",
        "Federal",
        "National",
        "International",
        "Union",
        "European",
        "United",
        "Nations",
        "God",
        "Christmas",
        "Easter",
        "Twitter",
        "Breitbart",
        "Politico",
        "Clinton's",
        "Trump's",
        # French, German and Spanish openers that precede a name ("Selon Macron, « … »");
        # not Le/La/De, which are also name particles ("Marine Le Pen").
        "Selon",
        "Según",
        "Laut",
        "Contacté",
        "Contactée",
        "Mais",
        "Pour",
        "Pourtant",
        "Dans",
        "Avec",
        "Aucune",
        "Aucun",
        "Plusieurs",
        "Ein",
        "Eine",
        "Beobachter",
        "Funcionarios",
        "Herald",
        "Global",
        "Tribune",
        "Gazette",
        "Observer",
        "Chronicle",
        "Courier",
        "Globe",
        "Telegraph",
        "Guardian",
        "Wire",
    ]
)
ROLE_WORDS = re.compile(
    r"\b(?:spokes(?:person|man|woman)|official|officials|minister|ministry|ministers|president|"
    r"secretary|statement|source|sources|aide|aides|adviser|advisor|analyst|expert|narrator|"
    r"announcer|chairman|chairwoman|chair|director|leader|leaders|lawmaker|senator|governor|"
    r"ambassador|envoy|diplomat|general|commander|prosecutor|lawyer|attorney|campaign|"
    r"government|office|embassy|agency|report|ad|candidate|nominee|businessman|woman|man|"
    r"mayor|chancellor|premier|king|queen|press secretary|representative|member|voter|"
    r"supporter|critic|manager|chief|head|executive|CEO|police|military|army|piece|spot|letter)\b",
    re.IGNORECASE,
)


# A French article opening a capitalised run ("La Turquie"); inside a run "Le" is a name part
# ("Marine Le Pen"), so it is only dropped at the start.
_RUN_ARTICLES = frozenset({"Le", "La", "Les", "L’", "L'"})


@dataclass
class Speaker:
    name: str | None
    speaker_id: str | None
    kind: str  # registry | discovered | name | role | unknown
    role: str | None = None
    country: str | None = None
    via_pronoun: bool = False


UNKNOWN = Speaker(None, None, "unknown")


@dataclass
class Span:
    start: int
    end: int
    text: str
    open_at: int  # offset of the opening mark
    close_at: int  # offset of the closing mark (or paragraph end)
    para: int


@dataclass
class Context:
    text: str
    officials: list[Mention]
    by_id: dict[str, Official]
    discovered: dict[str, Discovered]
    gaz: Gazetteer
    paras: list[tuple[int, int]]
    spans: list[Span] = field(default_factory=list)
    people: list[tuple[int, int, Speaker]] = field(default_factory=list)
    full_names: dict[str, str] = field(default_factory=dict)  # last token -> full name
    people_starts: list[int] = field(default_factory=list)
    para_starts: list[int] = field(default_factory=list)
    official_starts: list[int] | None = None  # None: officials not sorted by start
    stops: _Stops | None = None  # the text's sentence stops (find_quotes sets them)


def _para_of(ctx: Context, pos: int) -> int | None:
    """Index of the paragraph holding `pos` (ends included), None if none does. Paragraphs
    are sorted and separated, so bisection finds the one a linear scan would."""
    i = bisect_right(ctx.para_starts, pos) - 1
    if i >= 0 and pos <= ctx.paras[i][1]:
        return i
    return None


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The (start, end) of the text between `_PARA_SPLIT`'s matches (empty pieces dropped).
    A match starts at a newline, the next one from the last match's end (``str.find``):
    ``\\n\\s*\\n``, tried first, ends after the last newline in the whitespace that follows
    (\\s and ``isspace()`` both test Py_UNICODE_ISSPACE), if that whitespace holds one; else
    the match is the newline alone. tests/test_quotes_scans.py pins it to the regex.
    No match object and two method calls a paragraph (callgrind, worker path, 300 synth
    articles: 22.4M -> 4.7M instructions)."""
    out = []
    n: cython.Py_ssize_t = len(text)
    pos: cython.Py_ssize_t = 0  # where the current paragraph starts
    i: cython.Py_ssize_t = text.find("\n")
    j: cython.Py_ssize_t
    last: cython.Py_ssize_t
    while i >= 0:
        last = i  # the last newline of the match
        j = i + 1
        while j < n and text[j].isspace():
            if text[j] == "\n":
                last = j
            j += 1
        if i > pos:
            out.append((pos, i))
        pos = last + 1
        i = text.find("\n", pos)
    if pos < n:
        out.append((pos, n))
    return out


def find_spans(text: str, paras: list[tuple[int, int]]) -> list[Span]:
    """Pair quote marks within paragraphs; continue an unclosed quote into a paragraph that
    opens with a quote mark."""
    spans: list[Span] = []
    pending: list[tuple[int, int]] | None = None  # segments of a quote continued across paras
    pending_open = -1
    marks = _positions(text, _MARK_CHARS)  # where _MARKS matches, in order
    for pi, (ps, pe) in enumerate(paras):
        open_at, mark = -1, ""
        i = ps
        if pending is not None:
            if text[ps] in OPENERS or text[ps] == "”":
                open_at, mark = ps, text[ps]
                i = ps + 1
            else:
                spans.append(_make_span(text, pending, pending_open, pending[-1][1], pi - 1))
                pending = None
        for k in range(bisect_left(marks, i), bisect_left(marks, pe)):
            i = marks[k]
            ch = text[i]
            if open_at < 0:
                if ch in OPENERS or (ch == "”" and i == ps):
                    open_at, mark = i, ch
            elif _closes(mark, ch):
                segs = (pending or []) + [(open_at + 1, i)]
                spans.append(_make_span(text, segs, pending_open if pending else open_at, i, pi))
                pending, open_at = None, -1
        if open_at >= 0:
            segs = (pending or []) + [(open_at + 1, pe)]
            if pending is None:
                pending_open = open_at
            pending = segs
    if pending is not None:
        spans.append(_make_span(text, pending, pending_open, pending[-1][1], len(paras) - 1))
    return [s for s in spans if s.text]


def _closes(mark: str, ch: str) -> bool:
    if mark == "„":
        return ch in "“”"
    return ch in CLOSERS and (ch == '"') == (mark == '"')


def _make_span(text: str, segs: list[tuple[int, int]], open_at: int, close_at: int, para: int):
    if len(segs) == 1:  # most quotes: the general form below with one segment
        s, e = segs[0]
        seg = text[s:e]
        lead = seg.lstrip()
        body = lead.rstrip()
        if not body:  # (e, s) stripped: starts and ends at e (the span is dropped)
            return Span(e, e, "", open_at, close_at, para)
        start = e - len(lead)
        return Span(start, start + len(body), body, open_at, close_at, para)
    segs = [_stripped(text, s, e) for s, e in segs]
    body = " ".join(text[s:e] for s, e in segs if e > s)
    return Span(segs[0][0], max(segs[-1][1], segs[0][0]), body, open_at, close_at, para)


def _stripped(text: str, s: int, e: int) -> tuple[int, int]:
    """(start, end) of ``text[s:e]`` without its leading and trailing whitespace; an all-space
    segment gives (e, s) as the slice arithmetic always did."""
    seg = text[s:e]
    n = len(seg)
    left = n - len(seg.lstrip())
    if left == n:
        return s + n, e - n
    return s + left, e - n + len(seg.rstrip())


def _positions(text: str, chars: str) -> list[int]:
    """Sorted offsets of every occurrence of any of `chars` (a few rare characters): one
    ``str.find`` per occurrence runs far faster than sre's scan for a character class
    (~6 ns per character of a 4 KB article, whatever the class)."""
    out = []
    find = text.find
    for ch in chars:
        i = find(ch)
        while i >= 0:
            out.append(i)
            i = find(ch, i + 1)
    out.sort()
    return out


@lru_cache(maxsize=8)
def _sentence_stops(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(starts, ends) of ``_SENT_END.finditer(text)``, computed once per text. A match starts
    only at a stop, and none can start inside another (after its stop it holds only closing
    marks and spaces), so trying the stops in order finds the same matches (look-behinds see
    the text before the start, as in a scan)."""
    match = _SENT_END.match
    found = [m for p in _positions(text, ".!?") if (m := match(text, p))]
    return tuple(m.start() for m in found), tuple(m.end() for m in found)


def _sentence_ends(text: str) -> tuple[int, ...]:
    """Offsets where a sentence begins (after its predecessor's end)."""
    return _sentence_stops(text)[1]


class _Stops:
    """``_sentence_stops(text)`` of one text, as lists: the starts and ends of ``_SENT_END``'s
    matches, each stop tried once. Compiled, `_stop_end` tries a stop in C (no regex call,
    no match object), so all of an article's ~49 stops cost less than the ones a quote's
    lookups used to try lazily (callgrind, worker path, 300 synth articles: _Stops,
    _sentence_start and _sentence_end 71.6M -> 41.1M instructions); uncompiled, the regex
    does (tests/test_quotes_stops.py pins `_stop_end` to it)."""

    __slots__ = ("starts", "ends")

    def __init__(self, text: str) -> None:
        starts: list = []
        ends: list = []
        p: cython.Py_ssize_t
        e: cython.Py_ssize_t
        if cython.compiled:
            for p in _positions(text, ".!?"):
                e = _stop_end(text, p)
                if e:
                    starts.append(p)
                    ends.append(e)
        else:
            match = _SENT_END.match
            for p in _positions(text, ".!?"):
                m = match(text, p)
                if m:
                    starts.append(p)
                    ends.append(m.end())
        self.starts = starts
        self.ends = ends


# The abbreviations of _SENT_END's look-behinds (each a word of its own: \b before it).
_STOP_ABBR2 = frozenset({"Mr", "Ms", "Dr", "St", "Lt", "vs"})
_STOP_ABBR3 = frozenset(
    {"Mrs", "Rep", "Sen", "Gov", "Gen", "Del", "Col", "Feb", "Jan", "Aug", "Oct", "Nov", "Dec"}
)


@cython.cfunc
@cython.inline
def _word_start(text: str, i: cython.Py_ssize_t) -> cython.bint:
    """\\b before ``text[i]``, a word character: the text starts there or the character
    before is no word character."""
    if i == 0:
        return True
    c: cython.Py_UCS4 = text[i - 1]
    return not (c.isalnum() or c == "_")


@cython.ccall
@cython.boundscheck(False)  # every index below is tested against 0 and `n` first
@cython.wraparound(False)
def _stop_end(text: str, p: cython.Py_ssize_t) -> cython.Py_ssize_t:
    """The end of ``_SENT_END.match(text, p)``, 0 if it does not match, for a stop `p`
    (``text[p]`` is ".", "!" or "?"). The pattern, step by step: a period must not follow an
    ASCII capital ("U.S.") nor end an abbreviation that starts a word (its first letter is
    a word character, so \\b there: the text starts there or the character before is no
    word character, ``isalnum()`` or "_"); each look-behind needs its whole width inside the
    text. Then closing marks (all of them), whitespace (all of it, at least one: a closing
    mark or a space is no look-ahead character) and a look-ahead character."""
    n: cython.Py_ssize_t = len(text)
    q: cython.Py_ssize_t
    c: cython.Py_UCS4
    if text[p] == ".":
        if p >= 1:
            c = text[p - 1]
            if c >= "A" and c <= "Z":
                return 0
        # each abbreviation's first letter first (most stops end a lower-case word): a
        # slice and a set lookup only for the few that pass
        if (
            p >= 2
            and text[p - 2] in "MDSLv"
            and text[p - 2 : p] in _STOP_ABBR2
            and _word_start(text, p - 2)
        ):
            return 0
        if (
            p >= 3
            and text[p - 3] in "MRSGDCFJAON"
            and text[p - 3 : p] in _STOP_ABBR3
            and _word_start(text, p - 3)
        ):
            return 0
        if p >= 4 and text[p - 4] == "S" and text[p - 4 : p] == "Sept" and _word_start(text, p - 4):
            return 0
    q = p + 1
    while q < n and text[q] in '"”’)':
        q += 1
    if q >= n or not text[q].isspace():
        return 0
    q += 1
    while q < n and text[q].isspace():
        q += 1
    if q >= n:
        return 0
    c = text[q]
    if ("A" <= c <= "Z") or ("0" <= c <= "9") or c in '“"«‘([':
        return q
    return 0


def _sentence_start(text: str, ps: int, pos: int, stops: _Stops | None = None) -> int:
    """The last sentence end at or before `pos` if it lies after `ps`, else `ps`. Matches
    never overlap (after its stop a match holds only closing marks and spaces), so their ends
    rise with their starts, and a match from a stop at or after `pos` ends after it: the
    last end at or before `pos` is found by bisection."""
    stops = stops or _Stops(text)
    ends = stops.ends
    i = bisect_right(ends, pos) - 1
    if i >= 0:
        e = ends[i]
        return e if e > ps else ps
    return ps


def _sentence_end(text: str, pos: int, pe: int, stops: _Stops | None = None) -> int:
    # ``_SENT_END.search(text, pos, pe)``: the first match of the whole text starting at or
    # after `pos`, if it ends before `pe` (its look-ahead character must lie before `pe`).
    # No later match can do instead: the next starts after this one's end, beyond `pe`.
    # A match starting at or after `pe` cannot end before it.
    stops = stops or _Stops(text)
    starts = stops.starts
    end = pe
    k = bisect_left(starts, pos)
    if k < len(starts) and starts[k] < pe and stops.ends[k] < pe:
        end = starts[k] + 1
    # then the first opening mark before it, if any
    if cython.compiled:  # one C pass over the tail (~70 characters): no call per mark
        j: cython.Py_ssize_t
        for j in range(pos, end):
            if text[j] in '“«"„':  # OPENERS
                return j
        return end
    for ch in OPENERS:
        i = text.find(ch, pos, end)
        if i >= 0:
            end = i
    return end


def _cue_phrase(verb: str, rest: str) -> str:
    cut = _CUE_CUT.search(rest)
    obj = (rest[: cut.start()] if cut else rest).strip()
    return f"{verb} {obj}".strip() if len(obj.split()) <= 4 else verb


def _official_speaker(ctx: Context, m: Mention) -> Speaker:
    if m.entity_id.startswith("discovered:"):
        d = ctx.discovered.get(m.name)
        return Speaker(
            m.name, m.entity_id, "discovered", d.title if d else None, d.country if d else None
        )
    o = ctx.by_id[m.entity_id]
    # A registry official's Speaker depends only on the Official: one per Official (the
    # `is` test keeps it right if a registry with another Official of that id is loaded);
    # Speakers are never modified, so sharing one across articles is safe.
    cached = _REGISTRY_SPEAKERS.get(m.entity_id)
    if cached is not None and cached[0] is o:
        return cached[1]
    sp = Speaker(o.name, o.id, "registry", o.role, o.country)
    if len(_REGISTRY_SPEAKERS) >= _MEMO_MAX:
        _REGISTRY_SPEAKERS.clear()
    _REGISTRY_SPEAKERS[m.entity_id] = (o, sp)
    return sp


_REGISTRY_SPEAKERS: dict[str, tuple[Official, Speaker]] = {}


@lru_cache(maxsize=65536)
def _name_token_ok(tok: str, automaton) -> bool:
    """Cached per token: the same capitalised words recur across articles."""
    word = tok.rstrip(".,’'s") if tok.endswith(("’s", "'s")) else tok.rstrip(".,")
    if len(word) > 1 and word.isupper():
        return False  # "MOSCOW (Reuters)", "UN", "EU": datelines and acronyms
    return bool(word) and word not in NON_NAME and not automaton.exists(word)


def _plain_name(name: str) -> str:
    name = name.strip(" ,.")
    if name.endswith(("’s", "'s")):
        name = name[:-2]
    return name


def _name_speaker(ctx: Context, name: str) -> Speaker:
    name = _plain_name(name)
    if " " not in name and name in ctx.full_names:
        name = ctx.full_names[name]
    return Speaker(name, None, "name")


def classify(ctx: Context, phrase: str, start: int, pos_for_pronoun: int) -> Speaker | None:
    """A speaker from a short phrase at `start` in the text ("Peskov", "he", "a Kremlin
    spokesperson", "Rep. John Mica (R-Fla.)")."""
    # What the phrase says by itself (its cut, and the name or role it holds) depends only on
    # the phrase and the gazetteer: remembered per phrase, since the same subject phrases
    # recur across articles ("he", "Peskov", "a Kremlin spokesperson"). The article decides
    # the rest: pronouns, official mentions at `start`, full names for a bare surname.
    memo = ctx.gaz.phrase_memo
    verdict = memo.get(phrase)
    if verdict is None:
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        verdict = memo[phrase] = _phrase_verdict(phrase, ctx.gaz)
    cut, kind, value = verdict
    if cut is None:
        return None
    if kind == "pronoun":
        return resolve_pronoun(ctx, pos_for_pronoun)
    if kind == "other_pronoun":
        return UNKNOWN
    m = _official_within(ctx, start, start + len(cut) + 1)
    if m is not None:
        return _official_speaker(ctx, m)
    if kind == "name":
        return _name_speaker(ctx, value)
    if kind == "role":
        return Speaker(value[0], None, "role", value[0], value[1])
    return None


def _phrase_verdict(phrase: str, gaz: Gazetteer) -> tuple[str | None, str | None, object]:
    """(cut phrase or None when `classify` returns None for it at once, kind, value): kind is
    "pronoun", "other_pronoun", "name" (value: the name for `_name_speaker`), "role" (value:
    (role, country code or None)) or None (nobody), as `classify` decides them after the
    article's official mentions are ruled out. The order of the tests is classify's own."""
    phrase = _PHRASE_CUT.split(phrase, 1)[0].strip()
    if not phrase or len(phrase.split()) > 9 or _CUE_WORD.search(phrase):
        return None, None, None
    if phrase in PRONOUNS:
        return phrase, "pronoun", None
    if phrase in OTHER_PRONOUNS:
        return phrase, "other_pronoun", None
    automaton = gaz.automaton
    runs = [r for r in _NAME_RUN.finditer(phrase)]
    for r in reversed(runs):
        tokens = [t for t in r.group("run").split() if _name_token_ok(t, automaton)]
        if r.group("hon") and tokens:
            return phrase, "name", r.group("hon") + " ".join(tokens)
        if tokens and r.group("run").split()[-1] == tokens[-1]:
            lead = r.group("run").split()
            # keep the contiguous name tail ("Trump lawyer Marc Kasowitz" -> "Marc Kasowitz")
            k = len(lead)
            while k > 0 and _name_token_ok(lead[k - 1], automaton):
                k -= 1
            name = " ".join(lead[k:])
            if len(lead) - k >= 2 and automaton.exists(name):
                break  # "the South Korean foreign ministry": a place, not a person
            lower_first = phrase.split()[0].lower() in {"a", "an", "the"}
            if lower_first and ROLE_WORDS.search(phrase) and len(lead[k:]) == 1 and k > 0:
                break
            return phrase, "name", name
    if ROLE_WORDS.search(phrase):
        role = re.sub(r"^(?:a|an|the|one)\s+", "", phrase, flags=re.IGNORECASE)
        codes = [c.entity_id for c in find_countries(phrase, gaz)]
        return phrase, "role", (role, codes[0] if codes else None)
    return phrase, None, None


_PHRASE_CUT = re.compile(r",|\(| who | which | of the | from | at | for | in an? | on ")


def _official_within(ctx: Context, lo: int, hi: int) -> Mention | None:
    """The first official mention (in list order) with ``lo <= start`` and ``end <= hi``."""
    starts = ctx.official_starts
    if starts is None:  # not sorted by start: the plain scan
        return next((m for m in ctx.officials if lo <= m.start and m.end <= hi), None)
    officials = ctx.officials
    for i in range(bisect_left(starts, lo), len(starts)):
        m = officials[i]
        if m.start > hi:
            break
        if m.end <= hi:
            return m
    return None


def resolve_pronoun(ctx: Context, pos: int) -> Speaker:
    """The most recent named person before `pos`, outside quotes, in this paragraph or the
    previous one."""
    para = _para_of(ctx, pos) or 0
    floor = ctx.paras[max(0, para - 1)][0]
    i = bisect_left(ctx.people_starts, pos) - 1  # people are outside quotes and sorted
    best = ctx.people[i][2] if i >= 0 and ctx.people_starts[i] >= floor else None
    if best is None:
        return Speaker(None, None, "unknown", via_pronoun=True)
    return Speaker(best.name, best.speaker_id, best.kind, best.role, best.country, True)


# Capitalised runs for the people scan. It opens with a character class (the engine skips
# lowercase text in C) and checks the word boundary behind the first letter; an honorific is
# recognised in Python as the run's first token ("Mr. Macron", "Dr Smith"). Two tests come
# first where they fail fast and change no match: the period before the honorific
# look-behinds (most words end without one), and an upper-case letter after the spaces
# between words (every way a next word can start begins with one; most next words are
# lower-case). ~20% less time than testing the look-behinds and prefixes first.
_PEOPLE_RUN = re.compile(
    r"[A-Z](?<![\w’'].)(?:\.|[\w’'-]*(?:\.(?:(?<=Mr\.|Ms\.|Dr\.|Lt\.)|"
    r"(?<=Mrs\.|Rep\.|Sen\.|Gov\.|Del\.|Gen\.|Col\.|Rev\.|Sgt\.|Adm\.)|(?<=Prof\.|Capt\.)))?)"
    r"(?:\s+(?=[A-Z])(?:[A-Z]\.\s+)?(?:O’|O'|Mc|Mac)?[A-Z][\w’'-]*){0,4}"
)
_HONORIFICS = frozenset(HONORIFIC[3:-4].split("|"))
# The honorifics whose period `_PEOPLE_RUN`'s look-behinds let a first token keep.
_RUN_HONORIFIC_DOTS = tuple(
    f"{h}."
    for h in ["Mr", "Ms", "Dr", "Lt", "Mrs", "Rep", "Sen", "Gov", "Del", "Gen", "Col", "Rev"]
    + ["Sgt", "Adm", "Prof", "Capt"]
)


def _people_runs(text: str) -> list:
    """(start, end) of each match of ``_PEOPLE_RUN.finditer(text)``, in order. Compiled, one
    C pass over the characters (`_people_runs_loop`) finds them; uncompiled, the regex
    does (tests/test_quotes_people_runs.py pins the loop to the regex)."""
    if not cython.compiled:
        return [r.span() for r in _PEOPLE_RUN.finditer(text)]
    return _people_runs_loop(text)


@cython.cfunc
@cython.inline
def _name_char(c: cython.Py_UCS4) -> cython.bint:
    """Whether `c` is in ``[\\w’'-]``: a word character (``isalnum()`` or "_"), "’", "'" or
    "-". ASCII first: its word characters are exactly [A-Za-z0-9_] (no call)."""
    if c < "\x80":
        return ("a" <= c <= "z") or ("A" <= c <= "Z") or ("0" <= c <= "9") or c in "_'-"
    return c == "’" or c.isalnum()


@cython.boundscheck(False)  # every index below is tested against 0 and `n` first
@cython.wraparound(False)
def _people_runs_loop(text: str) -> list:
    """`_PEOPLE_RUN`'s matches found character by character (the same spans; runs as plain
    Python too, for the test). What the regex matches, step by step:

    - a start: an ASCII capital whose previous character (if any) is not a word character
      (\\w: ``isalnum()`` or "_"), "’" or "'"; the scan resumes after each match, as finditer;
    - the first token: the capital and a period ("J."), else the capital, every following
      [\\w’'-] character, and a period if the token then ends in an honorific from the
      look-behinds (``endswith`` on the text up to the period, as a look-behind sees it);
    - up to four more tokens, each: whitespace (all of it: the capital after it is required),
      then either an initial ("F." and whitespace) followed by a capital, or no initial; then
      a capital and every following [\\w’'-] character. The optional "O’", "O'", "Mc" and
      "Mac" before the capital change no end: they are themselves a capital and [\\w’'-]
      characters, which the greedy class consumes anyway. A token with an initial that no
      capital follows is the initial's capital alone (the regex backtracks to it).
    The match never fails once a start is found (everything after the capital is optional)."""
    out: list = []
    n: cython.Py_ssize_t = len(text)
    i: cython.Py_ssize_t
    resume: cython.Py_ssize_t = 0  # where the last match ended
    q: cython.Py_ssize_t
    r: cython.Py_ssize_t
    t: cython.Py_ssize_t
    _k: cython.Py_ssize_t
    c: cython.Py_UCS4
    b: cython.Py_UCS4
    prev: cython.Py_UCS4 = " "  # before the text: no word character
    for i, c in enumerate(text):  # (compiled: a C loop over the characters)
        b = prev
        prev = c
        if c < "A" or c > "Z" or i < resume:
            continue
        if b != "-" and _name_char(b):  # [\w’'] before the capital: inside a word
            continue
        q = i + 1  # the first token's end so far
        if q < n and text[q] == ".":
            q += 1
        else:
            while q < n and _name_char(text[q]):
                q += 1
            if q < n and text[q] == "." and text.endswith(_RUN_HONORIFIC_DOTS, 0, q + 1):
                q += 1
        for _k in range(4):  # up to four more tokens
            r = q
            while r < n and text[r].isspace():
                r += 1
            if r == q or r >= n:
                break
            b = text[r]
            if b < "A" or b > "Z":
                break
            if r + 2 < n and text[r + 1] == "." and text[r + 2].isspace():
                t = r + 3
                while t < n and text[t].isspace():
                    t += 1
                if t < n:
                    b = text[t]
                    if b >= "A" and b <= "Z":
                        r = t
            q = r + 1
            while q < n and _name_char(text[q]):
                q += 1
        out.append((i, q))
        resume = q
    return out


def _run_tokens(run: str) -> tuple[str | None, list[str]]:
    """(honorific or None, name tokens) of a capitalised run."""
    tokens = run.split()
    if len(tokens) > 1 and tokens[0].rstrip(".") in _HONORIFICS:
        return tokens[0], tokens[1:]
    return None, tokens[:4]


@lru_cache(maxsize=65536)
def _analyse_run(run: str, automaton) -> tuple[str | None, tuple[str, ...]]:
    """(honorific, name tokens) that a capitalised run contributes as a person, cached per run
    text (the same names recur across a stream of articles); () when it names nobody."""
    hon, lead = _run_tokens(run)
    if len(lead) == 1 and not hon:
        word = lead[0].rstrip(".,")  # a single word: a person only if named in full
        # A full name's last token passes _name_token_ok, and so would this word if it were
        # that token with its periods and commas stripped (unless it ends in "'s", which
        # that test strips too): a word that fails can never be found among the full names.
        # Most single runs are such words ("The", "China", "Monday"): skip them here.
        if not word.endswith(("’s", "'s")) and not _name_token_ok(word, automaton):
            return None, ()
        return None, (word,)
    k = len(lead)
    while k > 0 and _name_token_ok(lead[k - 1], automaton):
        k -= 1
    name = lead[k:]
    if name and name[0] in _RUN_ARTICLES:
        name = name[1:]  # "La Turquie", "Les Vingt-Sept": an article, then a noun
    if len(name) >= 2 and automaton.exists(" ".join(name)):
        return hon, ()  # "New York", "South Korea", "Burkina Faso" are places
    if len(name) >= 2 or (name and hon):
        return hon or "", tuple(name)
    return hon, ()


# Capitalised runs remembered per gazetteer (cleared when full): the old lru_cache's size.
_MEMO_MAX = 65_536


_NOBODY = (None, None, None, None, None)


def _people_entry(run: str, automaton) -> tuple:
    """What `_collect_people` needs of a capitalised run, remembered per run text: _NOBODY
    when it names nobody; else (honorific or None for a bare word, the bare word, the full
    name, its last token as `full_names` keys it, and the run's Speaker when it does not
    depend on the article, i.e. when `_name_speaker` keeps a name with a space, else None)."""
    hon, name = _analyse_run(run, automaton)
    if not name:
        return _NOBODY
    full = " ".join(name)
    plain = _plain_name(full)
    speaker = Speaker(plain, None, "name") if " " in plain else None
    return hon, name[0], full, name[-1].rstrip(".,"), speaker


def _collect_people(ctx: Context) -> None:
    """Officials and multi-token (or titled) capitalised names outside quotes, for pronoun
    resolution and sentence subjects; sorted by offset, with `people_starts` for bisection."""
    people = []
    speakers: dict[tuple[str, str], Speaker] = {}  # an official is named ~3 times an article
    for m in ctx.officials:
        sp = speakers.get((m.entity_id, m.name))
        if sp is None:  # _official_speaker reads only these two fields of the mention
            sp = speakers[m.entity_id, m.name] = _official_speaker(ctx, m)
        people.append((m.start, m.end, sp))
    text: str = ctx.text
    mask: bytearray = bytearray(len(text) + 1)
    for m in ctx.officials:
        mask[m.start : m.end] = b"\x01" * (m.end - m.start)
    singles = []  # bare one-word runs: people only if the article names them in full
    automaton = ctx.gaz.automaton
    memo: dict = ctx.gaz.memo  # (typed: compiled, C slices, dict and bytearray lookups)
    full_names: dict = ctx.full_names
    start: cython.Py_ssize_t
    end: cython.Py_ssize_t
    for start, end in _people_runs(text):
        run = text[start:end]
        entry = memo.get(run)
        if entry is None:
            if len(memo) >= _MEMO_MAX:
                memo.clear()
            entry = memo[run] = _people_entry(run, automaton)
        if entry is _NOBODY:
            continue  # a run that names nobody (a place, a title)
        hon, word, full, last, speaker = entry
        if hon is None:
            # a bare word: a person only if the article names them in full, known at the end;
            # the official-mention mask is tested then, for those few
            singles.append((start, end, word))
            continue
        if mask[start] or mask[end - 1]:
            continue
        full_names.setdefault(last, full)
        people.append((start, end, speaker or _name_speaker(ctx, full)))
    for start, end, word in singles:
        if word in ctx.full_names and not (mask[start] or mask[end - 1]):
            people.append((start, end, _name_speaker(ctx, word)))
    opens, reach = _quote_reach(ctx.spans)
    people = [p for p in people if not _quoted(opens, reach, p[0])]
    people.sort(key=lambda p: p[0])
    ctx.people = people
    ctx.people_starts = [p[0] for p in people]


def _quote_reach(spans: list) -> tuple[list, list]:
    """(opening offsets of `spans` in ascending order, and for each the largest closing offset
    of the spans opened at or before it): what `_quoted` needs to answer for an offset what
    `_quoted_mask` holds there, without a byte per character of the text."""
    pairs = sorted([(s.open_at, s.close_at) for s in spans])
    opens = [o for o, _ in pairs]
    reach = []
    top = -1
    for _, close in pairs:
        if close > top:
            top = close
        reach.append(top)
    return opens, reach


@cython.ccall
def _quoted(opens: list, reach: list, pos: cython.Py_ssize_t) -> cython.bint:
    """Whether some span has ``open_at <= pos <= close_at`` (`_quoted_mask(ctx)[pos]`, for
    0 <= pos < len(text)): among the spans opened at or before `pos`, the farthest close."""
    i = bisect_right(opens, pos) - 1
    return i >= 0 and reach[i] >= pos


def _quoted_mask(ctx: Context) -> bytearray:
    """One byte per character, set from an opening quote mark to its closing mark (the
    definition `_quote_reach` and `_quoted` answer for; kept for tests/test_quotes_scans.py)."""
    mask = bytearray(len(ctx.text) + 1)
    for s in ctx.spans:
        mask[s.open_at : s.close_at + 1] = b"\x01" * (s.close_at + 1 - s.open_at)
    return mask


def _tail_entry(tail: str) -> tuple:
    """What the patterns find in a tail: (`_tail_candidates(tail)`, whether a foreign tail
    pattern matches it, None until `_foreign_tail` first asks). It depends on the tail
    alone, and tails recur across articles ("Peskov told reporters", "he added"):
    remembered per tail (bounded). Tuples of strings and numbers: the cyclic collector
    stops tracking them, so a full memo adds nothing to walk (lists would: 16k of them)."""
    entry = _TAIL_MEMO.get(tail)
    if entry is None:
        if len(_TAIL_MEMO) >= _TAIL_MEMO_MAX:
            _TAIL_MEMO.clear()
        entry = _TAIL_MEMO[tail] = (_tail_candidates(tail), None)
    return entry


def _from_tail(ctx: Context, span: Span, after: int, entry: tuple) -> tuple[Speaker, str] | None:
    """The speaker of the tail at `after` (`entry`: its `_tail_entry`)."""
    for subj, offset, cue in entry[0]:
        sp = classify(ctx, subj, after + offset, span.open_at)
        if sp:
            return sp, cue
    return None


_TAIL_MEMO: dict[str, tuple] = {}
# A tail runs to its sentence's end (~100-300 characters): a smaller bound than the runs'
# keeps the memo under ~5 MB per process.
_TAIL_MEMO_MAX = 16_384


def _tail_candidates(tail: str) -> tuple[tuple[str, int, str], ...]:
    """(subject phrase, its offset in `tail`, cue) for each tail pattern that matches, in the
    order `_from_tail` tries them: the first whose subject `classify` accepts attributes."""
    out = []
    # The first three patterns are anchored: each needs a given first character after the
    # leading whitespace (str.lstrip strips what \s matches), which most tails ("Peskov
    # said.", "he added.") do not have; a set test instead of a regex call.
    first = tail.lstrip()[:1]
    m = _TAIL_DASH.match(tail) if first in _DASH_FIRST else None
    if m:
        out.append((m.group("subj"), m.start("subj"), "―"))
    m = _TAIL_VERB_SUBJ.match(tail) if first in _VERB_SUBJ_FIRST else None
    if m:
        subj = m.group("subj")
        words = subj.split()  # none when only whitespace follows the verb ("said  ")
        if words and (subj[:1].isupper() or words[0] in _LOWER_SUBJECT_START):
            out.append((subj, m.start("subj"), m.group("verb")))
    m = _TAIL_ACCORDING.match(tail) if first in _ACCORDING_FIRST else None
    if m:
        out.append((m.group("subj"), m.start("subj"), "according to"))
    found = _subject_verb(tail)
    if found is not None and len(found[0].split()) <= 12:
        out.append((found[0], found[1], _cue_phrase(found[2], found[3])))
    return tuple(out)


def _subject_verb(tail: str) -> tuple | None:
    """(subj, its start, verb, rest) of ``_TAIL_SUBJ_VERB.match(tail)``, None if it does not
    match. The regex tries its lazy subject at every length from the end of the leading
    whitespace `a` (~65 characters a tail, each a call into the rest of the pattern);
    instead, `_TAIL_AFTER_SUBJ` (that rest) is searched from offset 1 (a subject holds a
    character). No match there: none of the regex either. Else its start `e` is the first
    offset where the rest matches, so if the subject ``tail[a:e]`` is valid (1 to 140
    characters, none in `_SUBJECT_STOPS`) it is the regex's shortest subject, and the rest's
    groups are the regex's (the same sub-pattern matched at the same offset). Otherwise
    (the regex backtracks into the leading whitespace, or gives up at a stop or after 140
    characters) the regex decides (tests/test_quotes_tails.py pins it to the regex)."""
    m = _TAIL_AFTER_SUBJ.search(tail, 1)
    if m is None:
        return None
    a = len(tail) - len(tail.lstrip())  # ^\s* (\s and str.lstrip: Py_UNICODE_ISSPACE)
    e = m.start()
    if a < e <= a + 140 and _SUBJECT_STOPS.search(tail, a, e) is None:
        return tail[a:e], a, m.group("verb"), m.group("rest")
    m = _TAIL_SUBJ_VERB.match(tail)
    if m is None:
        return None
    return m.group("subj"), m.start("subj"), m.group("verb"), m.group("rest")


# The clause after the last comma, semicolon or colon: ``_LAST_CLAUSE.split(x)[-1]``. The
# pattern can match only at the last delimiter (its look-ahead admits no later one), and
# there its \s* takes all the whitespace after it (\s and str.lstrip both test
# Py_UNICODE_ISSPACE): `_last_clause` reads that directly. sre's split tried the pattern at
# every character: ~9 us for a 230-character head against ~0.8 (~3.6 heads an article).
_LAST_CLAUSE = re.compile(r"[,;:]\s*(?=[^,;:]*$)")


def _last_clause(x: str) -> str:
    i = max(x.rfind(","), x.rfind(";"), x.rfind(":"))
    return x if i < 0 else x[i + 1 :].lstrip()


def _head_cue(head: str) -> tuple | None:
    """What `_from_head` reads of ``_HEAD_CUE.search(head)``: (the verb's offset, the verb,
    the rest group, whether the verb is a participle), None without a match. It depends on
    the head alone, and heads recur across articles ("Peskov told reporters: ", "He
    said: "; 230 distinct in 1,048, 300 synth articles) while the search costs ~30,000
    instructions a head (its lazy rest tries the end of the pattern at every character):
    remembered per head, bounded as the tails are."""
    entry = _HEAD_MEMO.get(head, _NOT_SEEN)
    if entry is _NOT_SEEN:
        m = _HEAD_CUE.search(head)
        if m is None:
            entry = None
        else:
            verb = m.group("verb")
            entry = (m.start("verb"), verb, m.group("rest"), bool(_PARTICIPLE_RE.match(verb)))
        if len(_HEAD_MEMO) >= _TAIL_MEMO_MAX:
            _HEAD_MEMO.clear()
        _HEAD_MEMO[head] = entry
    return entry


_HEAD_MEMO: dict[str, tuple | None] = {}
_NOT_SEEN = object()


def _from_head(ctx: Context, span: Span, head_from: int) -> tuple[Speaker, str] | None:
    head = ctx.text[head_from : span.open_at]
    cue = _head_cue(head)
    if cue is None:
        return None
    at, verb, rest, participle = cue
    before = head[:at]
    if not participle:
        # the noun phrase right before a finite verb: "In a statement, Peabody said:"
        np = _last_clause(before.rstrip())
        sp = classify(ctx, np, head_from + len(before.rstrip()) - len(np), span.open_at)
        if sp and sp.kind != "unknown":
            return sp, _cue_phrase(verb, rest)
    # the sentence subject: "Peskov described Macron's remarks …, stating:"
    i = bisect_left(ctx.people_starts, head_from)
    if i < len(ctx.people) and ctx.people_starts[i] < head_from + len(before):
        return ctx.people[i][2], verb.split()[0]
    first = before.split(",")[0]
    subject = first.split(maxsplit=1)[0] if first.strip() else ""
    if subject in PRONOUNS:  # "He described the move as dangerous, saying: …"
        return resolve_pronoun(ctx, head_from), verb.split()[0]
    sp = classify(ctx, first, head_from, span.open_at)
    if sp:
        return sp, verb.split()[0]
    return None


def _foreign_subject(ctx: Context, subj: str, start: int, pos: int) -> Speaker | None:
    """A French/German/Spanish subject phrase: a pronoun, a name (also in apposition after a
    role: "le président ukrainien, Volodymyr Zelensky"), or a role ("un porte-parole")."""
    head = subj.split(",")[0]
    word = head.split(maxsplit=1)[0] if head.strip() else ""
    if word in foreign.PRONOUNS:
        return resolve_pronoun(ctx, pos)
    det = foreign.DETERMINER.match(head)
    if det and "," in subj:  # the apposition right after the role names the person
        second = subj.split(",")[1]
        offset = start + len(head) + 1
        sp = classify(ctx, _cut_subject(second), offset + len(second) - len(second.lstrip()), pos)
        if sp and sp.kind in ("registry", "discovered", "name"):
            return sp
    head = _cut_subject(head)
    if not det:
        sp = classify(ctx, head, start + len(subj) - len(subj.lstrip()), pos)
        if sp and sp.kind in ("registry", "discovered", "name"):
            return sp
    if foreign.ROLE_WORDS.search(head):
        role = head[det.end() :] if det else head
        codes = [c.entity_id for c in find_countries(head, ctx.gaz)]
        return Speaker(role, None, "role", role, codes[0] if codes else None)
    return None


def _cut_subject(phrase: str) -> str:
    cut = foreign.SUBJECT_CUT.search(phrase)
    return (phrase[: cut.start()] if cut else phrase).strip(" .")


def _foreign_tail(
    ctx: Context, span: Span, after: int, tail: str, entry: tuple
) -> tuple[Speaker, str] | None:
    """'», a déclaré X', '», a-t-il ajouté', '“, sagte X', '”, dijo X', '», selon X'.
    `tail`: the text from `after` to the sentence end; `entry`: its `_tail_entry`, which
    remembers whether any of the three patterns matches it (most English tails: none)."""
    matches = entry[1]
    if matches is None:
        matches = any(
            pattern.match(tail)
            for pattern in (foreign.TAIL_PRONOUN, foreign.TAIL_VERB_SUBJ, foreign.TAIL_ACCORDING)
        )
        if tail in _TAIL_MEMO:
            _TAIL_MEMO[tail] = (entry[0], matches)
    if not matches:
        return None
    m = foreign.TAIL_PRONOUN.match(tail)
    if m:
        verb = _fr_cue(m.group("pp") or m.group("verb") or m.group("dverb"), m)
        if (m.group("p1") or m.group("p2") or m.group("p3")) == "on":
            return UNKNOWN, verb  # "a-t-on appris": nobody in particular
        return resolve_pronoun(ctx, span.open_at), verb
    for pattern in (foreign.TAIL_VERB_SUBJ, foreign.TAIL_ACCORDING):
        m = pattern.match(tail)
        if m:
            verb = m.groupdict().get("pp") or m.group("verb")
            sp = _foreign_subject(ctx, m.group("subj"), after + m.start("subj"), span.open_at)
            if sp:
                return sp, _fr_cue(verb, m)
    return None


def _fr_cue(verb: str, m: re.Match) -> str:
    """ "a déclaré" for the French compound past; the verb as written otherwise."""
    return f"a {verb}" if m.groupdict().get("pp") else verb


def _foreign_head(ctx: Context, span: Span, head_from: int) -> tuple[Speaker, str] | None:
    """'X a déclaré : «', 'Selon X, «', 'X fügte hinzu: „', 'X dijo: “'."""
    head = ctx.text[head_from : span.open_at]
    m = foreign.HEAD_ACCORDING.search(head)
    if m:
        sp = _foreign_subject(ctx, m.group("subj"), head_from + m.start("subj"), span.open_at)
        return (sp, m.group("verb").lower()) if sp else None
    m = foreign.HEAD_CUE.search(head)
    if not m:
        return None
    before = head[: m.start()].rstrip()
    subj = re.split(r"[;:]\s*|\.\s+", before)[-1]
    sp = _foreign_subject(ctx, subj, head_from + len(before) - len(subj), span.open_at)
    return (sp, _fr_cue(m.group("pp") or m.group("verb"), m)) if sp else None


def _embedded(ctx: Context, span: Span, head_from: int) -> bool:
    head = ctx.text[head_from : span.open_at].rstrip()
    return bool(head) and not head.endswith((":", ",", "—", "―", "-")) and head[-1] not in '”"'


def _speaker_fields(sp: Speaker) -> tuple:
    return sp.name, sp.speaker_id, sp.kind, sp.role, sp.country


def _quote(span: Span, sp: Speaker, cue: str | None, partial: bool = False) -> Quote:
    # Quote(...) without the frozen dataclass __init__ (one object.__setattr__ per field):
    # the fields in declaration order, so equal, hashed and pickled as the constructor's.
    q = _new(Quote)
    d = q.__dict__  # item stores: no keyword dict built first (as countries.new_mention)
    d["text"] = span.text
    d["start"] = span.start
    d["end"] = span.end
    d["speaker"] = sp.name
    d["speaker_id"] = sp.speaker_id
    d["speaker_kind"] = sp.kind
    d["cue"] = cue
    d["speaker_via_pronoun"] = sp.via_pronoun
    d["partial"] = partial
    d["speaker_role"] = sp.role
    d["speaker_country"] = sp.country
    return q


_new = object.__new__


def find_quotes(
    text: str,
    officials: list[Mention],
    by_id: dict[str, Official],
    discovered: dict[str, Discovered],
    gazetteer: Gazetteer | None = None,
) -> list[Quote]:
    paras = paragraphs(text)
    ctx = Context(text, officials, by_id, discovered, gazetteer or load_gazetteer(), paras)
    ctx.para_starts = [s for s, _ in paras]
    starts = [m.start for m in officials]
    if all(a <= b for a, b in zip(starts, starts[1:], strict=False)):
        ctx.official_starts = starts
    ctx.spans = find_spans(text, paras)
    if not ctx.spans:
        return []  # the people scan serves only the attribution of quotes
    _collect_people(ctx)
    ctx.stops = stops = _Stops(text)
    quotes: list[Quote] = []
    last: tuple[Speaker, int] | None = None  # previous attributed speaker and its paragraph
    for span in ctx.spans:
        ps, pe = paras[span.para]
        open_para = _para_of(ctx, span.open_at)
        if open_para is None:  # cannot happen (marks sit in paragraphs); the scan's error
            open_para = next(i for i, (s, e) in enumerate(paras) if s <= span.open_at <= e)
        head_from = _sentence_start(text, paras[open_para][0], span.open_at, stops)
        # the tail: from the closing mark to its sentence's end (both tail readings use it)
        after = span.close_at + 1
        tail = text[after : _sentence_end(text, after, pe, stops)]
        entry = _tail_entry(tail)
        found = (
            _from_tail(ctx, span, after, entry)
            or _foreign_tail(ctx, span, after, tail, entry)
            or _from_head(ctx, span, head_from)
            or _foreign_head(ctx, span, head_from)
        )
        if found is None and head_from == paras[open_para][0] and open_para > 0:
            prev_s, prev_e = paras[open_para - 1]
            if text[prev_s:prev_e].rstrip().endswith(":"):  # 'He said:' then the quote
                fake = Span(span.start, span.end, span.text, prev_e, span.close_at, span.para)
                found = _from_head(ctx, fake, _sentence_start(text, prev_s, prev_e, stops))
        if found:
            sp, cue = found
            if sp.via_pronoun and sp.kind == "unknown" and last:
                # nobody named nearby: "he added" goes on from the last quoted speaker,
                # who may be a role ("a ministry spokesman … “…,” he added")
                sp = Speaker(*_speaker_fields(last[0]), via_pronoun=True)
            quotes.append(_quote(span, sp, cue))
            if sp.kind != "unknown":
                last = (sp, span.para)
            continue
        if len(span.text.split()) <= 4 or _embedded(ctx, span, head_from):
            quotes.append(_quote(span, UNKNOWN, None, partial=True))
            continue
        if last and span.para - last[1] <= 1:  # a continuation of the previous speaker
            quotes.append(_quote(span, last[0], None))
            continue
        quotes.append(_quote(span, UNKNOWN, None))
    return quotes
