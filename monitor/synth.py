"""A deterministic generator of LARGE synthetic news corpora, for benchmarks at scale.

`monitor/demo.py` makes a small, hand-tuned, realistic corpus for the dashboard; this module
makes millions of plausible articles fast, streamed to disk (never all in memory):

* N articles over D days from S sources (300 by default, Zipf-sized: a few wires publish a
  lot, most outlets little), 2–6 KB of body each;
* mentions of ~250 countries and ~300 officials with a long-tail (Zipf) distribution, using
  the real gazetteer (``data/countries.toml`` + pycountry) and registry
  (``data/officials.toml``) names so the extractor finds them; each article names a few of
  them (its cast: ~3 countries, ~1.5 officials), as real news does;
* quotes with attribution cues ("…,” X said.", "X told reporters: “…”");
* per-source boilerplate: rule-matched furniture (copyright, follow-us, read-more) and a
  source-specific sign-off that only learned boilerplate removes;
* 10% syndicated copies of a recent article from another source (new headline, dateline
  and furniture, same body), which story grouping should join.

Outputs: RSS 2.0 / Atom feed files (``write_feeds``), ``FeedEntry`` rows without XML
(``iter_entries``), and full HTML article pages (``write_pages``) for trafilatura.
The same config gives byte-identical output.
"""

from __future__ import annotations

import bisect
import html
import itertools
import random
import tomllib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import cache
from pathlib import Path

from monitor.models import FeedEntry
from monitor.parse import article_id, canonical_url

DATA = Path(__file__).resolve().parent / "data"
START = datetime(2026, 3, 2)  # a Monday; naive UTC like everything in the store


@dataclass(frozen=True)
class SynthConfig:
    articles: int = 10_000
    days: int = 1
    sources: int = 300
    seed: int = 1
    start: datetime = START
    items_per_file: int = 50  # a typical feed page: one file = one ingest batch
    syndicated: float = 0.10
    atom_share: float = 0.2  # share of sources that publish Atom instead of RSS
    # Each original article names a cast of countries and officials and its paragraphs draw
    # their names from it: ~3 countries and ~1.6 officials an article (1 + a geometric
    # number), as real news (the 84 polnear-dev articles: 2.2 countries, 1.5 officials).
    # True: the corpora of rounds 1-11, new names in every paragraph (~19 countries and 6.5
    # officials an article, ~179 country pairs instead of ~6); kept to compare with them.
    per_paragraph_names: bool = False


@dataclass(frozen=True)
class Source:
    index: int
    name: str
    slug: str
    atom: bool
    furniture: tuple[str, ...]  # paragraphs this outlet appends to every article


@dataclass(frozen=True)
class SynthArticle:
    source: Source
    n: int  # sequence number within the whole corpus
    title: str
    published: datetime
    author: str
    paragraphs: tuple[str, ...]  # body, dateline first, furniture last
    tags: tuple[str, ...]
    copy_of: int | None  # corpus number of the original when this is a syndicated copy

    @property
    def guid(self) -> str:
        return f"{self.source.slug}-{self.n:08d}"

    @property
    def url(self) -> str:
        return f"https://{self.source.slug}.example/news/{self.n:08d}?utm_source=rss"


# ------------------------------------------------------------------ names from the data files


class _Zipf:
    """Picks items with weight 1/rank^s: the first items dominate, the tail still shows up."""

    def __init__(self, items: list, s: float = 1.0) -> None:
        self.items = items
        self.cum = list(itertools.accumulate(1.0 / (r**s) for r in range(1, len(items) + 1)))

    def pick(self, rng: random.Random):
        return self.items[bisect.bisect_left(self.cum, rng.random() * self.cum[-1])]


@dataclass(frozen=True)
class _Country:
    name: str
    demonym: str  # falls back to "the <name>" phrasing when the file has none
    capital: str


@dataclass(frozen=True)
class _Official:
    name: str
    surname: str
    role: str


