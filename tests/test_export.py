"""Exports: CSV safety and BOM, JSONL, Parquet manifest, chunking, and the CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from monitor.cli import main
from monitor.export import (
    csv_cell,
    export_file,
    make_manifest,
    read_parquet_manifest,
    write_batches,
)
from monitor.filters import Filters
from monitor.store import open_store
from tests.dashboard_fixtures import build_db


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_db(tmp_path_factory.mktemp("export"))


@pytest.fixture
def store(db):
    s = open_store(db)
    yield s
    s.close()


def read_csv(path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM for Excel"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell):
    assert csv_cell(cell) == "'" + cell


def test_plain_cells_and_lists():
    assert csv_cell("Moscow") == "Moscow"
    assert csv_cell(["RU", "UA"]) == "RU; UA"
    assert csv_cell(None) == ""
    assert csv_cell(datetime(2024, 5, 1, 12)) == "2024-05-01T12:00:00Z"


def test_article_csv_has_required_columns_and_safe_title(store, tmp_path):
    out = tmp_path / "articles.csv"
    result = export_file(store, "articles", "csv", Filters(unique_stories=False), out)
    rows = read_csv(out)
    assert result.rows == len(rows) == store.count_articles()
    assert {
        "id",
        "story_id",
        "source",
        "url",
        "title",
        "published",
        "language",
        "text",
        "countries",
        "officials",
    } <= rows[0].keys()
    evil = next(r for r in rows if "HYPERLINK" in r["title"])
    assert evil["title"].startswith("'=")
    assert all(r["published"].endswith("Z") for r in rows)
    zakharova = [r for r in rows if "Maria Zakharova" in r["officials"]]
    assert zakharova and all("RU" in r["countries"].split("; ") for r in zakharova)
    manifest = json.loads((tmp_path / "articles.csv.manifest.json").read_text())
    assert manifest["rows"] == len(rows) and manifest["kind"] == "articles"
    assert manifest["cleaner_version"] != "unknown"


def test_filters_apply_to_exports(store, tmp_path):
    out = tmp_path / "q.jsonl"
    filters = Filters(query="sanction*", speakers=("Maria Zakharova",))
    result = export_file(store, "quotes", "jsonl", filters, out)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert result.rows == len(lines) == 2
    assert {q["speaker"] for q in lines} == {"Maria Zakharova"}
    assert all(q["published"].endswith("Z") for q in lines)
    manifest = json.loads((tmp_path / "q.jsonl.manifest.json").read_text())
    assert manifest["filters"]["query"] == "sanction*"


def test_unique_stories_keeps_one_copy_per_story(store, tmp_path):
    every = export_file(
        store, "articles", "jsonl", Filters(unique_stories=False), tmp_path / "a.jsonl"
    ).rows
    unique = export_file(
        store, "articles", "jsonl", Filters(unique_stories=True), tmp_path / "u.jsonl"
    ).rows
    stories = store.con.execute("SELECT count(DISTINCT story_id) FROM articles").fetchone()[0]
    assert unique == stories < every


def test_parquet_carries_manifest_and_utc_times(store, tmp_path):
    out = tmp_path / "m.parquet"
    result = export_file(store, "mentions", "parquet", Filters(countries=("RU",)), out)
    table = pq.read_table(out)
    assert table.num_rows == result.rows > 0
    assert table.schema.field("published").type == pa.timestamp("us", tz="UTC")
    manifest = read_parquet_manifest(out)
    assert manifest["rows"] == result.rows and manifest["filters"]["countries"] == ["RU"]
    assert {"cleaner_version", "extractor_version", "registry_version"} <= manifest.keys()
    assert not (tmp_path / "m.parquet.manifest.json").exists()


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_more_rows_than_one_batch(fmt):
    n = 12_345
    table = pa.table({"i": pa.array(range(n)), "t": pa.array(["=x"] * n)})
    buf = io.BytesIO()
    result = write_batches(
        table.to_reader(max_chunksize=1000), fmt, buf, make_manifest("rows", fmt, None, 0)
    )
    assert result.rows == n
    data = buf.getvalue()
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert len(rows) == n + 1 and rows[-1] == [str(n - 1), "'=x"]
    elif fmt == "jsonl":
        assert len(data.splitlines()) == n
    else:
        assert pq.read_metadata(io.BytesIO(data)).num_row_groups > 1
        assert read_parquet_manifest(io.BytesIO(data))["rows"] == n


def test_export_streams_in_batches(store, tmp_path):
    result = export_file(store, "mentions", "csv", Filters(), tmp_path / "m.csv", batch_rows=2)
    assert result.rows == len(read_csv(tmp_path / "m.csv")) > 2


def test_cli_export(db, tmp_path, capsys):
    out = tmp_path / "cli.csv"
    code = main(
        [
            "export",
            "--db",
            str(db),
            "--format",
            "csv",
            "--out",
            str(out),
            "--country",
            "tr",
            "--query",
            "grain",
        ]
    )
    assert code == 0, capsys.readouterr().err
    rows = read_csv(out)
    assert len(rows) == 2 and all("TR" in r["countries"] for r in rows)
    assert "exported 2 articles" in capsys.readouterr().out


def test_cli_export_reports_bad_query(db, tmp_path, capsys):
    code = main(
        [
            "export",
            "--db",
            str(db),
            "--format",
            "csv",
            "--out",
            str(tmp_path / "x.csv"),
            "--query",
            "(grain",
        ]
    )
    assert code == 2
    assert "never closed" in capsys.readouterr().err
