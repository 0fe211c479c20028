from datetime import date
from pathlib import Path

from monitor.extract.officials import find_officials, load_registry

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
