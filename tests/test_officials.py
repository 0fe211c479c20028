from datetime import date
from pathlib import Path

from monitor.extract.officials import (
    find_officials,
    load_registry,
    normalise_particles,
    surname_of,
)

SMALL = Path(__file__).parent / "fixtures" / "officials-small.toml"
REG = load_registry([SMALL], packaged=False)


def ids(text, published=None):
    return [(m.entity_id, m.text, m.via) for m in find_officials(text, REG, published).mentions]


def test_registry_loads_and_versions():
    assert REG.get("ru-dmitry-peskov").spokesperson
    assert not REG.get("fr-emmanuel-macron").spokesperson
    assert REG.get("us-karoline-leavitt").spokesperson  # role says press secretary
    assert len(REG.version) == 12


def test_name_variants():
    for variant in ["Dmitry Peskov", "Dmitri Peskov", "Dmitriy Peskov"]:
        assert ids(f"{variant} spoke.")[0][0] == "ru-dmitry-peskov"


def test_surname_resolves_to_earlier_full_name():
    found = ids("Dmitry Peskov spoke. Later Peskov said more.")
    assert found[-1] == ("ru-dmitry-peskov", "Peskov", "surname")


def test_bare_surname_without_prior_mention_or_title_is_ignored():
    assert ids("Peskov said more.") == []


def test_title_surname():
    assert ids("Mr. Macron said") == [("fr-emmanuel-macron", "Macron", "title")]
    assert ids("President Macron said") == [("fr-emmanuel-macron", "Macron", "title")]


def test_months_are_not_surnames():
    assert ids("In May, talks resumed.", date(2018, 1, 1)) == []
    assert ids("Mrs May said", date(2018, 1, 1)) == [("gb-theresa-may", "May", "title")]


def test_validity_dates():
    assert ids("Olaf Scholz spoke.", date(2023, 1, 1))[0][0] == "de-olaf-scholz"
    assert ids("Olaf Scholz spoke.", date(2026, 1, 1)) == []
    assert ids("Olaf Scholz spoke.") != []  # no date: no filter


def test_surname_first_for_chinese_names():
    assert ids("Xi Jinping met. Xi said")[-1] == ("cn-xi-jinping", "Xi", "surname")


def test_discovery_title_patterns():
    res = find_officials("Japanese Prime Minister Shigeru Ishiba met. Ishiba said.", REG)
    assert res.discovered[0].name == "Shigeru Ishiba"
    assert res.discovered[0].country == "JP"
    assert [m.via for m in res.mentions] == ["title", "surname"]
    assert res.mentions[0].entity_id == "discovered:Shigeru Ishiba"


def test_discovery_spokesman_for():
    res = find_officials("a spokesman for the Chinese foreign ministry, Lin Jian, said", REG)
    assert res.discovered[0].name == "Lin Jian"
    assert res.discovered[0].country == "CN"


def test_registry_names_are_not_discovered():
    res = find_officials("French President Emmanuel Macron said", REG)
    assert res.discovered == []
    assert res.mentions[0].entity_id == "fr-emmanuel-macron"


def test_user_file_extends(tmp_path):
    extra = tmp_path / "mine.toml"
    extra.write_text(
        '[[official]]\nid = "xx-jane-roe"\nname = "Jane Roe"\nrole = "Minister"\n'
        'role_kind = "minister"\ncountry = "XX"\n'
    )
    reg = load_registry([SMALL, extra], packaged=False)
    assert reg.get("xx-jane-roe") and reg.get("ru-dmitry-peskov")
    assert reg.version != REG.version


PACKAGED = load_registry()


def packaged_ids(text):
    return [(m.entity_id, m.text, m.via) for m in find_officials(text, PACKAGED).mentions]


def test_hungarian_names_are_given_name_first():
    assert surname_of("Viktor Orbán", "HU") == "Orbán"
    found = packaged_ids("Viktor Orbán met the press. Later Orbán said more.")
    assert found[-1] == ("hu-viktor-orban", "Orbán", "surname")


def test_surname_order_is_decided_per_alias():
    assert surname_of("Kuo Ya-hui", "TW") == "Kuo"
    assert surname_of("Karen Kuo", "TW") == "Kuo"  # Western order: "Karen" is a given name
    assert surname_of("William Lai", "TW") == "Lai"
    assert surname_of("William Lai Ching-te", "TW") == "Lai"
    assert surname_of("Xi Jinping", "CN") == "Xi"
    assert surname_of("Kim Jong Un", "KP") == "Kim"
    assert "Karen" not in PACKAGED.surnames and "William" not in PACKAGED.surnames
    assert packaged_ids("Karen Kuo spoke. Kuo said")[-1] == ("tw-karen-kuo", "Kuo", "surname")


def test_regnal_numbers_are_not_surnames():
    for name, want in [
        ("Felipe VI", "Felipe"),
        ("King Mohammed VI", "Mohammed"),
        ("Pope Leo XIV", "Leo"),
        ("Charles III", "Charles"),
        ("Felipe VI of Spain", "Felipe"),
        ("Abdullah II of Jordan", "Abdullah"),
    ]:
        assert surname_of(name, "ES") == want, name
    for numeral in ["VI", "X", "XIV", "II", "III", "Spain", "Jordan"]:
        assert numeral not in PACKAGED.surnames, numeral
    found = packaged_ids("King Felipe VI spoke. Felipe said")
    assert found[-1] == ("es-king-felipe-vi", "Felipe", "surname")


