"""Named SQL queries loaded from `queries/*.sql` (one query per file, aiosql style).

Each file starts with `-- name: <name>` and a comment describing the query; parameters are
DuckDB named parameters (`$feed`), always bound, never formatted into the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
_PARAM = re.compile(r"(?<![:$\w])\$([A-Za-z_]\w*)")


@dataclass(frozen=True)
class Query:
    name: str
    doc: str
    sql: str
    params: frozenset[str]


def _parse(path: Path) -> Query:
    text = path.read_text(encoding="utf-8")
    doc = [ln[2:].strip() for ln in text.splitlines() if ln.startswith("--")]
    names = [d.split(":", 1)[1].strip() for d in doc if d.startswith("name:")]
    name = names[0] if names else path.stem
    return Query(name, " ".join(d for d in doc if not d.startswith("name:")), text, _params(text))


def _params(sql: str) -> frozenset[str]:
    code = "\n".join(ln.split("--", 1)[0] for ln in sql.splitlines())
    code = re.sub(r"'(?:[^']|'')*'", "''", code)  # ignore $ inside string literals
    return frozenset(_PARAM.findall(code))


@cache
def queries(directory: Path = QUERIES_DIR) -> dict[str, Query]:
    return {q.name: q for q in (_parse(p) for p in sorted(directory.glob("*.sql")))}


def get(name: str) -> Query:
    try:
        return queries()[name]
    except KeyError:
        raise KeyError(f"no query named {name!r} in {QUERIES_DIR}") from None


def execute(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> duckdb.DuckDBPyConnection:
    """Run a named query with exactly the parameters it declares."""
    query = get(name)
    missing = query.params - params.keys()
    if missing:
        raise TypeError(f"query {name} needs parameters: {', '.join(sorted(missing))}")
    bound = {k: v for k, v in params.items() if k in query.params}
    return con.execute(query.sql, bound) if bound else con.execute(query.sql)


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, **tables: Any) -> Iterator[None]:
    """Arrow tables visible to ``con``'s statements under the given names while the block
    runs. They are unregistered only when the block succeeds: after a failed statement the
    transaction is aborted and DuckDB refuses to unregister (TransactionException), which
    would replace the statement's own error; the rollback ends their use, and the next
    register of a name replaces it."""
    for name, table in tables.items():
        con.register(name, table)
    yield
    for name in tables:
        con.unregister(name)
