"""MultiScan (ahocorasick_rs, one pass over several key sets) gives per set exactly what a
pyahocorasick automaton of that set alone gives through ``longest_hits`` / ``iter``."""

from __future__ import annotations

import ahocorasick
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.extract import Extractor, load_registry
from monitor.extract.countries import MultiScan, longest_hits

_ALPHABET = "abAB é’'_-. ,1"


def _automaton(items: list[tuple[str, object]]) -> ahocorasick.Automaton:
    a = ahocorasick.Automaton()
    for key, value in items:
        a.add_word(key, (key, value))
    a.make_automaton()
    return a


def _reference(sets, text):
    out = []
    for items, bounded in sets:
        if not items:
            out.append([])
            continue
        a = _automaton(items)
        if bounded:
            out.append([(s, e, v) for s, e, (_k, v) in longest_hits(a, text)])
        else:
            out.append(sorted((end + 1 - len(k), end + 1, v) for end, (k, v) in a.iter(text)))
    return out


def _scanned(sets, text):
    got = MultiScan([([(k, (k, v)) for k, v in items], b) for items, b in sets]).scan(text)
    out = []
    for hits, (_, bounded) in zip(got, sets, strict=True):
        hits = [(s, e, v) for s, e, (_k, v) in hits]
        out.append(hits if bounded else sorted(hits))
    return out


_keys = st.lists(st.text(_ALPHABET, min_size=1, max_size=4), max_size=6, unique=True)


@settings(max_examples=300, deadline=None)
@given(
    a=_keys,
    b=_keys,
    c=_keys,
    text=st.text(_ALPHABET, max_size=60),
)
def test_multiscan_matches_separate_automata(a, b, c, text):
    sets = [
        ([(k, i) for i, k in enumerate(a)], True),
        ([(k, -i) for i, k in enumerate(b)], True),
        ([(k, str(i)) for i, k in enumerate(c)], False),
    ]
    assert _scanned(sets, text) == _reference(sets, text)


def test_extractor_scan_matches_separate_automata():
    ex = Extractor(load_registry())
    text = (
        "Sergei Lavrov met Wang Yi in Beijing; the Kremlin spokesman Dmitry Peskov said "
        "Ukrainians and Germans, Britons — not the woman from Oman — met in São Paulo. "
        "President Emmanuel Macron's aide, Mr. Macron-like, visited Niger and Nigeria."
    )
    places, scanned = ex._scan(text)
    assert places == longest_hits(ex.gazetteer.automaton, text)
    assert scanned.names == longest_hits(ex.registry.automaton, scanned.norm)


def test_lone_surrogate_scans_like_pyahocorasick():
    ex = Extractor(load_registry())
    text = "Talks in Paris\ud800 and Berlin; \udc00Germans met Sergei Lavrov."
    places, scanned = ex._scan(text)
    assert places == longest_hits(ex.gazetteer.automaton, text)
    assert scanned.names == longest_hits(ex.registry.automaton, scanned.norm)
    assert [m.text for m in ex.extract(text).mentions] == [
        "Paris",
        "Berlin",
        "Germans",
        "Sergei Lavrov",
    ]


_PARTICLE_PIECES = [
    "De ", "Bart De Wever", "al-Sisi", "Al-", "La ", "Van der Leyen", "von ", "Abu Bakr al-",
    "Sergei Lavrov", "Paris", "x", " ", "-", "\ud800", "é", "Del ", "di", "Ibn Saud",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PARTICLE_PIECES), max_size=10))
def test_extractor_scan_normalises_particles_as_before(parts):
    """The merged scan finds the capitalised particles too: its normalised text is
    normalise_particles(text), and names/surnames are looked up in that text."""
    from monitor.extract.officials import normalise_particles

    ex = _EXTRACTOR
    text = "".join(parts)
    places, scanned = ex._scan(text)
    assert scanned.norm == normalise_particles(text)
    assert places == longest_hits(ex.gazetteer.automaton, text)
    assert scanned.names == longest_hits(ex.registry.automaton, scanned.norm)
    assert scanned.surnames == longest_hits(ex.registry.surname_automaton, scanned.norm)


_EXTRACTOR = Extractor(load_registry())
