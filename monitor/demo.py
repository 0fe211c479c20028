"""A deterministic generator of a realistic demo corpus, written as feed files.

On first start with an empty database the app imports these files through the real
import path (feed XML -> feedparser -> cleaner -> extractor -> store), so they look like
real world-news feeds: RSS 2.0 and Atom 1.0, HTML content with entities and `<br>`,
per-outlet boilerplate, wire-style quotes, syndicated copies, updated entries in a second
snapshot file, and three malformed files.

All wording lives in `monitor/data/demo_templates.toml`; this module only combines it.
Output depends on the arguments alone: the same arguments give byte-identical files.
"""

from __future__ import annotations

import hashlib
import html
import math
import random
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime
from functools import cache
from html.entities import codepoint2name
from pathlib import Path
from typing import Any

__all__ = [
    "DEMO_SOURCES",
    "DemoEvent",
    "DemoSource",
    "demo_events",
    "write_demo_corpus",
]

TEMPLATES_PATH = Path(__file__).parent / "data" / "demo_templates.toml"

SYNDICATED_SHARE = 0.12
UPDATE_SOURCES = ("global-wire", "capital-times")
BROKEN_FILES = ("broken-truncated.xml", "broken-html.xml", "broken-empty.xml")

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
              "Nov.", "Dec.")  # fmt: skip
_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                 "Dec")  # fmt: skip
# Relative item rate per weekday (Monday first) and per UTC hour.
_WEEKDAY_RATE = (1.0, 1.06, 1.05, 1.0, 0.94, 0.5, 0.42)
_HOUR_RATE = (0.25, 0.2, 0.2, 0.25, 0.4, 0.6, 0.9, 1.1, 1.3, 1.4, 1.45, 1.45, 1.4, 1.35, 1.35,
              1.3, 1.2, 1.1, 1.0, 0.9, 0.75, 0.6, 0.45, 0.35)  # fmt: skip
_BAD_DATES = {
    "rss": ("Tuesday afternoon", "32 Foo 2025 25:61:00 +0000", "n/a"),
    "atom": ("yesterday", "soon", "TBC"),
}
_ERROR_PAGE = ("Sorry!!", "Error! We're sorry, but the page you were looking for doesn't exist.")
_CREDIT = "This article was originally published by {origin}."
_UPDATE_NOTE = "This story has been updated with additional reporting."


@dataclass(frozen=True)
class DemoSource:
    name: str
    slug: str
    language: str
    kind: str  # "rss" | "atom"


@dataclass(frozen=True)
class DemoEvent:
    """A news spike in the corpus: more items, most of them about `countries`."""

    name: str
    start: datetime  # naive UTC, inclusive
    end: datetime  # naive UTC, exclusive
    countries: tuple[str, ...]


@cache
def _templates() -> dict[str, Any]:
    with TEMPLATES_PATH.open("rb") as fh:
        return tomllib.load(fh)


DEMO_SOURCES: tuple[DemoSource, ...] = tuple(
    DemoSource(s["name"], s["slug"], s["language"], s["kind"]) for s in _templates()["sources"]
)


def demo_events(end: datetime, days: int = 130) -> list[DemoEvent]:
    """The news spikes `write_demo_corpus(out_dir, end=end, days=days)` puts in the corpus."""
    end = _naive_utc(end)
    out = []
    for ev in _templates()["events"]:
        start = (end - timedelta(days=ev["start"] * days)).replace(hour=0, minute=0, second=0)
        start = max(start, end - timedelta(days=days))
        out.append(
            DemoEvent(
                ev["name"], start, start + timedelta(days=ev["length"]), tuple(ev["countries"])
            )
        )
    return out


# --------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _comma(q: str) -> str:
    """A quote as it stands before its attribution: the final full stop becomes a comma."""
    return q[:-1] + "," if q.endswith(".") else q


def _no_stop(q: str) -> str:
    return q[:-1] if q.endswith(".") else q


class _Slots(dict):
    """Format mapping: `{A_x}` is `{a_x}` capitalised; some slots are computed on first use."""

    def __init__(self, base: dict[str, str], lazy: dict[str, Any] | None = None):
        super().__init__(base)
        self.lazy = lazy or {}

    def __missing__(self, key: str) -> str:
        if key in self.lazy:
            value = self.lazy[key](self)
            self[key] = value
            return value
        if key[:1].isupper():
            return _cap(self[key[0].lower() + key[1:]])
        raise KeyError(key)


class _Bag:
    """Draws from a pool without repeats until the pool is used up, then reshuffles."""

    def __init__(self, rng: random.Random, pool: list[str]):
        self.rng = rng
        self.pool = pool
        self.left: list[str] = []

    def __call__(self) -> str:
        if not self.left:
            self.left = list(self.pool)
            self.rng.shuffle(self.left)
        return self.left.pop()