@cache
def countries() -> tuple[_Country, ...]:
    """~250 countries with a display name, demonym and capital from the gazetteer files."""
    import pycountry

    extra = tomllib.loads((DATA / "countries.toml").read_text(encoding="utf-8"))
    out = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        rec = extra.get(c.alpha_2, {})
        name = rec.get("display") or getattr(c, "common_name", None) or c.name
        if "," in name or "(" in name:  # "Korea, Republic of": not how news writes it
            name = (rec.get("aliases") or [name.split(",")[0].split("(")[0].strip()])[0]
        demonyms, capitals = rec.get("demonyms") or [""], rec.get("capitals") or [name]
        out.append(_Country(name, demonyms[0], capitals[0]))
    # Big countries first so that the Zipf head is plausible; order is otherwise alphabetical.
    head = ("US", "CN", "RU", "UA", "GB", "FR", "DE", "IL", "IN", "JP", "TR", "IR", "BR", "KR")
    codes = [c.alpha_2 for c in sorted(pycountry.countries, key=lambda c: c.alpha_2)]
    rank = {code: i for i, code in enumerate(head)}
    order = sorted(range(len(out)), key=lambda i: (rank.get(codes[i], len(head)), codes[i]))
    return tuple(out[i] for i in order)


@cache
def officials(limit: int = 300) -> tuple[_Official, ...]:
    """Up to ``limit`` current officials (no ``valid_to``) from the packaged registry."""
    data = tomllib.loads((DATA / "officials.toml").read_text(encoding="utf-8"))
    out = []
    for rec in data.get("official", []):
        if rec.get("valid_to"):
            continue
        name = rec["name"]
        out.append(_Official(name, name.split()[-1], rec.get("role", "official")))
    return tuple(out[:limit])


# ------------------------------------------------------------------ wording (scale, not polish)

_TOPICS = ("trade", "energy", "border", "grain export", "security", "climate", "debt",
           "migration", "fisheries", "gas pipeline", "ceasefire", "tariff", "nuclear",
           "water-sharing", "election", "sanctions", "shipping", "aid", "vaccine", "mining")  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_FACTS = (
    "Talks on the {t} agreement between {c} and {c2} would resume in {cap} next {wd}, "
    "officials said.",
    "The {t} dispute between {c} and {c2} has dragged on for {n} months.",
    "{role} {o} is expected to travel to {c2} later this month for talks on {t}.",
    "Trade between {c} and {c2} rose {n} percent last year, according to official figures.",
    "{os} met counterparts from {c2} on the sidelines of a regional summit in {cap}.",
    "Analysts in {cap} said the {t} plan faced stiff resistance from lawmakers.",
    "Markets in {c} fell {n} percent after the announcement on {wd}.",
    "Diplomats from {c} and {c2} were still divided over the wording of a joint statement.",
    "The government of {c} has not commented on the {t} proposal since {wd}.",
    "Some {n} delegates attended the {t} conference, which ends on {wd}.",
    "Protesters gathered outside government buildings in {cap} for a {nth} day.",
    "{c} and {c2} signed a memorandum on {t} cooperation worth {n} million dollars.",
    "Officials in {c2} accused {c} of breaching the {t} accord, a charge it rejected.",
    "A delegation led by {o} arrived in {cap2} on {wd} evening.",
)
# Sentences that name no country and no official: most of a real article's sentences (the
# 84 polnear-dev articles: 1.9 country mentions per KB, against 13.4 when every fact sentence
# named two countries or a capital, as in rounds 1-11).
_BACKGROUND = (
    "The {t} talks have been overshadowed by a dispute over funding, people familiar with "
    "the matter said.",
    "Negotiators met for {n} hours on {wd} without reaching an agreement.",
    "The proposal would need the approval of parliament before it takes effect.",
    "Economists said the {t} measures could take months to show results.",
    "The ministry did not respond to a request for comment.",
    "A final decision on the {t} package is expected by the end of the month.",
    "The plan has drawn criticism from opposition lawmakers and business groups.",
    "Some {n} people have been affected, according to local authorities.",
    "Officials said the next round of {t} negotiations would focus on implementation.",
    "The announcement came after weeks of speculation about the {t} package.",
    "Details of the agreement were not made public.",
    "Prices of {t} contracts rose {n} percent in early trading on {wd}.",
)
# The share of non-quote sentences taken from _BACKGROUND (per-article names only): 4.5
# country mentions per KB, 18.8 an article (benchmarks/corpus_density.py), against the real
# articles' 1.9 and 9.4: still denser than real news, so ingest numbers err on the slow side.
_BACKGROUND_SHARE = 0.85
_QUOTE_BODIES = (
    "We will not accept any {t} deal that ignores the interests of {c}",
    "This is a matter for the people of {c} and nobody else",
    "Our position on {t} has not changed and it will not change",
    "We are ready to talk, but the other side has to show it is serious about {t}",
    "The next {n} days will decide whether this agreement survives",
    "Nobody in {cap} wants an escalation, but we will defend our interests",
    "The {t} talks were constructive and we expect progress soon",
    "There can be no lasting peace without a fair settlement on {t}",
)
_ATTRIBUTED = (
    "“{q},” {o} said.",
    "“{q},” {role} {o} told reporters in {cap}.",
    "{o} said in a statement: “{q}.”",
    "“{q},” said {os}, speaking after talks with officials from {c2}.",
    "“{q},” a spokesperson for the {c} foreign ministry said on {wd}.",
    "{os} told a news conference: “{q}.” He did not take questions.",
)
_HEADLINES = (
    "{c} and {c2} Resume Talks on {T}",
    "{o} Warns {c2} Over {T} Plan",
    "{T} Dispute Deepens as {c} Rejects Proposal",
    "{c} Signs {T} Deal With {c2}",
    "Protests in {cap} as {T} Row Escalates",
)
_NTH = ("second", "third", "fourth", "fifth", "sixth", "seventh")
_RULED_FURNITURE = (
    "© 2026 {name}. All rights reserved.",
    "Follow us on X and Telegram for the latest updates.",
    "Read more: {name} world news",
    "Share this article",
    "Advertisement",
)
_SIGN_OFF = (
    "{name} is an independent news service covering world affairs since {year}.",
    "Reporting by the {name} desk; editing by the {name} editors in the {region} bureau.",
    "Get the {name} morning briefing: the {region} stories that matter, every weekday.",
)
_REGIONS = ("Europe", "Asia", "Africa", "Americas", "Middle East", "Pacific")


