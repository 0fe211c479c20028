"""Officials: a registry (TOML) matched with one Aho-Corasick automaton, surname resolution
within an article, and discovery of unregistered officials from title patterns."""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import ahocorasick
import ahocorasick_rs

from monitor.extract.countries import (
    find_countries,
    longest_hits,
    longest_hits_pair,
    new_mention,
)
from monitor.models import Discovered, Mention, Official

PACKAGED_REGISTRY = Path(__file__).resolve().parent.parent / "data" / "officials.toml"
ROLE_KINDS = (
    "head_of_state",
    "head_of_government",
    "foreign_minister",
    "spokesperson",
    "minister",
    "other",
)
# Countries whose names are often written family name first in English news ("Xi Jinping").
# Which order an alias uses is decided per alias ("Karen Kuo" vs "Kuo Ya-hui"), see surname_of.
# Hungarian names are printed given name first in English ("Viktor Orbán"), so HU is not here.
SURNAME_FIRST = frozenset({"CN", "KP", "KR", "TW", "HK", "MO", "SG"})
# Common Chinese (pinyin, Wade-Giles, Cantonese) and Korean family names: a first token from
# this set marks the family-name-first order; any other first token is a Western given name.
_EAST_ASIAN_SURNAMES = """
    bai cai cao chan chang chao chen cheng cheung chiang chien chiu cho choe choi chou chow chu
    chuang chung cui dai deng ding dong du duan fan fang feng fu gao gong gu guo ha han hao he ho
    hong hou hsiao hsieh hsu hu hua huang hung hwang ji jia jiang jin jo jung kang kao kim ko kong
    kuo kwok kwon lai lam lau law lee leung li liang liao lim lin liu lo long lu luo ma mak mao meng
    moon ng oh pak pan park peng qian qiao qin qiu ren ri ryu sam shao shen shi shih shin song su
    sun tan tang tao tian tsai tsang tseng tu tung wan wang wei wi wong wu xi xia xiang xiao xie
    xiong xu xue yan yang yao ye yeh yen yeung yin yip yoo yoon yu yuan yun zeng zhang zhao zheng
    zhong zhou zhu zou
"""
EAST_ASIAN_SURNAMES = frozenset(_EAST_ASIAN_SURNAMES.split())
# Regnal and generational suffixes are never surnames ("Felipe VI", "Pope Leo XIV").
_REGNAL = re.compile(r"^(?:[IVXL]+|Jr|Sr)\.?$")
_HONORIFIC_WORDS = frozenset(
    {
        "King",
        "Queen",
        "Pope",
        "Prince",
        "Princess",
        "Sheikh",
        "Emir",
        "Sultan",
        "Crown",
        "General",
        "President",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
    }
)
MONTHS_DAYS = frozenset(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
)
# Capitalised reporting verbs that are also name parts ("Al Said", "Kais Said").
CUE_WORDS = frozenset({"Said", "Says", "Added", "Asked", "Told"})
# A title right before a bare surname licenses a registry lookup ("Mr. Macron").
TITLE_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Pres|Prof)\.?|\b(?:President|Premier|Chancellor|"
    r"Minister|Secretary|Senator|Governor|Spokesman|Spokeswoman|Spokesperson|spokesman|"
    r"spokeswoman|spokesperson|King|Queen|Prince|Emir|Sheikh|Ayatollah|Pope|Mister|Madam))\s+$"
)
# Name letters: ASCII, Latin-1 and Latin Extended-A ("Erdoğan", "Łukasz", "Šefčovič").
UPPER = "A-ZÀ-ÖØ-ÞĀ-ž"
LOWER = "a-zß-öø-ÿĀ-ž"
_NAME_TOKEN = rf"[{UPPER}][{LOWER}]+(?:[-’'][{UPPER}]?[{LOWER}]+)*"
_DEPARTMENTS = (
    "Foreign|Defence|Defense|Finance|Interior|Economy|Trade|Energy|Health|Justice|Home|"
    "Agriculture|Education"
)
_CORE_TITLES = [
    "President",
    r"Prime\s+Minister",
    "Premier",
    "Chancellor",
    *(rf"{d}\s+(?:Minister|Secretary)" for d in _DEPARTMENTS.split("|")),
    r"Minister(?:\s+of\s+[A-Z][a-z]+(?:\s+(?:and\s+)?[A-Z][a-z]+)?)?",
    r"Secretary\s+of\s+State",
    "Secretary-General",
    r"Secretary\s+General",
    "Spokes(?:person|man|woman)",
    "spokes(?:person|man|woman)",
    r"Press\s+[Ss]ecretary",
    r"press\s+[Ss]ecretary",
    "Ambassador",
    "ambassador",
    r"foreign\s+[Mm]inister",
    r"prime\s+[Mm]inister",
    "president",
    "King",
    "Queen",
    "Emir",
    r"Crown\s+Prince",
]
_CORE = "|".join(_CORE_TITLES)
# Every alternative opens with a literal letter and there is no leading \b: the regex engine
# then skips, in C, every position whose letter cannot start a title (3x faster than a leading
# optional modifier group). The word boundary before the title is checked on each match.
_MODIFIERS = ("Vice", "Deputy", "Acting", "Interim", "Former", "former")
_TITLE_WORDS = "|".join([rf"{mod}\s+(?:{_CORE})" for mod in _MODIFIERS] + _CORE_TITLES)
# "French President Emmanuel Macron", "Kremlin spokesperson Dmitry Peskov", "Prime Minister X Y".
DISCOVERY = re.compile(
    rf"(?P<title>{_TITLE_WORDS})\s+"
    rf"(?P<name>{_NAME_TOKEN}(?:\s+(?:{_NAME_TOKEN}|[A-Z]\.)){{1,2}})"
)
# The literal word each DISCOVERY alternative opens with: a match can only start where one of
# them occurs, and one automaton pass finds those places faster than the regex's own scan
# (its first-letter set includes common lowercase letters: a, f, p, s).
_TITLE_OPENERS = frozenset(
    [*_MODIFIERS, *(re.match(r"[A-Za-z]+", t).group() for t in _CORE_TITLES)]  # type: ignore[union-attr]
)
_TITLE_OPENER_AUTOMATON = ahocorasick.Automaton()
for _word in _TITLE_OPENERS:
    _TITLE_OPENER_AUTOMATON.add_word(_word, len(_word))