def _slugify(title: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:80].rstrip("-")


def _ap_date(d: datetime | date) -> str:
    return f"{_AP_MONTHS[d.month - 1]} {d.day}"


def _naive_utc(dt: datetime) -> datetime:
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt.replace(microsecond=0)


# --------------------------------------------------------------------------------------
# Stories
# --------------------------------------------------------------------------------------


@dataclass
class _Story:
    lang: str
    title: str
    alt_titles: list[str]
    paragraphs: list[str]
    categories: list[str]
    city: str
    people: list[str] = field(default_factory=list)


def _resolve(official_id: str, day: date) -> str:
    """`de_chancellor` -> whoever held the office on `day`."""
    T = _templates()
    for cand in T["resolve"].get(official_id, ()):
        off = T["officials"][cand]
        lo = date.fromisoformat(off["valid_from"]) if "valid_from" in off else date.min
        hi = date.fromisoformat(off["valid_to"]) if "valid_to" in off else date.max
        if lo <= day <= hi:
            return cand
    return official_id


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _person(prefix: str, oid: str, rng: random.Random, lang: str = "en") -> dict[str, str]:
    off = _templates()["officials"][oid]
    names = off["names"]
    full, sur = names[0] if len(names) == 1 or rng.random() < 0.75 else rng.choice(names[1:])
    city = rng.choice(off["city"])
    she = off["pron"] == "she"
    d = {
        "name": full,
        "sur": sur,
        "title": off["title"],
        "role": off["role"],
        "pron": off["pron"],
        "obj": "her" if she else "him",
        "city": city,
        "voice": sur if off["voice"] == "@sur" else off["voice"],
        "org": off["org"],
        "poss": sur + "’s",
        "il": "elle" if she else "il",
        "de_title": off.get("de_title", off["title"]),
        "es_title": off.get("es_title", off["title"]),
        "id": oid,
    }
    if lang == "fr":
        d["name"] = off.get("fr_name", full)
        d["title"] = off.get("fr_title", off["title"])
        d["sur"] = sur if d["name"] == names[0][0] else d["name"].split()[-1]
        d["city"] = _templates()["fr"]["cities"].get(city, city)
    elif lang == "de":
        d["city"] = _templates()["de"]["cities"].get(city, city)
    return {f"{prefix}_{k}": v for k, v in d.items()}


def _fr_forms(fr: str) -> tuple[str, str]:
    """'le Mali' -> ('Mali', 'au Mali'); 'la France' -> ('France', 'en France')."""
    for art, dans in (("le ", "au "), ("la ", "en "), ("les ", "aux "), ("l'", "en ")):
        if fr.startswith(art):
            return _cap(fr[len(art) :]), dans + fr[len(art) :]
    return fr, "en " + fr


def _country(prefix: str, code: str) -> dict[str, str]:
    c = _templates()["countries"][code]
    name = c["name"]
    fr = c.get("fr", name)
    fr_head, fr_dans = _fr_forms(fr)
    d = {
        "code": code,
        "country": name,
        "head": c["head"],
        "dem": c["dem"],
        "cap": c["cap"],
        "seat": c.get("seat", c["cap"]),
        "poss_country": name + ("’" if name.endswith("s") else "’s"),
        "fr": fr,
        "fr_de": c.get("fr_de", "de " + fr),
        "fr_cap": c.get("fr_cap", c["cap"]),
        "fr_head": fr_head,
        "fr_dans": fr_dans,
        "de": c.get("de", name),
        "es": c.get("es", name),
    }
    return {f"{prefix}_{k}": v for k, v in d.items()}


def _third_country(rng: random.Random, exclude: tuple[str, ...], need: str = "") -> str:
    codes = [
        k
        for k, v in _templates()["countries"].items()
        if not v.get("body") and k not in exclude and (not need or need in v)
    ]
    return rng.choice(codes)


def _pick(topic: dict[str, Any], key: str, country: str) -> list[str]:
    """A topic field; a table of lists is keyed by the speaker's country ("default" else)."""
    value = topic.get(key, [])
    return value.get(country, value["default"]) if isinstance(value, dict) else value


def _quote_pool(topic: dict[str, Any], country: str) -> list[str]:
    sections = _pick(topic, "quotes", country)
    pool = _templates()["quotes"]
    return _unique([q for s in sections for q in pool[s]])