class _Writer:
    """Fills templates with Zipf-distributed names; one instance per corpus (shares rng)."""

    def __init__(self, rng: random.Random, per_paragraph_names: bool = False) -> None:
        self.rng = rng
        self.countries = _Zipf(list(countries()), 1.0)
        self.officials = _Zipf(list(officials()), 1.0)
        self.per_paragraph_names = per_paragraph_names
        self.cast: tuple[tuple[_Country, ...], tuple[_Official, ...]] = ((), ())

    def new_cast(self) -> tuple[tuple[_Country, ...], tuple[_Official, ...]]:
        """An article's countries and officials: Zipf picks, 1 + a geometric number of each
        (means ~3.0 and ~1.6), so most articles name a few and some name many."""
        rng = self.rng
        n_countries = 1 + min(int(rng.expovariate(0.4)), 20)
        n_officials = 1 + min(int(rng.expovariate(1.0)), 8)
        self.cast = (
            tuple(dict.fromkeys(self.countries.pick(rng) for _ in range(n_countries))),
            tuple(dict.fromkeys(self.officials.pick(rng) for _ in range(n_officials))),
        )
        return self.cast

    def _names(self) -> tuple[_Country, _Country, _Official]:
        rng = self.rng
        if self.per_paragraph_names or not self.cast[0]:
            return self.countries.pick(rng), self.countries.pick(rng), self.officials.pick(rng)
        cs, os_ = self.cast
        c = rng.choice(cs)
        c2 = rng.choice([x for x in cs if x is not c] or cs)
        return c, c2, rng.choice(os_)

    def slots(self) -> dict[str, object]:
        rng = self.rng
        c, c2, o = self._names()
        t = rng.choice(_TOPICS)
        return {"c": c.name, "c2": c2.name, "cap": c.capital, "cap2": c2.capital, "t": t,
                "T": t.title(), "o": o.name, "os": o.surname, "role": o.role,
                "wd": rng.choice(_WEEKDAYS), "n": rng.randrange(2, 999),
                "nth": rng.choice(_NTH)}  # fmt: skip

    def sentence(self, s: dict[str, object]) -> str:
        rng = self.rng
        if rng.random() < 0.25:
            s["q"] = rng.choice(_QUOTE_BODIES).format(**s)
            return rng.choice(_ATTRIBUTED).format(**s)
        if not self.per_paragraph_names and rng.random() < _BACKGROUND_SHARE:
            return rng.choice(_BACKGROUND).format(**s)
        return rng.choice(_FACTS).format(**s)

    def paragraph(self) -> str:
        # One set of names per paragraph: cheaper than per sentence, and a paragraph of
        # real news also stays with its actors.
        s = self.slots()
        return " ".join(self.sentence(s) for _ in range(self.rng.randint(2, 4)))

    def body(self, target_chars: int) -> list[str]:
        out, size = [], 0
        while size < target_chars:
            p = self.paragraph()
            out.append(p)
            size += len(p) + 2
        return out

    def headline(self) -> str:
        return self.rng.choice(_HEADLINES).format(**self.slots())