_TITLE_OPENER_AUTOMATON.make_automaton()


def title_openers() -> list[tuple[str, int]]:
    """(word, length) of every title opener, for a caller's own scan (Extractor)."""
    return [(w, len(w)) for w in _TITLE_OPENERS]


def _discovery_matches(text: str, starts: list[int] | None = None) -> Iterator[re.Match[str]]:
    """``DISCOVERY.finditer(text)``: the regex is tried only where a title opener starts,
    in order, resuming after each match as finditer does (matches are never empty).
    `starts`: the openers' start offsets, sorted, when the caller scanned already."""
    if starts is None:
        starts = sorted({end - n + 1 for end, n in _TITLE_OPENER_AUTOMATON.iter(text)})
    pos = 0
    for start in starts:
        if start < pos:
            continue
        m = DISCOVERY.match(text, start)
        if m:
            yield m
            pos = m.end()


def _discovery_for_matches(text: str) -> Iterator[re.Match[str]]:
    """``DISCOVERY_FOR.finditer(text)``: a match opens with "[Ss]pokes", so the regex is tried
    one letter before each "pokes" (found with str.find), in order, resuming after each match
    as finditer does (sre's own scan tried every "s" and "S" of the article)."""
    pos = 0
    i = text.find("pokes", 1)
    while i >= 0:
        start = i - 1
        if start >= pos:
            m = DISCOVERY_FOR.match(text, start)
            if m:
                yield m
                pos = m.end()
        i = text.find("pokes", i + 1)


# "a spokesman for the foreign ministry, Mao Ning" / "the ministry's spokesperson, X Y".
DISCOVERY_FOR = re.compile(
    r"(?P<title>[Ss]pokes(?:person|man|woman) (?:for|of) (?:the )?(?P<org>[\w ’'-]{2,50}?)),\s+"
    rf"(?P<name>{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{1,2}})"
)
# Up to two capitalised words before a title ("French", "Kremlin"): looked up behind the match,
# because a leading optional group would make the regex try every capital in the text.
_PRE_TITLE = re.compile(r"(?:[A-Z][\w’'.-]*\s+){1,2}$")
_NOT_NAME = MONTHS_DAYS | frozenset(
    [
        "The",
        "A",
        "An",
        "And",
        "But",
        "On",
        "In",
        "At",
        "Of",
        "For",
        "With",
        "Said",
        "Says",
        "Has",
        "Had",
        "Was",
        "Is",
        "Will",
        "Who",
        "Which",
        "That",
        "This",
        "Today",
        "Yesterday",
        "Tomorrow",
    ]
)