def _lazy_slots(
    rng: random.Random,
    draw: _Bag,
    clauses: list[str],
    clauses_b: list[str],
    subjects: list[str],
    lang: str = "en",
) -> dict[str, Any]:
    T = _templates()
    cues = T["cues"]
    comma = _no_stop if lang in ("fr", "de", "es") else _comma
    scare = T["fr"]["scare"] if lang == "fr" else cues["scare"]
    lazy: dict[str, Any] = {
        "clause": lambda s: rng.choice(clauses).format_map(s),
        "clause_b": lambda s: rng.choice(clauses_b or clauses).format_map(s),
        "subject": lambda s: rng.choice(subjects),
        "verb": lambda s: rng.choice(cues["follow_verbs"]),
        "adj": lambda s: rng.choice(cues["adjectives"]),
        "scare": lambda s: rng.choice(scare),
    }
    for i in range(1, 5):
        lazy[f"q{i}"] = lambda s: draw().format_map(s)
        lazy[f"q{i}c"] = lambda s, i=i: comma(s[f"q{i}"])
    return lazy


def _fill(tpls: list[str], base: dict[str, str], lazy: dict[str, Any]) -> list[str]:
    """Format paragraphs that share one set of drawn quotes (a quote across paragraphs)."""
    slots = _Slots(base, lazy)
    return [t.format_map(slots) for t in tpls]


def _pronoun_led(tpl: str) -> bool:
    return tpl.startswith("{A_pron}") or tpl.startswith("“{q1c}” {a_pron}")


def _story_en(rng: random.Random, topic_id: str, when: datetime) -> _Story:
    T = _templates()
    topic = T["topics"][topic_id]
    forms = T["forms"]
    day = when.date()
    a_id = _resolve(rng.choice(topic["speakers"]), day)
    a_country = T["officials"][a_id]["country"]
    cands = _unique(
        [
            r
            for r in (_resolve(c, day) for c in topic["counterparts"])
            if r != a_id and T["officials"][r]["country"] != a_country
        ]
    )
    b_id = rng.choice(cands) if cands and rng.random() < 0.6 else None
    if b_id:
        b_code = T["officials"][b_id]["country"]
    else:
        b_code = rng.choice([c for c in topic["countries"] if c != a_country])
    third = [c for c in topic.get("third", []) if c not in (a_country, b_code)]
    c_code = rng.choice(third) if third else _third_country(rng, (a_country, b_code))

    base: dict[str, str] = {}
    base.update(_person("a", a_id, rng))
    if b_id:
        base.update(_person("b", b_id, rng))
    base.update(_country("a", a_country))
    base.update(_country("b", b_code))
    base.update(_country("c", c_code))
    base["weekday"] = _WEEKDAYS[when.weekday()]
    base["prev_weekday"] = _WEEKDAYS[(when - timedelta(days=rng.randint(1, 3))).weekday()]
    base["prev_date"] = _ap_date(when - timedelta(days=rng.randint(2, 9)))
    kind = "spokesperson" if T["officials"][a_id].get("spokesperson") else "leader"
    base["a_cue"] = rng.choice(T["cues"][kind]).format_map(base)

    a_draw = _Bag(rng, _quote_pool(topic, a_country))
    b_draw = _Bag(rng, _quote_pool(topic, b_code))
    clauses = _pick(topic, "clauses", a_country)
    clauses_b = _pick(topic, "clauses_b", b_code)
    subjects = topic["subjects"]

    def para(tpls: list[str], draw: _Bag = a_draw) -> list[str]:
        return _fill(tpls, base, _lazy_slots(rng, draw, clauses, clauses_b, subjects))

    paragraphs = para([rng.choice(_pick(topic, "leads", a_country))])
    paragraphs += para([rng.choice(forms["intro"])])

    # Units of one or two paragraphs, shuffled; at most one pronoun-led unit, placed first.
    follow = rng.sample(forms["follow"], k=rng.randint(2, 4))
    led = [f for f in follow if _pronoun_led(f)][:1]
    units: list[list[str]] = [para([f]) for f in follow if not _pronoun_led(f)]
    if b_id and rng.random() < 0.45:
        units.append(para([rng.choice(forms["described"])]))
    elif rng.random() < 0.2:
        units.append(para([rng.choice(forms["described_country"])]))
    if b_id and rng.random() < 0.5:
        units.append(para([rng.choice(forms["counterpart"])], b_draw))
    if rng.random() < 0.25:
        units.append(para([rng.choice(forms["role_only"])], b_draw))
    if rng.random() < 0.07:
        units.append(para(list(rng.choice(forms["two_paragraph"]))))
    for ctx in rng.sample(topic["context"], k=rng.randint(1, 2)):
        units.append(para([ctx]))
    dated = [d["text"] for d in T["dated_context"] if day >= date.fromisoformat(d["after"])]
    if dated and "DE" in (a_country, b_code) and rng.random() < 0.5:
        units.append([rng.choice(dated)])
    elif dated and topic_id in ("nato_defence", "eu_sanctions") and rng.random() < 0.12:
        units.append([dated[0]])
    rng.shuffle(units)
    if led:
        units.insert(0, para(led))

    target = rng.randint(4, 8)
    closing = rng.random() < 0.5
    for unit in units:
        if len(paragraphs) + len(unit) + closing > target:
            continue
        paragraphs.extend(unit)
    if closing or len(paragraphs) < 4:
        paragraphs += para([rng.choice(topic.get("closing", []) + forms["closing"])])
    while len(paragraphs) < 4:
        paragraphs += para([rng.choice(topic["context"])])

    titles = _pick(topic, "titles", a_country)
    titles = [t.format_map(_Slots(base)) for t in rng.sample(titles, k=min(3, len(titles)))]
    heads = [T["countries"][c]["head"] for c in (a_country, b_code)]
    people = [base["a_name"]] + ([base["b_name"]] if b_id else [])
    return _Story(
        "en",
        titles[0],
        titles[1:],
        paragraphs,
        _unique([topic["category"], *heads]),
        base["a_city"],
        people,
    )


