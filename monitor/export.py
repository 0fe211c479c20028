"""Exports of filtered articles, quotes and mentions as CSV, JSON Lines or Parquet.

Rows stream from DuckDB as Arrow record batches and are written batch by batch, so an export
never holds its whole result in memory. Every export carries a manifest (filters, time, row
count, pipeline versions): Parquet key-value metadata, or `<out>.manifest.json` beside a CSV
or JSONL file.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from monitor.filters import Filters, filtered_ids, register_filtered, relation

KINDS = ("articles", "quotes", "mentions")
FORMATS = ("csv", "jsonl", "parquet")
BATCH_ROWS = 5_000
MANIFEST_KEY = b"monitor.manifest"
MIME = {
    "csv": "text/csv",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}
# Cells starting with these are formulas to Excel/LibreOffice (OWASP CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- manifest -----------------------------------------------------------------------------------


def _version(module: str, name: str) -> str:
    """A pipeline version constant; "unknown" only when its module is not installed."""
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return "unknown"
    return str(getattr(mod, name, "unknown"))


def pipeline_versions() -> dict[str, str]:
    return {
        "cleaner_version": _version("monitor.clean", "CLEANER_VERSION"),
        "extractor_version": _version("monitor.extract", "EXTRACTOR_VERSION"),
        "registry_version": _version("monitor.extract", "REGISTRY_VERSION"),
    }


def make_manifest(
    kind: str, fmt: str, filters: Filters | None, rows: int, exported_at: datetime | None = None
) -> dict[str, Any]:
    when = exported_at or datetime.now(UTC)
    return {
        "kind": kind,
        "format": fmt,
        "rows": rows,
        "exported_at": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "filters": filters.manifest() if filters is not None else None,
        **pipeline_versions(),
    }


# --- cell conversion ----------------------------------------------------------------------------


def iso_utc(value: datetime) -> str:
    """Naive datetimes in the store are UTC: ISO 8601 with a Z."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="seconds") + "Z"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def neutralise(cell: str) -> str:
    """Prefix a would-be formula with a single quote so spreadsheets show it as text."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = "; ".join(str(_plain(v)) for v in value)
    return neutralise(str(_plain(value)))


# --- writers ------------------------------------------------------------------------------------


def _rows(batches: Iterable[pa.RecordBatch]) -> Iterator[tuple[list[str], list[dict]]]:
    for batch in batches:
        if batch.num_rows:
            yield batch.schema.names, batch.to_pylist()


def write_csv(batches: Iterable[pa.RecordBatch], schema: pa.Schema, out: IO[bytes]) -> int:
    """UTF-8 with a BOM (so Excel reads it as UTF-8), formula cells neutralised."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(schema.names)
    count = 0
    for names, rows in _rows(batches):
        writer.writerows([csv_cell(row[n]) for n in names] for row in rows)
        count += len(rows)
    text.flush()
    text.detach()  # leave `out` open for the caller
    return count


def write_jsonl(batches: Iterable[pa.RecordBatch], out: IO[bytes]) -> int:
    count = 0
    for _, rows in _rows(batches):
        lines = (
            json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False) for row in rows
        )
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
        count += len(rows)
    return count


def _utc_schema(schema: pa.Schema) -> pa.Schema:
    """Naive timestamps are UTC: say so in the Parquet schema."""
    fields = [
        pa.field(f.name, pa.timestamp(f.type.unit, tz="UTC"), f.nullable)
        if pa.types.is_timestamp(f.type) and f.type.tz is None
        else f
        for f in schema
    ]
    return pa.schema(fields)


def write_parquet(
    batches: Iterable[pa.RecordBatch], schema: pa.Schema, out: IO[bytes], manifest: dict[str, Any]
) -> int:
    """Row groups are written batch by batch; the manifest (with the final row count) goes
    into the file's key-value metadata before the footer is written."""
    target = _utc_schema(schema)
    count = 0
    with pq.ParquetWriter(out, target, compression="zstd") as writer:
        for batch in batches:
            if batch.num_rows:
                writer.write_batch(batch.cast(target))
                count += batch.num_rows
        writer.add_key_value_metadata({MANIFEST_KEY: json.dumps({**manifest, "rows": count})})
    return count


@dataclass(frozen=True)
class ExportResult:
    rows: int
    manifest: dict[str, Any]


def write_batches(
    reader: pa.RecordBatchReader, fmt: str, out: IO[bytes], manifest: dict[str, Any]
) -> ExportResult:
    """Write every batch of `reader` to `out` in `fmt`; the manifest gets the row count."""
    if fmt == "csv":
        rows = write_csv(reader, reader.schema, out)
    elif fmt == "jsonl":
        rows = write_jsonl(reader, out)
    elif fmt == "parquet":
        rows = write_parquet(reader, reader.schema, out, manifest)
    else:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    return ExportResult(rows, {**manifest, "rows": rows})


