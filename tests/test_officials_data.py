"""Checks on the packaged registry of officials, monitor/data/officials.toml."""

import re
import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

import pycountry
import pytest

DATA = Path(__file__).resolve().parents[1] / "monitor" / "data" / "officials.toml"

ROLE_KINDS = {
    "head_of_state",
    "head_of_government",
    "foreign_minister",
    "spokesperson",
    "minister",
    "other",
}
# International bodies. "AFU" is the African Union: "AU" is ISO 3166 for Australia.
BODIES = {"UN", "EU", "NATO", "AFU", "WHO", "IAEA"}
REQUIRED = {"id": str, "name": str, "aliases": list, "role": str, "role_kind": str, "country": str}
OPTIONAL = {"valid_from": str, "valid_to": str, "note": str}

# Single words that must never be an alias on their own: they would match ordinary prose.
_COMMON = """
    a an the and or but if of in on at to for with by from as is are was were be been it its he she
    they we you i me him her them his their our your this that these those who what which when where
    why how all any some no not one two new old big small good bad great high low long short first last
    next right left man woman men women people state states government minister president prime king
    queen prince princess pope emperor sultan emir sheikh leader chief head general admiral captain
    colonel marshal lord sir lady mr mrs ms dr will mark bill may june april august rose grace hope faith
    joy frank sterling young white black brown green gray grey gold silver stone wood rock bush park hill
    field lane street bank church hall house court power law rule order peace war press news time day
    week year today leo charles francis amir said says told spoke spokesman spokeswoman spokesperson
    premier chancellor secretary ambassador envoy adviser council union nation nations world page will
    love star sun moon summer winter spring fall autumn pen ward guard major miller smith baker cook
"""
COMMON_WORDS = set(_COMMON.split())
G20 = [
    "AR",
    "AU",
    "BR",
    "CA",
    "CN",
    "FR",
    "DE",
    "IN",
    "ID",
    "IT",
    "JP",
    "KR",
    "MX",
    "RU",
    "SA",
    "ZA",
    "TR",
    "GB",
    "US",
    "EU",
]


@pytest.fixture(scope="module")
def officials():
    with DATA.open("rb") as fh:
        data = tomllib.load(fh)
    assert set(data) == {"official"}, "the file holds only [[official]] tables"
    return data["official"]


def _current(o):
    return "valid_to" not in o


def test_counts(officials):
    assert len(officials) >= 260
    assert len({o["country"] for o in officials}) >= 60
    assert sum(o["role_kind"] == "spokesperson" for o in officials) >= 40


def test_keys_and_types(officials):
    for o in officials:
        missing = set(REQUIRED) - set(o)
        assert not missing, (o.get("id"), missing)
        unknown = set(o) - set(REQUIRED) - set(OPTIONAL)
        assert not unknown, (o["id"], unknown)
        for key, typ in {**REQUIRED, **OPTIONAL}.items():
            if key in o:
                assert isinstance(o[key], typ), (o["id"], key)
        assert all(isinstance(a, str) for a in o["aliases"]), o["id"]
        for key in ("id", "name", "role", "country"):
            assert o[key] and o[key] == o[key].strip(), (o["id"], key)
        assert o["role_kind"] in ROLE_KINDS, o["id"]


def test_ids_unique_and_well_formed(officials):
    counts = Counter(o["id"] for o in officials)
    assert not [i for i, n in counts.items() if n > 1]
    for o in officials:
        assert re.fullmatch(r"[a-z]{2,4}-[a-z0-9]+(-[a-z0-9]+)*", o["id"]), o["id"]
        assert o["id"].startswith(o["country"].lower() + "-"), o["id"]


def test_dates(officials):
    for o in officials:
        start = date.fromisoformat(o["valid_from"]) if "valid_from" in o else None
        end = date.fromisoformat(o["valid_to"]) if "valid_to" in o else None
        if start and end:
            assert start <= end, o["id"]


def test_country_codes(officials):
    for o in officials:
        code = o["country"]
        assert code in BODIES or pycountry.countries.get(alpha_2=code) is not None, (o["id"], code)
        if code == "AU":
            assert "african union" not in o["role"].lower(), o["id"]


def test_aliases_clean(officials):
    for o in officials:
        aliases = o["aliases"]
        assert len(aliases) == len(set(aliases)), o["id"]
        for a in aliases:
            assert a and a == a.strip() and "  " not in a, (o["id"], a)
            assert a != o["name"], (o["id"], a)
            if " " not in a:
                assert a.casefold() not in COMMON_WORDS, (o["id"], a)


def test_no_name_or_alias_shared_between_officials(officials):
    owner = {}
    for o in officials:
        for text in [o["name"], *o["aliases"]]:
            key = text.casefold()
            assert owner.setdefault(key, o["id"]) == o["id"], (text, owner[key], o["id"])


def test_seed_officials(officials):
    by_id = {o["id"]: o for o in officials}
    peskov = by_id["ru-dmitry-peskov"]
    assert (peskov["name"], peskov["country"], peskov["role_kind"]) == (
        "Dmitry Peskov",
        "RU",
        "spokesperson",
    )
    assert _current(peskov)
    macron = by_id["fr-emmanuel-macron"]
    assert (macron["name"], macron["country"], macron["role_kind"]) == (
        "Emmanuel Macron",
        "FR",
        "head_of_state",
    )
    assert _current(macron)


def test_g20_and_security_council_coverage(officials):
    for code in G20:
        entries = [o for o in officials if o["country"] == code and _current(o)]
        kinds = {o["role_kind"] for o in entries}
        assert "foreign_minister" in kinds, code
        if code != "EU":
            assert kinds & {"head_of_state", "head_of_government"}, code
    for code in ["US", "RU", "CN", "GB", "FR"]:
        kinds = {o["role_kind"] for o in officials if o["country"] == code and _current(o)}
        assert {"foreign_minister", "spokesperson"} <= kinds or code == "GB", code


def test_former_holders_kept(officials):
    by_name = {o["name"]: o for o in officials}
    for name, end in [
        ("Joe Biden", "2025-01-20"),
        ("Olaf Scholz", "2025-05-06"),
        ("Antony Blinken", "2025-01-20"),
    ]:
        assert by_name[name]["valid_to"] == end