def _story_fr(rng: random.Random, topic_id: str, when: datetime) -> _Story:
    T = _templates()
    fr = T["fr"]
    topic = fr["topics"][topic_id]
    a_id = _resolve(rng.choice(topic["speakers"]), when.date())
    a_country = T["officials"][a_id]["country"]
    b_code = rng.choice([c for c in topic["countries"] if c != a_country])
    c_code = _third_country(rng, (a_country, b_code), need="fr")
    base: dict[str, str] = {}
    base.update(_person("a", a_id, rng, "fr"))
    base.update(_country("a", a_country))
    base.update(_country("b", b_code))
    base.update(_country("c", c_code))
    base["weekday"] = fr["weekdays"][when.weekday()]
    draw = _Bag(rng, fr["quotes"])

    def para(tpls: list[str]) -> list[str]:
        return _fill(tpls, base, _lazy_slots(rng, draw, [""], [], [""], "fr"))

    paragraphs = para([rng.choice(topic["leads"])]) + para([rng.choice(fr["intro"])])
    units = [para([f]) for f in rng.sample(fr["follow"], k=rng.randint(1, 3))]
    units += [para([c]) for c in rng.sample(topic["context"], k=rng.randint(1, 2))]
    if rng.random() < 0.3:
        units.append(para([rng.choice(fr["role_only"])]))
    rng.shuffle(units)
    for unit in units:
        paragraphs.extend(unit)
    if rng.random() < 0.5 or len(paragraphs) < 4:
        paragraphs += para([rng.choice(fr["closing"])])
    paragraphs = paragraphs[:8]
    titles = [t.format_map(_Slots(base)) for t in rng.sample(topic["titles"], k=2)]
    heads = [T["countries"][c]["head"] for c in (a_country, b_code)]
    return _Story(
        "fr",
        titles[0],
        titles[1:],
        paragraphs,
        _unique([topic["category"], *heads]),
        base["a_city"],
        [base["a_name"]],
    )


def _story_small(rng: random.Random, lang: str, when: datetime) -> _Story:
    """A short German or Spanish item."""
    T = _templates()
    cfg = T[lang]
    a_id = _resolve(rng.choice(cfg["speakers"]), when.date())
    a_country = T["officials"][a_id]["country"]
    b_code = rng.choice([c for c in cfg["countries"] if c != a_country])
    c_code = rng.choice([c for c in cfg["countries"] if c not in (a_country, b_code)])
    base: dict[str, str] = {}
    base.update(_person("a", a_id, rng, lang))
    base.update(_country("a", a_country))
    base.update(_country("b", b_code))
    base.update(_country("c", c_code))
    base["weekday"] = cfg["weekdays"][when.weekday()]
    draw = _Bag(rng, cfg["quotes"])
    picks = sorted(rng.sample(range(len(cfg["paragraphs"])), k=rng.randint(3, 5)))
    tpls = [rng.choice(cfg["leads"])] + [cfg["paragraphs"][i] for i in picks]
    paragraphs = _fill(tpls, base, _lazy_slots(rng, draw, [""], [], [""], lang))
    titles = [t.format_map(_Slots(base)) for t in rng.sample(cfg["titles"], k=2)]
    return _Story(lang, titles[0], titles[1:], paragraphs, ["International"], base["a_city"])


# --------------------------------------------------------------------------------------
# Items
# --------------------------------------------------------------------------------------


@dataclass
class _Item:
    src: dict[str, Any]
    when: datetime
    story: _Story
    title: str
    author: str
    utm: str = ""
    origin: str | None = None  # the outlet a syndicated copy was taken from
    credit: bool = False
    error_page: bool = False
    repeat: int = 0
    read_more_at: int | None = None
    br: bool = False
    date_mode: str = "ok"  # ok | none | bad
    bad_date: str = ""
    n: int = 0
    guid: str = ""
    link: str = ""
    related: tuple[str, str] | None = None  # (title, link) of another story of the outlet
    updated: datetime | None = None
    note: str | None = None


