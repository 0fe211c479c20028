"""Extraction of countries, officials and direct quotes from a cleaned article body.

Pure functions: `Extractor(registry).extract(text, published)` -> `Extraction`; offsets index
into `text` (paragraphs joined by `PARAGRAPH_SEPARATOR`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from operator import attrgetter

from monitor.extract.countries import MultiScan, find_countries, load_gazetteer
from monitor.extract.officials import (
    PARTICLE_STARTS,
    REGISTRY_VERSION,
    Registry,
    Scanned,
    find_officials,
    load_registry,
    lower_particles,
    title_openers,
)
from monitor.extract.quotes import find_quotes
from monitor.models import PARAGRAPH_SEPARATOR, Extraction, Mention

EXTRACTOR_VERSION: str = "extract-1.0"

__all__ = [
    "EXTRACTOR_VERSION",
    "PARAGRAPH_SEPARATOR",
    "REGISTRY_VERSION",
    "Extractor",
    "Registry",
    "extract_json",
    "load_registry",
]


_BY_START_KIND = attrgetter("start", "kind")  # (start, kind) in C, not a lambda per mention


class Extractor:
    """Holds the registry and the country automaton; `extract` is pure per call."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.gazetteer = load_gazetteer()
        # Country keys and title openers are looked up in the text, registry names and
        # surnames in its particle-normalised form (`normalise_particles`); the two are the
        # same string for most articles, and then ONE automaton pass finds all four. The
        # same pass finds where a capitalised particle ("De ", "al-"...) could be lowered:
        # without one the text is its own normalised form; with one, names and surnames are
        # looked up again in the normalised text if it differs.
        places = list(self.gazetteer.automaton.items())
        names = list(registry.automaton.items()) if len(registry) else []
        surnames = list(registry.surname_automaton.items()) if len(registry) else []
        openers = title_openers()
        particles = [(p, p) for p in PARTICLE_STARTS]
        self._scan_all = MultiScan(
            [(places, True), (names, True), (surnames, True), (openers, False), (particles, False)]
        )
        self._scan_norm = MultiScan([(names, True), (surnames, True)])

    def _scan(self, text: str) -> tuple[list, Scanned]:
        places, names, surnames, openers, particles = self._scan_all.scan(text)
        norm = lower_particles(text) if particles else text
        if norm != text:
            names, surnames = self._scan_norm.scan(norm)
        starts = sorted({start for start, _, _ in openers})
        return places, Scanned(norm, names, surnames, starts)

    def extract(self, text: str, published: date | None = None) -> Extraction:
        return self._extract_scanned(text, published, self._scan(text))

    def extract_many(self, items: Sequence[tuple[str, date | None]]) -> list[Extraction]:
        """``[self.extract(text, published) for text, published in items]``, stage by stage:
        first every text's automaton scan, then the rest of each extraction. The results do
        not depend on the order of the calls (each is pure); the CPU does a little: the
        ~3,300-key automaton scans an article at ~3x its back-to-back cost once the rest of
        an extraction has evicted it from the caches (the refilter_process kind in chunks of
        10, in-process A/B under load: ~2-4% less CPU than article by article). The other
        stages go the same way: every text's countries, then every text's officials, then
        quotes (the worker's path, chunks of 25, 2,000 synth entries, 9 and 11 alternating
        passes at load 5-6: extraction 0.469 -> 0.442 and 0.488 -> 0.454 ms/item, medians;
        the minimums 1-2% apart: the gain grows with the contention for the caches)."""
        scans = [self._scan(text) for text, _ in items]
        gaz, registry = self.gazetteer, self.registry
        countries = [
            find_countries(text, gaz, places)
            for (text, _), (places, _) in zip(items, scans, strict=True)
        ]
        officials = [
            find_officials(text, registry, published, scanned)
            for (text, published), (_, scanned) in zip(items, scans, strict=True)
        ]
        return [
            self._assemble(text, c, o)
            for (text, _), c, o in zip(items, countries, officials, strict=True)
        ]

    def _extract_scanned(
        self, text: str, published: date | None, scan: tuple[list, Scanned]
    ) -> Extraction:
        places, scanned = scan
        countries = find_countries(text, self.gazetteer, places)
        officials = find_officials(text, self.registry, published, scanned)
        return self._assemble(text, countries, officials)

    def _assemble(self, text: str, countries: list[Mention], officials) -> Extraction:
        """The extraction from an article's countries and officials: its quotes (which need
        the officials) and its mentions in text order."""
        discovered = {d.name: d for d in officials.discovered}
        quotes = find_quotes(
            text, officials.mentions, self.registry.by_id, discovered, self.gazetteer
        )
        mentions = sorted(countries + officials.mentions, key=_BY_START_KIND)
        return Extraction(tuple(mentions), tuple(quotes), tuple(officials.discovered))


def _mention_json(m: Mention) -> dict:
    return {"text": m.text, "start": m.start, "end": m.end, "via": m.via}


def extract_json(extraction: Extraction, registry: Registry | None = None) -> dict:
    """The stable JSON shape exported and printed by `monitor extract --json`."""
    countries: dict[str, dict] = {}
    officials: dict[str, dict] = {}
    discovered = {f"discovered:{d.name}": d for d in extraction.discovered}
    for m in extraction.mentions:
        if m.kind == "country":
            entry = countries.setdefault(
                m.entity_id, {"code": m.entity_id, "name": m.name, "mentions": []}
            )
        else:
            entry = officials.setdefault(m.entity_id, _official_entry(m, registry, discovered))
        entry["mentions"].append(_mention_json(m))
    return {
        "countries": list(countries.values()),
        "officials": list(officials.values()),
        "quotes": [
            {
                "speaker": q.speaker,
                "text": q.text,
                "cue": q.cue,
                "start": q.start,
                "end": q.end,
                "speaker_via_pronoun": q.speaker_via_pronoun,
                "partial": q.partial,
                "speaker_role": q.speaker_role,
                "speaker_country": q.speaker_country,
                "speaker_kind": q.speaker_kind,
            }
            for q in extraction.quotes
        ],
        "discovered": [
            {"name": d.name, "title": d.title, "country": d.country} for d in extraction.discovered
        ],
    }


def _official_entry(m: Mention, registry: Registry | None, discovered: dict) -> dict:
    if m.entity_id in discovered:
        d = discovered[m.entity_id]
        role, country, spokes = d.title, d.country, "spokes" in d.title.lower()
    elif registry is not None and m.entity_id in registry.by_id:
        o = registry.by_id[m.entity_id]
        role, country, spokes = o.role, o.country, o.spokesperson
    else:
        role, country, spokes = None, None, False
    return {
        "name": m.name,
        "role": role,
        "country": country,
        "spokesperson": spokes,
        "mentions": [],
    }
