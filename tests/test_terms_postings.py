"""terms_add_postings against the definition of a posting (round 14 folds the distinct pieces
instead of the whole body and groups (term, doc) pairs by an integer per term): for every
article, the distinct folded tokens of its body, each term listing its docs in order."""

from __future__ import annotations

import random

import duckdb
import pyarrow as pa

from monitor import sql
from monitor.store import migrate

# Every token of the definition in one expression: no split at spaces, no de-duplication
# before the regex, no integer ids.
_DEFINITION = """
SELECT term, list(DISTINCT doc ORDER BY doc) AS docs
FROM (
    SELECT doc, terms_fold_token(
        unnest(regexp_extract_all(terms_fold_text(body), '(?i)[\\pL\\pN_]+'))) AS term
    FROM _terms_new
)
GROUP BY term
"""


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    migrate(con)
    return con


def _all_characters() -> list[str]:
    return [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


def test_folding_pieces_is_splitting_the_folded_text() -> None:
    """terms_fold_text maps each character on its own (no context, as Greek final sigma
    would need) and makes or removes no space: so the fold of each space-separated piece
    equals the piece of the folded text, which the statement relies on."""
    con = _con()
    chars = _all_characters()
    text = " ".join("".join(chars[k : k + 7]) for k in range(0, len(chars), 7))
    whole, pieces = con.execute(
        "SELECT string_split(terms_fold_text($t), ' '), "
        "list_transform(string_split($t, ' '), lambda p: terms_fold_text(p))",
        {"t": text},
    ).fetchone()
    assert whole == pieces
    spaces = con.execute(
        "SELECT list(c) FROM (SELECT unnest($c) AS c) WHERE (terms_fold_text(c) = ' ') <> (c = ' ')",
        {"c": chars},
    ).fetchone()[0]
    assert not spaces


def _bodies(seed: int, n: int) -> list[str]:
    """Texts whose words come in several cases and spellings that fold together (ſ, İ, Σ/ς,
    µ/μ, K/k/K), glued to punctuation and apostrophes, with repeated and empty pieces."""
    rng = random.Random(seed)
    words = ["Iran", "IRAN", "iran's", "İstanbul", "istanbul", "ſtate", "State", "ΟΔΟΣ", "οδος",
             "µ-law", "μ", "Kelvin", "kelvin", "naïve", "NAÏVE", "42", "x_1", "—", "“quoted”",
             "a.b", "e-mail", "日本", "Straße", "STRASSE", "ǅemal", "ǆ"]  # fmt: skip
    seps = [" ", "  ", ", ", ". ", "\n", " - "]
    return [
        "".join(rng.choice(words) + rng.choice(seps) for _ in range(rng.randint(0, 60)))
        for _ in range(n)
    ]


def test_postings_equal_the_definition() -> None:
    con = _con()
    for seed in range(4):
        bodies = _bodies(seed, 300)
        new = pa.table(
            {
                "r": pa.array(range(len(bodies)), pa.int64()),
                "id": pa.array([f"a{k}" for k in range(len(bodies))], pa.string()),
                "body": pa.array(bodies, pa.string()),
                "doc": pa.array(range(7, 7 + len(bodies)), pa.int32()),
            }
        )
        con.execute("DELETE FROM terms_postings")
        with sql.registered(con, _terms_new=new):
            sql.execute(con, "terms_add_postings").fetchall()
            want = sorted(con.execute(_DEFINITION).fetchall())
        got = sorted(con.execute("SELECT term, docs FROM terms_postings").fetchall())
        assert got == want
        assert len(got) > 20
