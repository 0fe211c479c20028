"""Pure helpers that shape query results for plotly charts (no Streamlit, no I/O)."""

from __future__ import annotations

import pandas as pd

OTHER = "Other sources"


def top_and_rest(
    series: pd.DataFrame, key: str, value: str, top: int, other: str = OTHER
) -> pd.DataFrame:
    """`series` (bucket, key, value) with every key outside the `top` largest totals summed
    into one `other` row per bucket.

    A stacked chart of 300 sources draws 300 traces and a 300-entry legend: seconds of
    plotly work on the server and in the browser, and no reader can tell the colours
    apart. Ties in the totals are broken by name so the same keys win on every run."""
    if series.empty or series[key].nunique() <= top:
        return series
    totals = series.groupby(key, sort=False)[value].sum().reset_index()
    kept = totals.sort_values([value, key], ascending=[False, True])[key].head(top)
    inside = series[key].isin(kept)
    rest = series[~inside].groupby("bucket", as_index=False)[value].sum()
    label = f"{other} ({series[key].nunique() - top})"
    rest.insert(1, key, label)
    return pd.concat([series[inside], rest], ignore_index=True)


# plotly express draws a line chart of more than 1,000 points with WebGL; without a GPU (a
# headless or virtual machine, a locked-down laptop) that is a software rasteriser, and a
# year of 8 daily lines (2,920 points) took ~1.5 s more browser CPU than SVG paths did.
# Beyond this many points SVG gets slower than WebGL even there (hourly over months).
SVG_MAX_POINTS = 10_000


def line_render_mode(points: int) -> str:
    """The `render_mode` for px.line with this many points."""
    return "svg" if points <= SVG_MAX_POINTS else "webgl"
