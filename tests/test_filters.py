"""Filters: URL round-trip, validation messages, SQL parameters."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.filters import FilterError, Filters, parse_query_params

names = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)


@given(
    start=st.none() | st.dates(),
    query=st.text(max_size=30),
    countries=st.lists(st.sampled_from(["RU", "UA", "TR", "FR"]), unique=True).map(tuple),
    speakers=st.lists(names, unique=True, max_size=3).map(tuple),
    sources=st.lists(names, unique=True, max_size=3).map(tuple),
    spokes=st.booleans(),
    unique=st.booleans(),
)
def test_round_trip_through_query_params(
    start, query, countries, speakers, sources, spokes, unique
):
    filters = Filters(
        start=start,
        end=start,
        query=query,
        countries=countries,
        officials=("off-1",),
        speakers=speakers,
        spokespersons_only=spokes,
        sources=sources,
        languages=("en",),
        unique_stories=unique,
    )
    assert Filters.from_query_params(filters.to_query_params()) == filters


def test_defaults_make_an_empty_url():
    assert Filters().to_query_params() == {}
    assert Filters.from_query_params({}) == Filters()


def test_bad_values_are_reported_and_dropped():
    filters, errors = parse_query_params({"from": "2024-13-01", "q": "x", "unique": "maybe"})
    assert filters == Filters(query="x")
    assert any("'2024-13-01' is not a date" in e for e in errors)
    assert any("unique stories must be 1 or 0" in e for e in errors)
    with pytest.raises(FilterError, match="not a date"):
        Filters.from_query_params({"to": "yesterday"})


def test_end_before_start_is_explained():
    with pytest.raises(
        FilterError, match="end date 2024-05-01 is before the start date 2024-05-02"
    ):
        Filters(start=date(2024, 5, 2), end=date(2024, 5, 1)).validate()
    filters, errors = parse_query_params({"from": "2024-05-02", "to": "2024-05-01"})
    assert filters.start == date(2024, 5, 2) and filters.end is None and errors


def test_sql_params_end_day_is_inclusive_and_empty_is_null():
    params = Filters(start=date(2024, 5, 1), end=date(2024, 5, 3), sources=("wire",)).sql_params()
    assert params["since"] == datetime(2024, 5, 1)
    assert params["until"] == datetime(2024, 5, 4)
    assert params["sources"] == ["wire"]
    assert params["countries"] is None and params["spokes"] is False


def test_repeated_keys_and_single_strings_both_work():
    filters = Filters.from_query_params({"country": ["RU", "UA", "RU"], "source": "wire"})
    assert filters.countries == ("RU", "UA") and filters.sources == ("wire",)
