"""CLI commands over stored results: learned boilerplate, discovered officials, and the
articles stored without their processing."""

from __future__ import annotations

import argparse
import sys

from monitor.config import Settings
from monitor.store import open_store


def cmd_learned(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings.db_path)
    try:
        rows = store.query("learned_list", feed=args.feed)
    finally:
        store.close()
    for feed, text, learned_at in rows:
        print(f"{feed}\t{learned_at:%Y-%m-%d}\t{text}")
    if not rows:
        print("no boilerplate learned yet", file=sys.stderr)
    return 0


def cmd_errors(args: argparse.Namespace, settings: Settings) -> int:
    """The articles whose cleaning or extraction raised, newest first: which article, which
    stage, the error (and its traceback with --traceback)."""
    store = open_store(settings.db_path)
    try:
        rows = store.query("article_errors_list", feed=args.feed, n=args.limit)
    finally:
        store.close()
    for at, feed, art_id, url, title, stage, kind, message, trace in rows:
        print(
            f"{at:%Y-%m-%d %H:%M}\t{feed}\t{art_id}\t{url or title or '-'}\t{stage}\t{kind}: {message}"
        )
        if args.traceback and trace:
            print("\t" + trace.rstrip().replace("\n", "\n\t"))
    if not rows:
        print("no article errors: every stored article was processed", file=sys.stderr)
    return 0


def cmd_discovered(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings.db_path)
    try:
        if args.promote:
            return _promote(store, args.promote, args.registry)
        for name, title, country, first, last, n, promoted in store.query("discovered_list"):
            mark = " (promoted)" if promoted else ""
            print(
                f"{name}\t{title or '-'}\t{country or '-'}\t{n} articles\t"
                f"{first:%Y-%m-%d}..{last:%Y-%m-%d}{mark}"
            )
    finally:
        store.close()
    return 0


def _promote(store, name: str, registry_path) -> int:
    rows = store.query("discovered_promote", name=name)
    if not rows:
        print(f"error: no discovered official named {name!r}", file=sys.stderr)
        return 1
    _, title, country = rows[0]
    append_official(registry_path, name=name, role=title or "", country=country or "")
    print(f"promoted {name} into {registry_path}; set MONITOR_OFFICIALS to use it")
    return 0


def append_official(path, *, name: str, role: str, country: str) -> None:
    """Append one official to a user registry file (same format as the packaged one)."""
    import re

    import tomli_w

    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    entry = {
        "id": f"user-{slug}",
        "name": name,
        "aliases": [],
        "role": role or "official",
        "role_kind": "spokesperson" if "spokes" in role.lower() else "other",
        "country": country or "XX",
    }
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("\n" + tomli_w.dumps({"official": [entry]}))


def register(sub, with_db) -> None:
    from monitor.export import register as register_export  # export owns its arguments

    register_export(sub, with_db)
    p = with_db(sub.add_parser("learned", help="list paragraphs learned as a source's boilerplate"))
    p.add_argument("--feed", help="only this feed")
    p.set_defaults(func=cmd_learned)
    p = with_db(
        sub.add_parser("errors", help="list articles stored without their cleaning or extraction")
    )
    p.add_argument("--feed", help="only this feed")
    p.add_argument("--limit", type=int, default=1000, help="at most this many (newest first)")
    p.add_argument("--traceback", action="store_true", help="print each error's traceback")
    p.set_defaults(func=cmd_errors)
    p = with_db(sub.add_parser("discovered", help="list or promote officials found by titles"))
    p.add_argument("--promote", metavar="NAME", help="add this discovered official to --registry")
    p.add_argument(
        "--registry",
        default="officials.local.toml",
        help="user registry file to append to (default: officials.local.toml)",
    )
    p.set_defaults(func=cmd_discovered)