def _item_flags(rng: random.Random, item: _Item) -> None:
    src = item.src
    item.author = rng.choice(src["authors"])
    if rng.random() < src["utm"]:
        item.utm = rng.choice(
            (
                "?utm_source=rss&utm_medium=feed",
                "?utm_source=rss&utm_medium=feed",
                "?utm_source=rss&utm_medium=feed&utm_campaign=world",
            )
        )
    item.error_page = rng.random() < src["error_page"]
    item.repeat = (1 if rng.random() < 0.6 else 2) if rng.random() < src["repeat"] else 0
    if rng.random() < src["read_more"]:
        item.read_more_at = rng.randint(2, 4)
    item.br = rng.random() < src.get("br_paragraphs", 0.0)


def _timestamps(
    rng: random.Random, end: datetime, days: int, n: int, events: list[tuple[DemoEvent, dict]]
) -> list[datetime]:
    start = end - timedelta(days=days)
    cum: list[float] = []
    total = 0.0
    drift = 0.0
    for d in range(days):
        drift = max(-0.25, min(0.25, drift + rng.gauss(0.0, 0.05)))
        day_start = start + timedelta(days=d)
        for h in range(24):
            t = day_start + timedelta(hours=h)
            w = _WEEKDAY_RATE[t.weekday()] * _HOUR_RATE[t.hour] * math.exp(drift)
            for ev, cfg in events:
                if ev.start <= t < ev.end:
                    w *= cfg["volume"]
            total += w
            cum.append(total)
    hours = rng.choices(range(days * 24), cum_weights=cum, k=n)
    return [start + timedelta(hours=h, seconds=rng.randrange(3600)) for h in hours]