def _is_spokesperson(role: str, role_kind: str) -> bool:
    low = role.lower()
    return role_kind == "spokesperson" or "spokes" in low or "press secretary" in low


def _parse_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        return date.fromisoformat(value.strip())
    return None


# Name particles are written both ways ("al-Jubeir", "Al-Jubeir", "Bart De Wever"). Names and
# article text are matched in a form with these particles lowercased; only a particle right before
# a capitalised name part is touched, so ordinary lowercase words never become name keys.
_PARTICLE_WORDS = "al|el|bin|ibn|bint|ben|de|del|der|den|van|von|la|da|di|du"
# Literal-first (no leading lookbehind), so the engine skips most positions in C; the word
# boundary before the particle is checked in the callback.
_CAP_PARTICLES = "Al|El|Bin|Ibn|Bint|Ben|De|Del|Der|Den|Van|Von|La|Da|Di|Du"
_CAP_PARTICLE = re.compile(
    rf"(?:{_CAP_PARTICLES})"
    rf"(?=[- ](?:(?:{_PARTICLE_WORDS})[- ])*[A-Z])"
)


def _lower(m: re.Match) -> str:
    start = m.start()
    if start and (m.string[start - 1].isalnum() or m.string[start - 1] in "_’'-"):
        return m.group()
    return m.group().lower()


# A capitalised particle is lowercased only right before "-" or " ": one DFA pass over
# the text for those 32 strings (~3 µs) says whether the regex (~25 µs: sre scans the
# first-letter class character by character) can change anything at all. Most articles
# have none of them.
PARTICLE_STARTS = tuple(f"{p}{sep}" for p in _CAP_PARTICLES.split("|") for sep in "- ")
_PARTICLE_STARTS = ahocorasick_rs.AhoCorasick(list(PARTICLE_STARTS))


def normalise_particles(text: str) -> str:
    """`text` with capitalised name particles lowercased; same length, so offsets still hold."""
    try:
        if not _PARTICLE_STARTS.find_matches_as_indexes(text):
            return text
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8 form, so no shortcut
        pass
    return lower_particles(text)


def lower_particles(text: str) -> str:
    """``normalise_particles(text)`` for a text known to hold one of PARTICLE_STARTS (the
    Extractor's merged scan finds them): the regex alone."""
    return _CAP_PARTICLE.sub(_lower, text)


