"""Keyword query language: parsing, error positions, and evaluation against a real DuckDB."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor import terms
from monitor.keyword import And, Not, Or, QueryError, Term, describe, matching_ids, parse_query
from monitor.store import open_store

DOCS = {
    "a1": ("Sanctions on Russia", "The EU imposed new sanctions on Russia on Monday."),
    "a2": ("Grain deal", "Ukraine and Turkey discussed the grain corridor."),
    "a3": ("Talks", "Russia and Ukraine held talks in Istanbul, Turkey."),
    "a4": ("Sanctioned banks", "Banks were sanctioned. Russian officials said nothing."),
    "a5": ("Россия", "Министр иностранных дел России заявил о переговорах."),
    "a6": ("Prices", "Oil prices 100% up; the C++ and U.S. markets (sic) reacted."),
}
BASE = {"since": None, "until": None, "sources": None, "languages": None}


@pytest.fixture(scope="module", params=["scan", "index"])
def con(request, tmp_path_factory):
    """The documents, searched by scanning (rows written without the index) or through the
    keyword index (rebuilt after the rows were written): every test runs on both paths."""
    store = open_store(tmp_path_factory.mktemp("kw") / "kw.duckdb")
    when = datetime(2024, 5, 1)
    for i, (art_id, (title, text)) in enumerate(DOCS.items()):
        store.con.execute(
            "INSERT INTO articles (id, feed, title, text, published, published_source, "
            "fetched_at, updated_at, raw_kind, content_hash, language) "
            "VALUES (?, 'wire', ?, ?, ?, 'published', ?, ?, 'html', 'h', 'en')",
            [art_id, title, text, when.replace(day=i + 1), when, when],
        )
    if request.param == "index":
        with store.transaction() as cur:
            terms.rebuild(cur)
    cur = store.cursor()
    assert terms.in_step(cur) == (request.param == "index")
    yield cur
    store.close()


def ids(con, query: str) -> set[str]:
    return matching_ids(con, parse_query(query), BASE)


# --- parsing ------------------------------------------------------------------------------------


def test_blank_query_is_none():
    assert parse_query("   ") is None


def test_implicit_and_and_precedence():
    node = parse_query("russia ukraine OR turkey")
    assert node == Or((And((Term("russia"), Term("ukraine"))), Term("turkey")))


def test_not_forms_and_phrases():
    assert parse_query('-russia "grain  corridor"') == And(
        (Not(Term("russia")), Term("grain corridor", phrase=True))
    )
    assert parse_query("NOT (a OR b)") == Not(Or((Term("a"), Term("b"))))
    assert parse_query("covid-19") == Term("covid-19")


def test_prefix_and_describe():
    node = parse_query("sanction* AND (eu OR “united nations”)")
    assert describe(node) == '(sanction* AND (eu OR "united nations"))'


@pytest.mark.parametrize(
    ("query", "fragment", "position"),
    [
        ("(russia", "never closed", 0),
        ("russia)", "no matching", 6),
        ("russia AND", "AND needs a term after it", 7),
        ("OR russia", "OR needs a term before it", 0),
        ('""', "empty phrase", 0),
        ('"grain', "unterminated phrase", 0),
        ("russia -", "- needs a term", 7),
        ("()", "empty parentheses", 0),
        ("*", "prefix search needs", 0),
        ("a*b", "only at the end", 1),
        ("NOT", "NOT needs a term after it", 0),
    ],
)
def test_malformed_queries_say_what_and_where(query, fragment, position):
    with pytest.raises(QueryError) as info:
        parse_query(query)
    assert fragment in info.value.message
    assert info.value.position == position
    assert f"character {position + 1}" in str(info.value)


# --- evaluation ---------------------------------------------------------------------------------


def test_whole_word_case_insensitive(con):
    assert ids(con, "RUSSIA") == {"a1", "a3"}  # not "Russian"
    assert ids(con, "russia*") == {"a1", "a3", "a4"}


def test_boolean_combinations(con):
    assert ids(con, "russia ukraine") == {"a3"}
    assert ids(con, "russia OR turkey") == {"a1", "a2", "a3"}
    assert ids(con, "turkey -russia") == {"a2"}
    assert ids(con, "NOT russia*") == {"a2", "a5", "a6"}
    assert ids(con, "(grain OR sanction*) AND NOT eu") == {"a2", "a4"}


def test_phrases_match_across_whitespace(con):
    assert ids(con, '"grain corridor"') == {"a2"}
    assert ids(con, '"corridor grain"') == set()


def test_cyrillic_whole_word(con):
    assert ids(con, "россии") == {"a5"}
    assert ids(con, "росс") == set()
    assert ids(con, "росс*") == {"a5"}


def test_regex_and_like_metacharacters_are_literal(con):
    assert ids(con, "100%") == {"a6"}
    assert ids(con, "c++") == {"a6"}
    assert ids(con, "u.s.") == {"a6"}
    assert ids(con, "(sic)") == {"a6"}
    assert ids(con, "s_c") == set()
    assert ids(con, "us") == set()


def test_date_filter_limits_literals_and_not(con):
    params = {**BASE, "since": datetime(2024, 5, 3), "until": datetime(2024, 5, 5)}
    assert matching_ids(con, parse_query("russia*"), params) == {"a3", "a4"}
    assert matching_ids(con, parse_query("-russia"), params) == {"a4"}


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=40))
def test_random_text_only_raises_query_error_and_runs(con, text):
    try:
        node = parse_query(text)
    except QueryError:
        return
    matching_ids(con, node, BASE)  # must not raise any SQL or regex error


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(['"', "(", ")", "-", "*", "AND", "OR", "NOT", "x", "é", " ", "\\"]),
        max_size=12,
    )
)
def test_operator_soup_only_raises_query_error(con, parts):
    try:
        node = parse_query(" ".join(parts))
    except QueryError:
        return
    matching_ids(con, node, BASE)