def _build_items(
    rng: random.Random, end: datetime, days: int, items: int
) -> tuple[dict[str, list[_Item]], list[_Item]]:
    T = _templates()
    sources = T["sources"]
    events = list(zip(demo_events(end, days), T["events"], strict=True))
    n_copies = round(items * SYNDICATED_SHARE)
    n_orig = items - n_copies
    times = _timestamps(rng, end, days, n_orig, events)
    shares = [s["share"] for s in sources]

    originals: list[_Item] = []
    for when in times:
        src = rng.choices(sources, weights=shares)[0]
        if src["language"] == "fr":
            topic = rng.choices(list(src["topics"]), weights=list(src["topics"].values()))[0]
            story = _story_fr(rng, topic, when)
        elif rng.random() < src.get("german", 0.0):
            story = _story_small(rng, "de", when)
        elif rng.random() < src.get("spanish", 0.0):
            story = _story_small(rng, "es", when)
        else:
            topic = rng.choices(list(src["topics"]), weights=list(src["topics"].values()))[0]
            for ev, cfg in events:
                if ev.start <= when < ev.end and rng.random() < cfg["share"]:
                    topic = cfg["topic"]
            story = _story_en(rng, topic, when)
        item = _Item(src, when, story, story.title, "")
        _item_flags(rng, item)
        originals.append(item)

    # Syndicated copies: the same body under another outlet, minutes to hours later.
    english = [s for s in sources if s["language"] == "en"]
    eligible = [i for i in originals if i.story.lang == "en" and i.src["language"] == "en"]
    copies: list[_Item] = []
    taken: set[tuple[int, str]] = set()
    while len(copies) < n_copies:
        k = rng.randrange(len(eligible))
        orig = eligible[k]
        target = rng.choice([s for s in english if s["slug"] != orig.src["slug"]])
        if (k, target["slug"]) in taken:
            continue
        taken.add((k, target["slug"]))
        when = orig.when + timedelta(minutes=rng.randint(4, 360), seconds=rng.randrange(60))
        if when > end:
            when = orig.when + (end - orig.when) / 2
            when = when.replace(microsecond=0)
        title = orig.title if rng.random() < 0.2 else rng.choice(orig.story.alt_titles)
        copy = _Item(target, when, orig.story, title, "", origin=orig.src["name"])
        _item_flags(rng, copy)
        copy.credit = rng.random() < 0.5
        copies.append(copy)

    everything = originals + copies
    by_source: dict[str, list[_Item]] = {s["slug"]: [] for s in sources}
    for item in everything:
        by_source[item.src["slug"]].append(item)
    for slug, lst in by_source.items():
        lst.sort(key=lambda i: i.when)  # stable: ties keep creation order
        _assign_ids(slug, lst)
        lst.reverse()  # newest first, as feeds are
        for pos, item in enumerate(lst):
            other = lst[pos + 1] if pos + 1 < len(lst) else lst[pos - 1]
            item.related = (other.title, other.link)

    # A few items without a date and a few with one no parser understands.
    pool = [i for i in everything if i.src["slug"] not in UPDATE_SOURCES]
    odd = rng.sample(pool, k=min(len(pool), max(2, items // 200)))
    for pos, item in enumerate(odd):
        if pos % 2:
            item.date_mode = "bad"
            item.bad_date = rng.choice(_BAD_DATES[item.src["kind"]])
        else:
            item.date_mode = "none"
    return by_source, everything


def _assign_ids(slug: str, items: list[_Item]) -> None:
    """Serial numbers, links and guids for one outlet's items in chronological order."""
    first = 1000 + int(hashlib.sha256(slug.encode()).hexdigest()[:4], 16)
    used: set[str] = set()
    for pos, item in enumerate(items):
        item.n = first + pos
        path = f"news/{item.when:%Y}/{item.when:%m}/{_slugify(item.title) or 'article'}"
        if path in used:
            path = f"{path}-{item.n}"
        used.add(path)
        base = f"https://{slug}.example/{path}"
        item.link = base + item.utm
        digest = hashlib.sha256(f"{slug}:{item.n}".encode()).hexdigest()
        uuid = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
        item.guid = item.src["guid"].format(
            n=item.n, date=f"{item.when:%Y%m%d}", year=item.when.year, uuid=uuid, path=path
        )


# --------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------

_NUMERIC = {c: f"&#{ord(c)};" for c in "“”‘’–—…«»\u00a0"}


def _entities(text: str, style: str) -> str:
    """HTML-escape text, writing some characters as entities as the outlet's CMS does."""
    text = html.escape(text, quote=False)
    if style == "numeric":
        return "".join(_NUMERIC.get(c, c) for c in text)
    if style == "named":
        return "".join(
            f"&{codepoint2name[ord(c)]};" if ord(c) > 127 and ord(c) in codepoint2name else c
            for c in text
        )
    return text


def _typography(text: str, src: dict[str, Any]) -> str:
    if src["quotes"] == "straight":
        return text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))
    if src["quotes"] == "guillemets":
        return text.replace("« ", "«\u00a0").replace(" »", "\u00a0»").replace(" :", "\u00a0:")
    return text


def _html_line(text: str, src: dict[str, Any]) -> str:
    """One paragraph of text as HTML; `<br>` in the template text is kept as markup."""
    parts = [_entities(_typography(p, src), src["entities"]) for p in text.split("<br>")]
    return "<br>".join(parts)


def _dateline(item: _Item) -> str:
    src = item.src
    style = src["dateline"]
    if style == "tag":
        return src["tag"] + " "
    if style == "city" and item.story.lang == "en":
        city = item.story.city.upper()
        when = item.when
        formats = {
            "eurasia-daily": f"{city}, {_SHORT_MONTHS[when.month - 1]} {when.day} (Eurasia Daily) – ",
            "capital-times": f"{city} — ",
            "pacific-herald": f"{city} ({src['name']}) - ",
            "gulf-dispatch": f"{city}: ",
        }
        return formats.get(src["slug"], f"{city} – ")
    if style == "city" and item.story.lang == "fr":
        return f"{item.story.city} ({src['name']}) – "
    return ""


def _body_lines(item: _Item) -> list[str]:
    """The article paragraphs as the outlet prints them (text, not yet HTML)."""
    body = list(item.story.paragraphs)
    body[0] = _dateline(item) + body[0]
    if item.repeat:
        body = body + body[1:] * item.repeat
    if item.note:
        body.append(item.note)
    if item.credit and item.origin:
        body.append(_CREDIT.format(origin=item.origin))
    return body


def _content_html(item: _Item) -> str:
    src = item.src
    out = [f"<p>{_html_line(h, src)}</p>" for h in src["header"]]
    if item.error_page:
        out += [f"<p>{_html_line(e, src)}</p>" for e in _ERROR_PAGE]
    body = [_html_line(p, src) for p in _body_lines(item)]
    if item.related and item.read_more_at is not None and item.read_more_at < len(body):
        title, link = item.related
        anchor = f'<a href="{html.escape(link)}">{_html_line(title, src)}</a>'
        body.insert(item.read_more_at, f"<strong>Read more:</strong> {anchor}")
    if item.br:
        out.append('<div class="article-body">' + "<br><br>\n".join(body) + "</div>")
    else:
        out += [f"<p>{p}</p>" for p in body]
    for line in src["footer"]:
        text = _html_line(line, src)
        if "{related}" in text and item.related:
            title, link = item.related
            anchor = f'<a href="{html.escape(link)}">{_html_line(title, src)}</a>'
            text = text.replace("{related}", anchor)
        out.append(f"<p>{text}</p>")
    return "\n".join(out)


def _summary(item: _Item) -> tuple[str, bool]:
    """(summary, is_html)"""
    first = _body_lines(item)[0]
    if item.src["summary"] == "html":
        return f"<p>{_html_line(first, item.src)}</p>", True
    if len(first) > 220:
        first = first[:220].rsplit(" ", 1)[0] + " […]"
    return _typography(first, item.src), False


def _xml_text(text: str) -> str:
    return html.escape(text, quote=False)


def _xml_attr(text: str) -> str:
    return html.escape(text, quote=True)


def _wrap(markup: str, how: str) -> str:
    if how == "cdata":
        return "<![CDATA[" + markup.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    return _xml_text(markup)


def _title_xml(item: _Item) -> str:
    text = _xml_text(_typography(item.title, item.src))
    if item.src["entities"] == "numeric":  # numeric character references are valid XML
        text = "".join(_NUMERIC.get(c, c) for c in text)
    return text


def _local(dt: datetime, src: dict[str, Any]) -> datetime:
    tz = timezone(timedelta(minutes=src["offset"]))
    return (dt + timedelta(minutes=src["offset"])).replace(tzinfo=tz)


def _rfc822(dt: datetime, src: dict[str, Any]) -> str:
    return format_datetime(_local(dt, src), usegmt=src["offset"] == 0)


def _rfc3339(dt: datetime, src: dict[str, Any]) -> str:
    local = _local(dt, src)
    return local.strftime("%Y-%m-%dT%H:%M:%SZ") if src["offset"] == 0 else local.isoformat()


def _rss_item(item: _Item) -> str:
    src = item.src
    lines = [
        "    <item>",
        f"      <title>{_title_xml(item)}</title>",
        f"      <link>{_xml_text(item.link)}</link>",
        f'      <guid isPermaLink="{"true" if src["guid_permalink"] else "false"}">'
        f"{_xml_text(item.guid)}</guid>",
    ]
    if item.date_mode == "ok":
        lines.append(f"      <pubDate>{_rfc822(item.when, src)}</pubDate>")
    elif item.date_mode == "bad":
        lines.append(f"      <pubDate>{_xml_text(item.bad_date)}</pubDate>")
    if item.updated:
        lines.append(f"      <atom:updated>{_rfc3339(item.updated, src)}</atom:updated>")
    lines.append(f"      <dc:creator>{_wrap(item.author, src['wrap'])}</dc:creator>")
    for cat in [src["section"], *item.story.categories]:
        lines.append(f"      <category>{_xml_text(cat)}</category>")
    if item.story.lang != src["language"]:
        lines.append(f"      <dc:language>{item.story.lang}</dc:language>")
    summary, _ = _summary(item)
    lines.append(f"      <description>{_wrap(summary, src['wrap'])}</description>")
    lines.append(
        f"      <content:encoded>{_wrap(_content_html(item), src['wrap'])}</content:encoded>"
    )
    lines.append("    </item>")
    return "\n".join(lines)


def _atom_entry(item: _Item) -> str:
    src = item.src
    lang = f' xml:lang="{item.story.lang}"' if item.story.lang != src["language"] else ""
    lines = [
        f"  <entry{lang}>",
        f'    <title type="text">{_title_xml(item)}</title>',
        f'    <link rel="alternate" type="text/html" href="{_xml_attr(item.link)}"/>',
        f"    <id>{_xml_text(item.guid)}</id>",
    ]
    if item.date_mode == "ok":
        lines.append(f"    <published>{_rfc3339(item.when, src)}</published>")
        lines.append(f"    <updated>{_rfc3339(item.updated or item.when, src)}</updated>")
    elif item.date_mode == "bad":
        lines.append(f"    <updated>{_xml_text(item.bad_date)}</updated>")
    lines.append(f"    <author><name>{_xml_text(item.author)}</name></author>")
    for cat in [src["section"], *item.story.categories]:
        lines.append(f'    <category term="{_xml_attr(cat)}"/>')
    summary, is_html = _summary(item)
    kind = "html" if is_html else "text"
    lines.append(f'    <summary type="{kind}">{_wrap(summary, src["wrap"])}</summary>')
    lines.append(f'    <content type="html">{_wrap(_content_html(item), src["wrap"])}</content>')
    lines.append("  </entry>")
    return "\n".join(lines)


def _render(src: dict[str, Any], items: list[_Item], built: datetime, title: str = "") -> str:
    name = title or src["name"]
    site = f"https://{src['slug']}.example/"
    lang = {"en": "en-us", "fr": "fr-FR"}.get(src["language"], src["language"])
    if src["kind"] == "atom":
        head = [
            '<?xml version="1.0" encoding="utf-8"?>',
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{src["language"]}">',
            f"  <title>{_xml_text(name)}</title>",
            f"  <subtitle>{_xml_text(src['section'])} news from {_xml_text(src['name'])}"
            "</subtitle>",
            f'  <link rel="alternate" type="text/html" href="{site}"/>',
            f'  <link rel="self" type="application/atom+xml" href="{site}feed.atom"/>',
            f"  <id>{site}</id>",
            f"  <updated>{_rfc3339(built, src)}</updated>",
            '  <generator uri="https://example.org/cms" version="4.2">NewsCMS</generator>',
        ]
        return "\n".join([*head, *(_atom_entry(i) for i in items), "</feed>", ""])
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">',
        "  <channel>",
        f"    <title>{_xml_text(name)}</title>",
        f"    <link>{site}</link>",
        f"    <description>{_xml_text(src['section'])} news from {_xml_text(src['name'])}"
        "</description>",
        f"    <language>{lang}</language>",
        f"    <lastBuildDate>{_rfc822(built, src)}</lastBuildDate>",
        f'    <atom:link href="{site}feed/" rel="self" type="application/rss+xml"/>',
        "    <ttl>15</ttl>",
    ]
    return "\n".join([*head, *(_rss_item(i) for i in items), "  </channel>", "</rss>", ""])


