"""World country polygons for the offline choropleth.

`monitor/data/world.geojson` was generated once from Natural Earth's 1:110m
"admin 0 countries" layer (as shipped in geopandas 0.14's `naturalearth_lowres` dataset):
coordinates rounded to 0.01°, each feature's `id` set to its ISO 3166-1 alpha-2 code
(France, Norway and Kosovo fixed by name; Northern Cyprus and Somaliland have no code and were
left out). Natural Earth is in the public domain (https://www.naturalearthdata.com/about/terms-of-use/).

Plotly would otherwise fetch world topojson from a CDN; with this geometry and `visible=False`
on the geo subplot nothing leaves the dashboard's own server.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import plotly.graph_objects as go

WORLD = Path(__file__).resolve().parent / "data" / "world.geojson"
# plotly.js fetches its base-map topojson (from a CDN by default) even when every base layer
# is hidden; an empty topology as a data: URL satisfies it without any request. plotly.js
# appends "<name>.json" to this prefix, which the trailing "#" turns into a fragment.
_EMPTY_TOPOLOGY = '{"type":"Topology","objects":{},"arcs":[]}'
PLOTLY_CONFIG = {
    "displayModeBar": False,
    "topojsonURL": "data:application/json," + quote(_EMPTY_TOPOLOGY) + "#",
}


@cache
def world() -> dict:
    return json.loads(WORLD.read_text(encoding="utf-8"))


@cache
def codes() -> frozenset[str]:
    return frozenset(f["id"] for f in world()["features"])


def choropleth(totals: pd.DataFrame, value: str = "mentions", label: str = "Mentions") -> go.Figure:
    """A world map of `totals` (columns entity_id = ISO2, name, `value`), drawn offline."""
    shown = totals[totals["entity_id"].isin(codes())]
    fig = go.Figure(
        go.Choropleth(
            geojson=world(),
            featureidkey="id",
            locationmode="geojson-id",  # never the CDN topojson
            locations=shown["entity_id"],
            z=shown[value],
            text=shown["name"].map(lambda v: html.escape(str(v), quote=False)),  # plotly HTML
            hovertemplate="%{text}: %{z}<extra></extra>",
            colorscale="Blues",
            marker_line_width=0.3,
            colorbar_title=label,
        )
    )
    # Every country as a light outline underneath, so the map reads as a world map
    fig.add_trace(
        go.Choropleth(
            geojson=world(),
            featureidkey="id",
            locationmode="geojson-id",  # never the CDN topojson
            locations=sorted(codes()),
            z=[0] * len(codes()),
            colorscale=[[0, "rgba(148,163,184,0.15)"], [1, "rgba(148,163,184,0.15)"]],
            showscale=False,
            hoverinfo="skip",
            marker_line_width=0.3,
        )
    )
    fig.data = fig.data[::-1]  # the outline layer below the data layer
    fig.update_geos(visible=False, fitbounds="locations", projection_type="natural earth")
    fig.update_layout(height=460, margin={"l": 0, "r": 0, "t": 0, "b": 0})
    return fig