def make_sources(n: int, rng: random.Random, atom_share: float = 0.2) -> list[Source]:
    out = []
    for i in range(n):
        name = f"Synth News {i:03d}"
        furniture = (
            rng.choice(_SIGN_OFF).format(name=name, year=1900 + i % 120, region=_REGIONS[i % 6]),
            *[f.format(name=name) for f in rng.sample(_RULED_FURNITURE, 2)],
        )
        out.append(Source(i, name, f"synth{i:03d}", rng.random() < atom_share, furniture))
    return out


def _dateline(art_city: str, when: datetime, name: str) -> str:
    return f"{art_city.upper()}, {when:%b} {when.day} ({name}) -"


# ------------------------------------------------------------------ the article stream


def iter_articles(cfg: SynthConfig) -> Iterator[SynthArticle]:
    """Articles in published order. Memory: the source list and a ring of recent originals."""
    rng = random.Random(cfg.seed)
    writer = _Writer(rng, cfg.per_paragraph_names)
    sources = make_sources(cfg.sources, rng, cfg.atom_share)
    by_size = _Zipf(sources, 0.7)  # wires publish much more than local outlets
    step = timedelta(days=cfg.days) / max(cfg.articles, 1)
    recent: deque[tuple[int, list[str], str, tuple]] = deque(maxlen=2000)  # (n, body, city, cast)
    for n in range(cfg.articles):
        when = cfg.start + step * n
        source = by_size.pick(rng)
        if recent and rng.random() < cfg.syndicated:
            orig, body, city, writer.cast = rng.choice(recent)
            title, copy_of = writer.headline(), orig
        else:
            body, city = _original(writer, cfg.per_paragraph_names)
            title, copy_of = writer.headline(), None
            recent.append((n, body, city, writer.cast))
        paragraphs = (f"{_dateline(city, when, source.name)} {body[0]}", *body[1:])
        yield SynthArticle(
            source=source, n=n, title=title, published=when.replace(microsecond=0),
            author=f"{source.name} staff", paragraphs=(*paragraphs, *source.furniture),
            tags=(rng.choice(_TOPICS), "world"), copy_of=copy_of,
        )  # fmt: skip


def _original(writer: _Writer, per_paragraph_names: bool) -> tuple[list[str], str]:
    """A new article's body and dateline city (one of its cast's capitals)."""
    rng = writer.rng
    if per_paragraph_names:  # the draws of rounds 1-11, in their order
        return writer.body(rng.randint(2000, 6000)), writer.countries.pick(rng).capital
    countries_, _ = writer.new_cast()
    return writer.body(rng.randint(2000, 6000)), countries_[0].capital


def content_html(a: SynthArticle) -> str:
    """The feed's content:encoded HTML: one <p> per paragraph, entities as feeds write them."""
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in a.paragraphs)


def iter_entries(cfg: SynthConfig) -> Iterator[FeedEntry]:
    """Direct rows: what parse_feed would return for the feed files, without any XML."""
    for a in iter_articles(cfg):
        url = canonical_url(a.url)
        yield FeedEntry(
            article_id=article_id(a.source.name, a.guid, url, a.title), feed=a.source.name,
            guid=a.guid, url=url, title=a.title, published=a.published,
            published_source="published", author=a.author, language="en",
            summary=a.paragraphs[0][:200], raw_content=content_html(a), raw_kind="html",
            tags=a.tags,
        )  # fmt: skip


# ------------------------------------------------------------------ feed files


