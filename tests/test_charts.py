"""monitor.charts: the long tail of a per-source series folded into one 'other' row."""

from __future__ import annotations

import pandas as pd

from monitor.charts import top_and_rest


def series(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["bucket", "source", "articles"])


def test_few_keys_are_left_alone():
    s = series([("d1", "A", 3), ("d1", "B", 1)])
    assert top_and_rest(s, "source", "articles", top=2) is s


def test_the_tail_is_summed_per_bucket_and_totals_are_kept():
    s = series(
        [("d1", "A", 10), ("d1", "B", 5), ("d1", "C", 1), ("d1", "D", 2), ("d2", "A", 1)]
        + [("d2", "C", 4), ("d2", "B", 1)]
    )
    out = top_and_rest(s, "source", "articles", top=2)
    # totals: A 11, B 6, C 5, D 2 -> A and B kept, C and D folded
    assert set(out.source) == {"A", "B", "Other sources (2)"}
    other = out[out.source == "Other sources (2)"].set_index("bucket")["articles"].to_dict()
    assert other == {"d1": 3, "d2": 4}
    assert out.articles.sum() == s.articles.sum()
    assert out.groupby("bucket").articles.sum().to_dict() == {"d1": 18, "d2": 6}


def test_ties_are_broken_by_name():
    s = series([("d1", "B", 1), ("d1", "A", 1), ("d1", "C", 1)])
    out = top_and_rest(s, "source", "articles", top=2)
    assert set(out.source) == {"A", "B", "Other sources (1)"}


def test_empty_series():
    s = series([])
    assert top_and_rest(s, "source", "articles", top=3).empty


def test_line_charts_use_svg_up_to_the_limit_then_webgl():
    from monitor.charts import SVG_MAX_POINTS, line_render_mode

    assert line_render_mode(2_920) == "svg"  # a year of 8 daily lines
    assert line_render_mode(SVG_MAX_POINTS) == "svg"
    assert line_render_mode(SVG_MAX_POINTS + 1) == "webgl"