def _fold(word: str) -> str:
    """Lowercase without accents: "Xí" -> "xi"."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _family_name_first(tokens: list[str]) -> int | None:
    """Index of the family name when the alias is in East Asian order, else None.
    "Lai Ching-te" and "William Lai Ching-te": the token before a hyphenated given name;
    "Xi Jinping", "Kim Jong Un": a known family name first; "Karen Kuo": Western order."""
    if len(tokens) >= 2 and "-" in tokens[-1]:
        return len(tokens) - 2
    if _fold(tokens[0]) in EAST_ASIAN_SURNAMES:
        return 0
    if len(tokens) >= 3 and _fold(tokens[1]) in EAST_ASIAN_SURNAMES:
        return 1  # "Lawrence Wong Shyun Tsai": a Western given name, then the Chinese order
    return None


@lru_cache(maxsize=8192)
def surname_of(name: str, country: str) -> str:
    """The token an article uses for a second mention ("Peskov", "Xi", "Felipe", "al-Jubeir")."""
    tokens = name.split()
    if "of" in tokens:  # "Felipe VI of Spain": the place is not a name
        tokens = tokens[: tokens.index("of")]
    tokens = [t for t in tokens if not _REGNAL.match(t) and t not in _HONORIFIC_WORDS]
    if not tokens:
        return name
    if country in SURNAME_FIRST:
        first = _family_name_first(tokens)
        if first is not None:
            return tokens[first]
    return normalise_particles(tokens[-1])


@dataclass(frozen=True)
class NameHit:
    start: int
    end: int
    text: str
    ids: tuple[str, ...]
    via: str  # "name" | "alias"


_CACHE_MAX = 65536  # entries per Registry cache; cleared when full (a registry lives long)


class Registry:
    """Officials by id, an automaton over names and aliases, and a surname index."""

    def __init__(self, officials: Iterable[Official], version: str = "none") -> None:
        self.by_id: dict[str, Official] = {o.id: o for o in officials}
        self.version = version
        keys: dict[str, tuple[str, list[str], str]] = {}
        self.surnames: dict[str, list[str]] = {}
        # every surname form of one official: after "Volodymyr Zelensky", "Zelenskyy" is him too
        self.surnames_by_id: dict[str, tuple[str, ...]] = {}
        for o in self.by_id.values():
            for text, via in [(o.name, "name")] + [(a, "alias") for a in o.aliases]:
                key = normalise_particles(text)
                entry = keys.setdefault(key, (key, [], via))
                if o.id not in entry[1]:
                    entry[1].append(o.id)
                sn = surname_of(text, o.country)
                ids = self.surnames.setdefault(sn, [])
                if o.id not in ids:
                    ids.append(o.id)
                if sn not in self.surnames_by_id.get(o.id, ()):
                    self.surnames_by_id[o.id] = (*self.surnames_by_id.get(o.id, ()), sn)
        self.automaton = ahocorasick.Automaton()
        for text, (_, ids, via) in keys.items():
            self.automaton.add_word(text, (text, tuple(ids), via))
        if keys:
            self.automaton.make_automaton()
        self._empty = not keys
        # One pass over an article finds every surname candidate (no per-token Python loop).
        self.surname_automaton = ahocorasick.Automaton()
        for sn in self.surnames:
            self.surname_automaton.add_word(sn, (sn,))
        if self.surnames:
            self.surname_automaton.make_automaton()
        # Both key sets in one automaton: find_officials scans an article once, not twice.
        self.scan_automaton = ahocorasick.Automaton()
        for text, (_, ids, via) in keys.items():
            sn_value = (text,) if text in self.surnames else None
            self.scan_automaton.add_word(text, (text, (text, tuple(ids), via), sn_value))
        for sn in self.surnames:
            if sn not in keys:
                self.scan_automaton.add_word(sn, (sn, None, (sn,)))
        if keys:
            self.scan_automaton.make_automaton()
        # pick() per (ids, date) and "is this a registry name" per discovered name: both are
        # asked again for every article that mentions the same people on the same day.
        self._picks: dict[tuple[tuple[str, ...], date | None], str | None] = {}
        self._known_names: dict[str, bool] = {}

    def __len__(self) -> int:
        return len(self.by_id)

    def get(self, official_id: str) -> Official | None:
        return self.by_id.get(official_id)

    def find_names(self, text: str, normalised: str | None = None) -> list[NameHit]:
        """Registry names in `text`; pass `normalised` when the caller already has it."""
        if self._empty:
            return []
        norm = normalised if normalised is not None else normalise_particles(text)
        return [
            NameHit(s, e, text[s:e], ids, via)
            for s, e, (_key, ids, via) in longest_hits(self.automaton, norm)
        ]

    def scan(self, text: str, normalised: str) -> tuple[list[NameHit], list[tuple[int, int, str]]]:
        """``(find_names(text, normalised), surname_hits(normalised))`` in one scan."""
        if self._empty:
            return [], []
        names, surnames = longest_hits_pair(self.scan_automaton, normalised)
        return (
            [NameHit(s, e, text[s:e], ids, via) for s, e, (_key, ids, via) in names],
            [(s, e, key) for s, e, (key,) in surnames],
        )

    def surname_hits(self, normalised: str) -> list[tuple[int, int, str]]:
        """Word-bounded occurrences of any registry surname in a normalised text."""
        if self._empty:
            return []
        return [(s, e, key) for s, e, (key,) in longest_hits(self.surname_automaton, normalised)]

    def valid(self, official_id: str, published: date | None) -> bool:
        o = self.by_id[official_id]
        if published is None:
            return True
        if o.valid_from and published < o.valid_from:
            return False
        return not (o.valid_to and published > o.valid_to)

    def pick(self, ids: Sequence[str], published: date | None) -> str | None:
        """The one official among `ids` in office on `published`; None if none or ambiguous."""
        key = (tuple(ids), published)
        try:
            return self._picks[key]
        except KeyError:
            pass
        if len(self._picks) >= _CACHE_MAX:
            self._picks.clear()
        picked = self._picks[key] = self._pick(key[0], published)
        return picked

    def knows_name(self, name: str) -> bool:
        """Does `name` contain a registry name or alias (``bool(find_names(name))``)?"""
        known = self._known_names.get(name)
        if known is None:
            if len(self._known_names) >= _CACHE_MAX:
                self._known_names.clear()
            known = self._known_names[name] = bool(self.find_names(name))
        return known

    def _pick(self, ids: Sequence[str], published: date | None) -> str | None:
        live = [i for i in ids if self.valid(i, published)]
        names = {self.by_id[i].name for i in live}
        return live[0] if live and len(names) == 1 else None


def _official_from_record(rec: dict) -> Official:
    role = str(rec.get("role", ""))
    return Official(
        id=str(rec["id"]),
        name=str(rec["name"]),
        aliases=tuple(str(a) for a in rec.get("aliases", ())),
        role=role,
        country=str(rec.get("country", "")),
        spokesperson=_is_spokesperson(role, str(rec.get("role_kind", ""))),
        valid_from=_parse_date(rec.get("valid_from")),
        valid_to=_parse_date(rec.get("valid_to")),
    )


def _file_hash(paths: Sequence[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def load_registry(extra_paths: Sequence[Path] = (), *, packaged: bool = True) -> Registry:
    """The packaged registry (if present) plus user files; later files override by id.
    `packaged=False` loads only `extra_paths` (tests pin a known registry this way)."""
    base = [PACKAGED_REGISTRY] if packaged else []
    paths = [p for p in [*base, *map(Path, extra_paths)] if p.is_file()]
    officials: dict[str, Official] = {}
    for p in paths:
        for rec in tomllib.loads(p.read_text(encoding="utf-8")).get("official", []):
            o = _official_from_record(rec)
            officials[o.id] = o
    return Registry(officials.values(), version=_file_hash(paths) if paths else "none")


REGISTRY_VERSION: str = _file_hash([PACKAGED_REGISTRY]) if PACKAGED_REGISTRY.is_file() else "none"


@dataclass
class OfficialsResult:
    mentions: list[Mention]
    discovered: list[Discovered]


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _covered(text: str, spans: list[tuple[int, int]]) -> bytearray:
    """One byte per character, set inside `spans`: O(1) overlap tests per token."""
    mask = bytearray(len(text) + 1)
    for s, e in spans:
        mask[s:e] = b"\x01" * (e - s)
    return mask


def _clean_name(name: str) -> str:
    tokens = name.split()
    while tokens and tokens[-1] in _NOT_NAME:
        tokens.pop()
    return " ".join(tokens)


@lru_cache(maxsize=4096)
def _country_of(title: str) -> str | None:
    codes = [m.entity_id for m in find_countries(title)]
    return codes[0] if codes else None


def _discover(
    text: str, registry: Registry, taken: list[tuple[int, int]], starts: list[int] | None = None
) -> list[tuple]:
    """(start, end, name, title, country) for titled names the registry does not know."""
    found = []
    for pattern in (DISCOVERY, DISCOVERY_FOR):
        if pattern is DISCOVERY_FOR and "pokes" not in text:
            continue  # it needs "[Ss]pokes…": a substring test is far cheaper than the scan
        matches = (
            _discovery_matches(text, starts)
            if pattern is DISCOVERY
            else _discovery_for_matches(text)
        )
        for m in matches:
            if m.start() and text[m.start() - 1].isalnum():
                continue  # "Vice" inside "Service": not a word start
            name = _clean_name(m.group("name"))
            if len(name.split()) < 2 or name.split()[0] in _NOT_NAME:
                continue
            start = m.start("name")
            end = start + len(name)
            if _overlaps(taken, start, end) or registry.knows_name(name):
                continue
            pre_m = (
                _PRE_TITLE.search(text, max(0, m.start() - 40), m.start())
                if pattern is DISCOVERY
                else None
            )
            pre = pre_m.group() if pre_m else ""
            title = " ".join((pre + m.group("title")).split())
            found.append((start, end, name, title, _country_of(title)))
            taken.append((start, end))
    return found


@dataclass(frozen=True)
class Scanned:
    """What one automaton pass already found in an article (see Extractor): the normalised
    text, ``longest_hits`` of the registry names and of the surnames over it, and the sorted
    start offsets of the title openers in the text."""

    norm: str
    names: list[tuple[int, int, tuple]]
    surnames: list[tuple[int, int, tuple]]
    opener_starts: list[int]


def find_officials(
    text: str, registry: Registry, published: date | None = None, scanned: Scanned | None = None
) -> OfficialsResult:
    """Registry names and aliases, discovered titled officials, then bare surnames."""
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    known_surnames: dict[str, tuple[str, str]] = {}  # surname -> (entity_id, canonical name)
    if scanned is None:
        norm = normalise_particles(text)
        hits, surname_hits = registry.scan(text, norm)
        opener_starts = None
        name_hits = [(h.start, h.end, (None, h.ids, h.via)) for h in hits]
    else:
        norm, opener_starts = scanned.norm, scanned.opener_starts
        name_hits = scanned.names  # no NameHit per hit: the tuples as scanned
        surname_hits = [(s, e, key) for s, e, (key,) in scanned.surnames]
    pick, by_id = registry.pick, registry.by_id
    for start, end, (_key, ids, via) in name_hits:
        oid = pick(ids, published)
        if oid is None:
            continue
        hit_text = text[start:end]
        if " " not in hit_text and hit_text in MONTHS_DAYS:
            continue
        mentions.append(new_mention("official", oid, by_id[oid].name, hit_text, start, end, via))
        taken.append((start, end))
    discovered: dict[str, Discovered] = {}
    for start, end, name, title, country in _discover(text, registry, taken, opener_starts):
        discovered.setdefault(name, Discovered(name, title, country))
        mentions.append(
            new_mention("official", f"discovered:{name}", name, name, start, end, "title")
        )
    mentions.sort(key=lambda m: m.start)
    for m in mentions:
        country = registry.by_id[m.entity_id].country if m.entity_id in registry.by_id else ""
        if m.entity_id.startswith("discovered:"):
            country = discovered[m.name].country or ""
        known_surnames.setdefault(surname_of(m.name, country), (m.entity_id, m.name))
        known_surnames.setdefault(surname_of(m.text, country), (m.entity_id, m.name))
        for sn in registry.surnames_by_id.get(m.entity_id, ()):
            known_surnames.setdefault(sn, (m.entity_id, m.name))
    mentions += _surname_mentions(
        text, norm, registry, published, mentions, known_surnames, taken, surname_hits
    )
    mentions.sort(key=lambda m: m.start)
    return OfficialsResult(mentions, list(discovered.values()))


def _is_whole_token(text: str, start: int, end: int) -> bool:
    """The hit is a whole name token: not inside "anti-Macron", "Macronist" or "Lin-Jian"."""
    if start and (text[start - 1].isalnum() or text[start - 1] in "_’'-"):
        return False
    if end < len(text):
        nxt = text[end]
        if nxt.isalnum() or nxt == "_":
            return False
        if nxt in "-’'" and text[end + 1 : end + 2].isupper():
            return False
    return True


def _extra_hits(norm: str, words: Iterable[str]) -> list[tuple[int, int, str]]:
    """Occurrences of the few article-specific surnames the registry index lacks."""
    out = []
    for word in words:
        i = norm.find(word)
        while i >= 0:
            out.append((i, i + len(word), word))
            i = norm.find(word, i + 1)
    return out


def _surname_mentions(
    text: str,
    norm: str,
    registry: Registry,
    published: date | None,
    full: list[Mention],
    known: dict[str, tuple[str, str]],
    taken: list[tuple[int, int]],
    surname_hits: list[tuple[int, int, str]] | None = None,
) -> list[Mention]:
    """'Peskov said' after 'Dmitry Peskov'; 'Mr. Macron' via a unique registry surname."""
    first_seen = {}
    for m in full:
        first_seen.setdefault(m.entity_id, m.start)
    hits = list(surname_hits) if surname_hits is not None else registry.surname_hits(norm)
    hits += _extra_hits(norm, [w for w in known if w not in registry.surnames])
    hits.sort()
    out = []
    mask = _covered(text, taken)
    for start, end, word in hits:
        if mask[start] or mask[end - 1] or not word[:1].isupper() and "-" not in word:
            continue
        if not _is_whole_token(text, start, end):
            continue
        titled = bool(TITLE_BEFORE.search(text, max(0, start - 16), start))
        if word not in known and not titled:
            continue  # a registry surname alone needs a title ("Mr. Macron")
        if word in MONTHS_DAYS and not titled:
            continue  # "in May" is a month, not Theresa May
        if word in CUE_WORDS and not titled:
            continue  # "Said Peskov: …" is a verb, not Sultan Haitham bin Tariq Al Said
        if word in known and first_seen.get(known[word][0], len(text)) < start:
            eid, name = known[word]
            out.append(new_mention("official", eid, name, text[start:end], start, end, "surname"))
        elif titled and word in registry.surnames:
            oid = registry.pick(registry.surnames[word], published)
            if oid:
                o = registry.by_id[oid]
                out.append(
                    new_mention("official", oid, o.name, text[start:end], start, end, "title")
                )
    return out