def _update_snapshot(rng: random.Random, items: list[_Item], end: datetime) -> list[_Item]:
    """The outlet's feed a little later: the newest entries, a few of them revised."""
    snapshot = [_Item(**vars(i)) for i in items[:30]]
    old_enough = [i for i in snapshot if i.when <= end - timedelta(hours=3)]
    for item in rng.sample(old_enough, k=min(5, len(old_enough))):
        if item.src["slug"] == "global-wire":
            item.title = "UPDATE 1-" + item.title
        else:
            alts = [t for t in item.story.alt_titles if t != item.title]
            item.title = alts[0] if alts else item.title + " (updated)"
        item.updated = item.when + timedelta(minutes=rng.randint(30, 170))
        item.note = _UPDATE_NOTE
    return snapshot


def write_demo_corpus(
    out_dir: Path, *, end: datetime, days: int = 130, seed: int = 7, items: int = 2400
) -> list[Path]:
    """Write the demo feeds into `out_dir` and return their paths in import order.

    The order is by file name, except that each `-update.xml` snapshot directly follows
    its outlet's main file, so importing the paths in order applies the updates last.

    One file per outlet (`<slug>.xml`, `items` entries in all, newest first, spread over
    the `days` days before `end`), `<slug>-update.xml` snapshots for two outlets, and
    three malformed files (`broken-*.xml`). `end` is a naive UTC datetime (an aware one
    is converted). The same arguments always give byte-identical files.
    """
    if days < 1 or items < 1:
        raise ValueError("days and items must be positive")
    end = _naive_utc(end)
    rng = random.Random(seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    by_source, _ = _build_items(rng, end, days, items)
    sources = {s["slug"]: s for s in _templates()["sources"]}
    written: list[Path] = []

    def write(name: str, text: str) -> None:
        path = out_dir / name
        path.write_bytes(text.encode("utf-8"))
        written.append(path)

    for slug, lst in by_source.items():
        built = max((i.when for i in lst), default=end)
        write(f"{slug}.xml", _render(sources[slug], lst, built))
    for slug in UPDATE_SOURCES:
        snap = _update_snapshot(rng, by_source[slug], end)
        built = max(i.updated or i.when for i in snap) if snap else end
        write(f"{slug}-update.xml", _render(sources[slug], snap, built))

    # Malformed files: a feed cut off mid-item, an HTML error page, an empty file.
    src = sources["global-wire"]
    extra = []
    for when in sorted(_timestamps(rng, end, days, 8, []), reverse=True):
        story = _story_en(rng, "trade_economy", when)
        item = _Item(src, when, story, story.title, "")
        _item_flags(rng, item)
        extra.append(item)
    for pos, item in enumerate(extra):
        item.n = 900 + pos
        item.link = f"https://{src['slug']}.example/business/{item.n}/{_slugify(item.title)}"
        item.guid = f"gwb-{item.when:%Y%m%d}-{item.n}"
    full = _render(src, extra, extra[0].when, "Global Wire — Business")
    fifth = full.index("<item>", full.index("<item>") + 1)
    for _ in range(3):
        fifth = full.index("<item>", fifth + 1)
    cut = fifth + (full.index("</item>", fifth) - fifth) // 2
    write(BROKEN_FILES[0], full[:cut])
    write(BROKEN_FILES[1], _templates()["broken"]["html"])
    write(BROKEN_FILES[2], "")
    return sorted(written, key=_import_order)


def _import_order(path: Path) -> tuple[str, bool]:
    """By name, except that `<slug>-update.xml` comes right after `<slug>.xml` (plain name
    order puts it first, and importing the later snapshot first would undo its updates)."""
    name = path.name
    is_update = name.endswith("-update.xml")
    return name.removesuffix("-update.xml").removesuffix(".xml"), is_update
