"""`python -m monitor ...` — exit codes: 0 ok, 1 failure, 2 usage error, 3 (import, poll)
done, but some articles were stored without their cleaning or extraction, which raised
(`monitor errors` lists them)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from monitor import feeds as feeds_mod
from monitor.config import Settings, load_settings
from monitor.store import StoreError

Handler = Callable[[argparse.Namespace, Settings], int]


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(db_path=getattr(args, "db", None), feeds_path=getattr(args, "feeds", None))


def _runtime(settings: Settings):
    from monitor.runtime import open_runtime

    # DuckDB's default threads, not writer_only: with one thread the writer thread does all
    # the DuckDB work and caps the import (BENCHMARKS.md, round 7: 20k articles, 215/253
    # items/s with 1 thread vs 274/269 with the default, alternating)
    return open_runtime(settings)


def _err(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


# Exit status of an import or poll that stored everything, some articles without their
# processing (a bug of ours on their input): not a failure (nothing is lost, and running it
# again changes nothing), but a script should be able to tell.
PARTLY_PROCESSED = 3


def _unprocessed_status(results) -> int:
    """0, or PARTLY_PROCESSED (with a note on stderr) when articles lack their processing."""
    failed = sum(r.failed for r in results if r is not None)
    if not failed:
        return 0
    print(
        f"warning: {failed} article(s) stored without their cleaning or extraction, which "
        "raised; `python -m monitor errors` lists them with the error",
        file=sys.stderr,
    )
    return PARTLY_PROCESSED


# --- poll -------------------------------------------------------------------------------------


def cmd_poll(args: argparse.Namespace, settings: Settings) -> int:
    if not feeds_mod.load_feeds(settings.feeds_path):
        return _err(
            f"no feeds configured in {settings.feeds_path}; add one with "
            "`python -m monitor feeds add NAME URL`"
        )
    runtime = _runtime(settings)
    try:
        poller = runtime.poller()
        if args.forever:
            logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
            poller.run_forever(threading.Event(), on_report=lambda r: print(r.line(), flush=True))
            return 0
        reports = poller.poll_once(force=True)
        for report in reports:
            print(report.line())
        if reports and all(r.error for r in reports):
            return 1
        return _unprocessed_status([r.result for r in reports])
    finally:
        runtime.close()


# --- feeds ------------------------------------------------------------------------------------


def cmd_feeds_list(args: argparse.Namespace, settings: Settings) -> int:
    configured = feeds_mod.load_feeds(settings.feeds_path)
    if not configured:
        print(f"no feeds configured in {settings.feeds_path}")
        return 0
    health = _health(settings)
    for f in configured:
        h = health.get(f.name)
        state = "never fetched" if h is None else _health_line(h)
        print(f"{f.name}\t{f.url}\tevery {f.interval_s}s\t{state}")
    return 0


def _health(settings: Settings) -> dict:
    if not settings.db_path.exists():
        return {}
    from monitor.poller import load_health
    from monitor.store import open_store

    store = open_store(settings.db_path)
    try:
        rows = {r[0]: r for r in store.query("feed_states")}
        errors = dict(store.query("article_error_counts"))
        health = load_health(store)
        return {name: (row, health[name], errors.get(name, 0)) for name, row in rows.items()}
    finally:
        store.close()


def _health_line(entry) -> str:
    row, health, unprocessed = entry
    status = row[6] if row[6] is not None else "-"
    err = f" error: {row[7]}" if row[7] else ""
    note = f", {unprocessed} articles not processed (monitor errors)" if unprocessed else ""
    return (
        f"last fetch {row[4]:%Y-%m-%d %H:%M} UTC, status {status}, "
        f"{health.failures_in_row} failures in a row{note}{err}"
    )


def cmd_feeds_add(args: argparse.Namespace, settings: Settings) -> int:
    feed = feeds_mod.Feed(
        name=args.name,
        url=args.url,
        tags=tuple(args.tag or ()),
        language=args.language,
        interval_s=args.interval,
        full_text=args.full_text,
    )
    current = feeds_mod.load_feeds(settings.feeds_path)
    feeds_mod.save_feeds(settings.feeds_path, feeds_mod.add_feed(current, feed))
    print(f"added {feed.name} ({feed.url}) to {settings.feeds_path}")
    return 0


def cmd_feeds_remove(args: argparse.Namespace, settings: Settings) -> int:
    current = feeds_mod.load_feeds(settings.feeds_path)
    feeds_mod.save_feeds(settings.feeds_path, feeds_mod.remove_feed(current, args.name))
    print(f"removed {args.name}; its stored articles stay in the database")
    return 0


def cmd_import_opml(args: argparse.Namespace, settings: Settings) -> int:
    incoming = feeds_mod.parse_opml(Path(args.file).read_bytes())
    current = feeds_mod.load_feeds(settings.feeds_path)
    merged, added = feeds_mod.merge_feeds(current, incoming)
    feeds_mod.save_feeds(settings.feeds_path, merged)
    print(f"imported {added} new feeds ({len(incoming) - added} already configured)")
    return 0


def cmd_export_opml(args: argparse.Namespace, settings: Settings) -> int:
    text = feeds_mod.render_opml(feeds_mod.load_feeds(settings.feeds_path))
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0


# --- import, demo, reprocess ------------------------------------------------------------------


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.importer import import_files

    runtime = _runtime(settings)
    try:
        reports = import_files([Path(p) for p in args.files], runtime.ingestor, args.source)
    finally:
        runtime.close()
    for report in reports:
        print(report.line(), file=sys.stderr if report.error else sys.stdout)
    if all(r.error for r in reports):
        return 1
    return _unprocessed_status([r.result for r in reports])


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.runtime import load_demo

    runtime = _runtime(settings)
    try:
        reports = load_demo(runtime, Path(args.out) if args.out else None, days=args.days)
        total = runtime.store.count_articles()
    finally:
        runtime.close()
    for report in reports:
        print(report.line(), file=sys.stderr if report.error else sys.stdout)
    print(f"demo corpus loaded: {total} articles in {settings.db_path}")
    return 0


def cmd_reprocess(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.reprocess import reprocess

    runtime = _runtime(settings)
    try:
        count = reprocess(runtime, feed=args.feed)
    finally:
        runtime.close()
    print(f"reprocessed {count} articles")
    return 0


# --- clean, extract ---------------------------------------------------------------------------


def _read_document(args: argparse.Namespace):
    from monitor.clean import clean_document

    raw = Path(args.file).read_text(encoding="utf-8", errors="replace")
    return clean_document(raw, html=True if args.html else None)


def cleaned_json(cleaned) -> dict:
    return {
        "title": cleaned.title,
        "published": cleaned.published.isoformat() if cleaned.published else None,
        "paragraphs": list(cleaned.paragraphs),
        "removed": [{"text": r.text, "reason": r.reason} for r in cleaned.removed],
    }


def cmd_clean(args: argparse.Namespace, settings: Settings) -> int:
    cleaned = _read_document(args)
    if args.json:
        print(json.dumps(cleaned_json(cleaned), ensure_ascii=False, indent=1))
        return 0
    print(cleaned.title or "(no title)")
    print(cleaned.published.isoformat() if cleaned.published else "(no date)")
    for paragraph in cleaned.paragraphs:
        print(f"\n{paragraph}")
    for r in cleaned.removed:
        print(f"\n[removed: {r.reason}] {r.text}", file=sys.stderr)
    return 0


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.extract import extract_json
    from monitor.runtime import build_extractor

    cleaned = _read_document(args)
    extractor = build_extractor(settings)
    extraction = extractor.extract(cleaned.text, cleaned.published)
    result = extract_json(extraction, extractor.registry)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    for c in result["countries"]:
        print(f"country {c['code']} {c['name']}: {len(c['mentions'])} mentions")
    for o in result["officials"]:
        print(f"official {o['name']} ({o['role']}, {o['country']}): {len(o['mentions'])} mentions")
    for q in result["quotes"]:
        flag = " [partial]" if q.get("partial") else ""
        print(f"quote{flag} {q['speaker']!s} ({q['cue']}): {q['text'][:90]}")
    return 0


# --- parser -----------------------------------------------------------------------------------


def _with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument(
        "--db", type=Path, help="DuckDB file (default: $MONITOR_DB or data/monitor.duckdb)"
    )
    return p


def _with_feeds(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument(
        "--feeds", type=Path, help="feeds TOML file (default: $MONITOR_FEEDS or feeds.toml)"
    )
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m monitor", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _with_feeds(_with_db(sub.add_parser("poll", help="poll the configured feeds")))
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="poll every feed once and exit (default)")
    mode.add_argument("--forever", action="store_true", help="poll due feeds until interrupted")
    p.set_defaults(func=cmd_poll)

    _feeds_parser(sub)

    p = _with_db(sub.add_parser("import", help="import feed XML, HTML pages or scraped text pages"))
    p.add_argument("files", nargs="+", help="files to import")
    p.add_argument("--source", help="source name for pages (default: the feed title, or 'import')")
    p.set_defaults(func=cmd_import)

    p = _with_db(sub.add_parser("demo", help="generate and load the demo corpus"))
    p.add_argument("--days", type=int, default=130, help="days of news to generate")
    p.add_argument("--out", help="also keep the generated feed files in this folder")
    p.set_defaults(func=cmd_demo)

    p = _with_db(
        sub.add_parser("reprocess", help="re-run cleaning and extraction on stored raw content")
    )
    p.add_argument("--feed", help="only this feed")
    p.set_defaults(func=cmd_reprocess)

    for name, func, text in (
        ("clean", cmd_clean, "print the cleaned article of FILE"),
        ("extract", cmd_extract, "print countries, officials and quotes in FILE"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("file", help="scraped text page, HTML page or plain text")
        p.add_argument("--json", action="store_true", help="print JSON")
        p.add_argument("--html", action="store_true", help="treat FILE as an HTML page")
        p.set_defaults(func=func)

    _optional_commands(sub)
    return parser


def _feeds_parser(sub) -> None:
    feeds = sub.add_parser("feeds", help="add, list, remove, import or export feeds")
    fsub = feeds.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")
    p = _with_db(_with_feeds(fsub.add_parser("list", help="list feeds with their health")))
    p.set_defaults(func=cmd_feeds_list)
    p = _with_feeds(fsub.add_parser("add", help="add a feed"))
    p.add_argument("name")
    p.add_argument("url")
    p.add_argument("--tag", action="append", help="a tag (repeatable)")
    p.add_argument("--language", help="language code, e.g. en")
    p.add_argument("--interval", type=int, default=900, help="poll interval in seconds")
    p.add_argument("--full-text", action="store_true", help="fetch each item's page")
    p.set_defaults(func=cmd_feeds_add)
    p = _with_feeds(fsub.add_parser("remove", help="remove a feed"))
    p.add_argument("name")
    p.set_defaults(func=cmd_feeds_remove)
    p = _with_feeds(fsub.add_parser("import-opml", help="add the feeds of an OPML file"))
    p.add_argument("file")
    p.set_defaults(func=cmd_import_opml)
    p = _with_feeds(fsub.add_parser("export-opml", help="write the feeds as OPML"))
    p.add_argument("--out", help="file to write (default: stdout)")
    p.set_defaults(func=cmd_export_opml)


def _optional_commands(sub) -> None:
    """Commands whose modules register their own arguments (export, learned, discovered)."""
    from monitor import cli_extra

    cli_extra.register(sub, _with_db)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args, _settings(args))
    except (StoreError, feeds_mod.FeedConfigError, OSError, ValueError) as exc:
        return _err(str(exc))
    except KeyboardInterrupt:
        return 130