def test_name_particles_match_either_case():
    for text in ["Adel al-Jubeir said", "Adel Al-Jubeir said"]:
        assert packaged_ids(text)[0][:2] == ("sa-adel-al-jubeir", text.removesuffix(" said"))
    found = packaged_ids("Adel al-Jubeir arrived. Al-Jubeir said, and al-Jubeir added")
    assert [f[1:] for f in found[1:]] == [("Al-Jubeir", "surname"), ("al-Jubeir", "surname")]
    assert packaged_ids("Mr. Al-Jubeir said")[0][:2] == ("sa-adel-al-jubeir", "Al-Jubeir")


def test_particle_normalisation_leaves_common_words_alone():
    reg = load_registry([SMALL], packaged=False)
    assert reg.find_names("the de facto leader and van drivers of the el nino") == []
    assert normalise_particles("Bart De Wever and De Gaulle; De facto") == (
        "Bart de Wever and de Gaulle; De facto"
    )
    assert packaged_ids("a bill on the bart de wever estate") == []


def test_western_given_name_before_chinese_order():
    assert surname_of("Lawrence Wong Shyun Tsai", "SG") == "Wong"
    assert "Tsai" not in PACKAGED.surnames or PACKAGED.surnames["Tsai"] == ["tw-tsai-ing-wen"]


def test_reporting_verb_is_not_a_surname_without_title():
    text = "Sultan Haitham bin Tariq Al Said met envoys. Said one envoy: it went well."
    assert [m.text for m in find_officials(text, PACKAGED).mentions] == ["Sultan Haitham bin Tariq"]


def test_surname_scan_takes_whole_tokens_only():
    text = "Emmanuel Macron spoke. The anti-Macron camp and Macronist voters met. Macron said"
    found = [(m.text, m.via) for m in find_officials(text, REG).mentions]
    assert found == [("Emmanuel Macron", "name"), ("Macron", "surname")]


def test_discovered_surname_resolves_without_registry_index():
    res = find_officials("Japanese Prime Minister Shigeru Ishiba met. Ishiba said; Ishibas", REG)
    assert [m.text for m in res.mentions] == ["Shigeru Ishiba", "Ishiba"]


def test_discovery_candidates_find_what_the_regex_scan_finds() -> None:
    """The automaton-seeded scan returns exactly DISCOVERY.finditer's matches."""
    import json
    from pathlib import Path

    from monitor.extract.officials import DISCOVERY, _discovery_matches

    texts = [
        json.loads(line)["text"]
        for line in (Path(__file__).parent / "labelled" / "passages.jsonl").read_text().splitlines()
    ]
    texts += [
        "Vice President Vice Premier Li Qiang met Deputy Prime Minister Anna Berg and "
        "Minister of Foreign Affairs Jan Kowalski; the Service Minister Tom Lee, former "
        "president Joe Biden, Secretary-General António Guterres, Crown Prince Mohammed Salman.",
        "Prime Minister Prime Minister Keir Starmer. Foreign Minister Foreign Minister.",
        "",
    ]
    for text in texts:
        got = [(m.span(), m.group("name")) for m in _discovery_matches(text)]
        assert got == [(m.span(), m.group("name")) for m in DISCOVERY.finditer(text)]


def test_normalise_particles_shortcut_equals_the_regex():
    """normalise_particles returns the text untouched when no capitalised particle stands
    before "-" or " "; otherwise (and for any text) the regex's result."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from monitor.extract.officials import _CAP_PARTICLE, _lower, normalise_particles

    pieces = st.sampled_from(
        [
            "Al",
            "El",
            "De",
            "Del",
            "Van",
            "von",
            "La",
            "Di",
            "Bin",
            "al",
            " ",
            "-",
            "X",
            "Wever",
            "Also",
            "’",
            "_",
            "\ud800",
            "é",
        ]
    )

    @settings(max_examples=500, deadline=None)
    @given(st.lists(pieces, max_size=12))
    def check(parts: list[str]) -> None:
        text = "".join(parts)
        assert normalise_particles(text) == _CAP_PARTICLE.sub(_lower, text)

    check()


def test_discovery_for_matches_equal_finditer():
    """_discover tries DISCOVERY_FOR only before each "pokes": the matches of finditer."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from monitor.extract.officials import DISCOVERY_FOR, _discovery_for_matches

    pieces = st.sampled_from(
        [
            "spokesman for the ministry, ",
            "Spokeswoman of ",
            "spokes",
            "pokes",
            "S",
            "s",
            "Mao Ning",
            "Anna Ivanova",
            " ",
            ", ",
            "the Kremlin",
            "sSpokesperson for x, Li Wei",
        ]
    )

    def spans(ms):
        return [(m.span(), m.groupdict()) for m in ms]

    @settings(max_examples=500, deadline=None)
    @given(st.lists(pieces, max_size=10))
    def check(parts: list[str]) -> None:
        text = "".join(parts)
        assert spans(_discovery_for_matches(text)) == spans(DISCOVERY_FOR.finditer(text))

    check()
    text = (
        "A spokesman for the foreign ministry, Mao Ning, said; spokesperson of the EU, Anna Ivanova"
    )
    assert len(spans(_discovery_for_matches(text))) == 2