def _rss(source: Source, items: list[SynthArticle]) -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n'
        f"<title>{source.name}</title><link>https://{source.slug}.example/</link>"
        f"<language>en</language><description>{source.name} world news</description>\n"
    ]
    for a in items:
        cats = "".join(f"<category>{t}</category>" for t in a.tags)
        parts.append(
            f"<item><title>{html.escape(a.title)}</title><link>{html.escape(a.url)}</link>"
            f'<guid isPermaLink="false">{a.guid}</guid>'
            f"<pubDate>{format_datetime(a.published.replace(tzinfo=UTC))}</pubDate>"
            f"<author>{a.author}</author>{cats}"
            f"<description>{html.escape(a.paragraphs[0][:200])}</description>"
            f"<content:encoded><![CDATA[{content_html(a)}]]></content:encoded></item>\n"
        )
    parts.append("</channel>\n</rss>\n")
    return "".join(parts)


def _atom(source: Source, items: list[SynthArticle]) -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
        f'xml:lang="en">\n<title>{source.name}</title><id>urn:{source.slug}</id>'
        f"<updated>{items[-1].published.isoformat()}Z</updated>\n"
    ]
    for a in items:
        cats = "".join(f'<category term="{t}"/>' for t in a.tags)
        parts.append(
            f"<entry><title>{html.escape(a.title)}</title>"
            f'<link href="{html.escape(a.url)}"/><id>{a.guid}</id>'
            f"<updated>{a.published.isoformat()}Z</updated>"
            f"<author><name>{a.author}</name></author>{cats}"
            f'<content type="html">{html.escape(content_html(a))}</content></entry>\n'
        )
    parts.append("</feed>\n")
    return "".join(parts)


def write_feeds(cfg: SynthConfig, out_dir: Path) -> Iterator[Path]:
    """Write feed files of ``items_per_file`` items each; yields each path once written.

    Files come out in publication order (the order a poller would see them), so a consumer
    can import and delete them as they arrive and never hold the corpus on disk."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pending: dict[int, list[SynthArticle]] = {}
    seq = itertools.count()
    for a in iter_articles(cfg):
        batch = pending.setdefault(a.source.index, [])
        batch.append(a)
        if len(batch) >= cfg.items_per_file:
            yield _flush(out_dir, next(seq), pending.pop(a.source.index))
    for index in sorted(pending):
        yield _flush(out_dir, next(seq), pending[index])


def _flush(out_dir: Path, seq: int, items: list[SynthArticle]) -> Path:
    source = items[0].source
    text = _atom(source, items) if source.atom else _rss(source, items)
    path = out_dir / f"{seq:07d}-{source.slug}.{'atom' if source.atom else 'xml'}"
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ full web pages


def render_page(a: SynthArticle) -> str:
    """A full article page: head metadata, navigation, the article, related links, footer."""
    nav = "".join(f'<li><a href="/{t}">{t.title()}</a></li>' for t in _TOPICS[:12])
    related = "".join(
        f'<li><a href="/news/{a.n - k:08d}">{html.escape(a.title)} ({k})</a></li>'
        for k in range(1, 7)
    )
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in a.paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(a.title)} | {a.source.name}</title>"
        f'<meta property="og:title" content="{html.escape(a.title)}">'
        f'<meta property="article:published_time" content="{a.published.isoformat()}Z">'
        f'<link rel="canonical" href="{html.escape(a.url)}">'
        "<style>body{font-family:serif}.nav li{display:inline}</style>"
        "<script>window.dataLayer=window.dataLayer||[];</script></head><body>"
        f'<header><div class="logo">{a.source.name}</div><nav><ul class="nav">{nav}</ul></nav>'
        '<form class="search"><input name="q" placeholder="Search"></form></header>'
        f'<main><article><h1>{html.escape(a.title)}</h1><div class="byline">By {a.author}, '
        f'<time datetime="{a.published.isoformat()}">{a.published:%d %B %Y}</time></div>'
        f'<div class="article-body">{body}</div></article>'
        f'<aside class="related"><h2>Related</h2><ul>{related}</ul></aside></main>'
        f"<footer><p>© 2026 {a.source.name}</p><ul><li><a href='/about'>About</a></li>"
        "<li><a href='/privacy'>Privacy</a></li><li><a href='/terms'>Terms</a></li></ul>"
        "</footer></body></html>"
    )


def write_pages(cfg: SynthConfig, out_dir: Path) -> list[Path]:
    """One HTML file per article (``cfg.articles`` of them)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for a in iter_articles(cfg):
        path = out_dir / f"{a.n:07d}-{a.source.slug}.html"
        path.write_text(render_page(a), encoding="utf-8")
        paths.append(path)
    return paths