def frame_bytes(frame, fmt: str, manifest: dict[str, Any]) -> bytes:
    """A small in-memory table (a chart's series) in `fmt`, for a download button."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    buf = io.BytesIO()
    write_batches(table.to_reader(max_chunksize=BATCH_ROWS), fmt, buf, manifest)
    return buf.getvalue()


# --- exports from the store ---------------------------------------------------------------------


def query_reader(
    cur, kind: str, filters: Filters, batch_rows: int = BATCH_ROWS
) -> pa.RecordBatchReader:
    """Stream the export query of `kind` over the filtered articles (registers `_f` on cur)."""
    if kind not in KINDS:
        raise ValueError(f"unknown export kind {kind!r}; use one of {', '.join(KINDS)}")
    register_filtered(cur, filtered_ids(cur, filters))
    params = filters.sql_params()
    extra: dict[str, Any] = {}
    if kind == "quotes":
        extra = {"speakers": params["speakers"], "spokes": params["spokes"]}
    elif kind == "articles":
        extra = {"unique": filters.unique_stories}
    return relation(cur, f"export_{kind}", **extra).to_arrow_reader(batch_rows)


def export_to(
    store, kind: str, fmt: str, filters: Filters, out: IO[bytes], batch_rows: int = BATCH_ROWS
) -> ExportResult:
    """Export to an open binary stream using a cursor of its own (safe from any thread)."""
    with store.cursor() as cur:
        reader = query_reader(cur, kind, filters, batch_rows)
        return write_batches(reader, fmt, out, make_manifest(kind, fmt, filters, 0))


def export_file(
    store, kind: str, fmt: str, filters: Filters, path: Path, batch_rows: int = BATCH_ROWS
) -> ExportResult:
    """Export to `path` (written beside, then moved into place); CSV and JSONL get a
    `<path>.manifest.json` side file."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("wb") as fh:
        result = export_to(store, kind, fmt, filters, fh, batch_rows)
    tmp.replace(path)
    if fmt != "parquet":
        manifest_path(path).write_text(
            json.dumps(result.manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return result


def export_bytes(store, kind: str, fmt: str, filters: Filters) -> bytes:
    buf = io.BytesIO()
    export_to(store, kind, fmt, filters, buf)
    return buf.getvalue()


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def read_parquet_manifest(path_or_file) -> dict[str, Any]:
    meta = pq.read_metadata(path_or_file).metadata or {}
    return json.loads(meta[MANIFEST_KEY])


# --- CLI ----------------------------------------------------------------------------------------


def filters_from_args(args: argparse.Namespace) -> Filters:
    def day(text: str | None, what: str) -> date | None:
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"--{what} {text!r} is not a date like 2024-05-31") from None

    return Filters(
        start=day(args.since, "since"),
        end=day(args.until, "until"),
        query=args.query or "",
        countries=tuple(c.upper() for c in args.country or ()),
        officials=tuple(args.official or ()),
        speakers=tuple(args.speaker or ()),
        spokespersons_only=args.spokespersons_only,
        sources=tuple(args.source or ()),
        languages=tuple(args.language or ()),
        unique_stories=args.unique_stories,
    ).validate()


def cmd_export(args: argparse.Namespace, settings) -> int:
    from monitor.keyword import QueryError
    from monitor.store import open_store

    try:
        filters = filters_from_args(args)
        filters.keyword_node()
    except QueryError as exc:
        print(f"error: --query: {exc}", file=sys.stderr)
        return 2
    store = open_store(settings.db_path)
    try:
        result = export_file(store, args.kind, args.format, filters, Path(args.out))
    finally:
        store.close()
    side = "" if args.format == "parquet" else f" (manifest: {manifest_path(Path(args.out))})"
    print(f"exported {result.rows} {args.kind} to {args.out}{side}")
    return 0


def register(sub, with_db) -> None:
    p = with_db(sub.add_parser("export", help="export filtered articles, quotes or mentions"))
    p.add_argument("--format", choices=FORMATS, required=True)
    p.add_argument("--out", required=True, help="file to write")
    p.add_argument("--kind", choices=KINDS, default="articles")
    p.add_argument("--since", metavar="DATE", help="first day (YYYY-MM-DD, UTC)")
    p.add_argument("--until", metavar="DATE", help="last day, inclusive")
    p.add_argument("--query", metavar="Q", help="keyword query, e.g. 'sanction* -\"grain deal\"'")
    p.add_argument("--country", action="append", metavar="ISO2", help="repeatable")
    p.add_argument("--official", action="append", metavar="ID", help="registry id; repeatable")
    p.add_argument("--speaker", action="append", metavar="NAME", help="quoted speaker; repeatable")
    p.add_argument(
        "--spokespersons-only",
        action="store_true",
        help="only articles (and quotes) with a spokesperson quoted",
    )
    p.add_argument("--source", action="append", metavar="NAME", help="feed name; repeatable")
    p.add_argument("--language", action="append", metavar="CODE", help="repeatable")
    p.add_argument(
        "--unique-stories",
        action="store_true",
        help="articles: one row per story (its earliest copy) instead of every copy",
    )
    p.set_defaults(func=cmd_export)
