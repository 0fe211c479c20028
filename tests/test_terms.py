"""Keyword index (monitor/terms.py): the index path gives exactly the ids of the text scan.

The fold macros are checked against RE2 itself for every cased character, and a varied corpus
(Cyrillic, Greek final sigma, long s, dotted İ, Kelvin sign, accents, punctuation, digits,
underscores, updated articles, rebuilt index) is queried both ways with generated queries.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor import keyword, terms
from monitor.keyword import QueryError, parse_query
from monitor.store import delete_ids, open_store

BASE = {"since": None, "until": None, "sources": None, "languages": None}

WORDS = [
    "grain", "Grain", "GRAIN", "grains", "corridor", "sanction", "sanctions", "Sanctioned",
    "ſanction", "Straße", "STRASSE", "strasse", "ΣΟΦΟΣ", "σοφος", "σοφοσ", "Σοφός", "İstanbul",
    "istanbul", "ISTANBUL", "ıspanak", "\u212aiev", "Kiev", "kiev", "Россия", "России",
    "россия", "РОССИЯ", "café", "CAFÉ", "cafe", "naïve", "covid-19", "COVID_19", "c++", "u.s.",
    "U.S.", "100%", "(sic)", "e-mail", "Ǆemal", "ǅemal", "µs", "μs", "ꙋ", "ᲈ", "x\u0345y",
    "xιy", "2024", "²", "Ⅻ", "ⅻ", "ⓐ", "Ⓐ", "don't", "don’t", "snake_case", "a", "I", "i",
]  # fmt: skip
SEPARATORS = [" ", " ", " ", "\n\n", ", ", ". ", " — ", "\u00a0", "\t", "'", "-", "/", "“"]


def _text(rnd: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        out.append(rnd.choice(WORDS))
        out.append(rnd.choice(SEPARATORS))
    return "".join(out[:-1])


def _insert(cur, art_id: str, rnd: random.Random, day: int) -> None:
    title = None if rnd.random() < 0.2 else _text(rnd, rnd.randint(1, 4))
    when = datetime(2024, 5, 1) + timedelta(days=day)
    cur.execute(
        "INSERT INTO articles (id, feed, title, text, published, published_source, "
        "fetched_at, updated_at, raw_kind, content_hash, language) "
        "VALUES (?, ?, ?, ?, ?, 'published', ?, ?, 'html', 'h', ?)",
        [art_id, f"feed{day % 3}", title, _text(rnd, rnd.randint(0, 30)), when, when, when,
         "en" if day % 2 else "ru"],
    ).fetchall()  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """120 articles written in batches as the ingestor does (rows, then refresh in the same
    transaction), then 30 of them updated (delete + insert + refresh) with new text."""
    store = open_store(tmp_path_factory.mktemp("terms") / "t.duckdb")
    rnd = random.Random(11)
    for batch in range(6):
        with store.transaction() as cur:
            ids = [f"a{batch * 20 + i}" for i in range(20)]
            for i, art_id in enumerate(ids):
                _insert(cur, art_id, rnd, batch * 20 + i)
            terms.refresh(cur, ids)
    with store.transaction() as cur:
        updated = [f"a{i}" for i in range(0, 120, 4)]
        delete_ids(cur, ("articles",), updated)
        for art_id in updated:
            _insert(cur, art_id, rnd, int(art_id[1:]))
        terms.refresh(cur, updated)
    yield store
    store.close()


def both(cur, query: str, params: dict = BASE) -> tuple[set[str], set[str]]:
    node = parse_query(query)
    base = {k: params.get(k) for k in BASE}
    return keyword._indexed(cur, node, base), keyword._scanned(cur, node, base)


def test_index_is_in_step_after_refresh_and_updates(store):
    with store.cursor() as cur:
        assert terms.in_step(cur)
        docs = cur.execute("SELECT count(*), count(DISTINCT article_id) FROM terms_docs")
        assert docs.fetchall() == [(120, 120)]


@pytest.mark.parametrize(
    "query",
    [
        "grain",
        "sanction",  # also "ſanction": RE2 folds ſ with s
        "sanction*",
        "σοφος",  # ΣΟΦΟΣ, σοφοσ: RE2 folds ς with σ and Σ
        "istanbul",  # not İstanbul: RE2 does not fold İ with i
        "İstanbul",
        "kiev",  # also the Kelvin-sign K
        "россия",
        "росс*",
        "cafe",
        "café",
        "strasse",
        "straße",
        "covid-19",
        "covid_19",
        "c++",
        "u.s.",
        "100%",
        "(sic)",
        "don't",
        "ǆemal",
        "μs",
        "xιy",
        "ꙋ",
        "ⅻ",
        "ⓐ",
        "snake_case",
        "i",
        '"grain corridor"',
        '"grain, corridor"',
        '"россия café"',
        "grain -corridor",
        "NOT grain",
        "(grain OR кафе) AND NOT sanction*",
        "-",
        "%",
    ],
)
def test_index_equals_scan(store, query):
    try:
        parse_query(query)
    except QueryError:
        return
    with store.cursor() as cur:
        indexed, scanned = both(cur, query)
    assert indexed == scanned


def test_filters_apply_to_index_path(store):
    params = {
        **BASE,
        "since": datetime(2024, 5, 20),
        "until": datetime(2024, 7, 1),
        "sources": ["feed1", "feed2"],
        "languages": ["en"],
    }
    with store.cursor() as cur:
        for query in ("grain", "-grain", "sanction* OR россия", '"grain corridor"'):
            indexed, scanned = both(cur, query, params)
            assert indexed == scanned


def test_greek_final_sigma_now_found_by_both_paths(store):
    """The old ILIKE prefilter (lower() on both sides) rejected ΣΟΦΟΣ for σοφος although the
    regex matches it; the prefilter no longer uses characters where lower() and RE2 differ."""
    with store.cursor() as cur:
        indexed, scanned = both(cur, "σοφος")
        texts = cur.execute(
            "SELECT count(*) FROM articles WHERE regexp_matches(coalesce(title, '') || ' ' "
            "|| coalesce(text, ''), '(?i)(?:^|[^\\pL\\pN_])σοφος(?:[^\\pL\\pN_]|$)')"
        ).fetchall()[0][0]
    assert indexed == scanned and len(indexed) == texts > 0


_query_words = st.sampled_from([w for w in WORDS if w.strip()])


@st.composite
def queries(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["word", "word", "prefix", "phrase", "not", "op"]))
        word = draw(_query_words)
        if kind == "prefix":
            parts.append(word[: draw(st.integers(1, len(word)))] + "*")
        elif kind == "phrase":
            parts.append(f'"{word} {draw(_query_words)}"')
        elif kind == "not":
            parts.append(f"-{word}")
        elif kind == "op" and parts:
            parts.append(draw(st.sampled_from(["OR", "AND"])))
            parts.append(word)
        else:
            parts.append(word)
    return " ".join(parts)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(queries())
def test_generated_queries_index_equals_scan(store, query):
    try:
        parse_query(query)
    except QueryError:
        return
    with store.cursor() as cur:
        indexed, scanned = both(cur, query)
    assert indexed == scanned


def test_rebuild_gives_the_same_answers(tmp_path):
    store = open_store(tmp_path / "r.duckdb")
    rnd = random.Random(5)
    with store.transaction() as cur:
        for i in range(60):
            _insert(cur, f"b{i}", rnd, i)
    with store.cursor() as cur:
        assert not terms.in_step(cur)  # rows written without refresh: the scan path answers
        before = {q: keyword.matching_ids(cur, parse_query(q), BASE) for q in WORDS[:20]}
        cur.execute("BEGIN").fetchall()
        terms.rebuild(cur)
        cur.execute("COMMIT").fetchall()
        assert terms.in_step(cur)
        for query, ids in before.items():
            assert keyword._indexed(cur, parse_query(query), BASE) == ids
    store.close()


def test_refresh_of_committed_rows_and_repeated_ids(tmp_path):
    """refresh finds rows committed earlier (not only the current transaction's) and indexes
    an id given twice once."""
    store = open_store(tmp_path / "c.duckdb")
    rnd = random.Random(3)
    with store.transaction() as cur:
        for i in range(10):
            _insert(cur, f"c{i}", rnd, i)
    with store.transaction() as cur:
        terms.refresh(cur, [f"c{i}" for i in range(10)] + ["c0", "missing"])
    with store.cursor() as cur:
        assert terms.in_step(cur)
        for query in ("grain", "sanction*", '"grain corridor"', "-россия"):
            indexed, scanned = both(cur, query)
            assert indexed == scanned
    store.close()


# --- the fold macros against RE2 ----------------------------------------------------------------


def _all_characters() -> list[str]:
    return [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


def test_fold_keeps_word_characters_and_length():
    """terms_fold_text runs on whole texts before splitting: it must not change which
    characters are word characters for RE2 (case-insensitive class), nor lengths."""
    con = open_store_memory()
    con.execute("CREATE TABLE c AS SELECT unnest($c) AS c", {"c": _all_characters()})
    bad = con.execute(
        """
        SELECT c FROM c
        WHERE regexp_matches(c, '(?i)[\\pL\\pN_]')
                  <> regexp_matches(terms_fold_text(c), '(?i)[\\pL\\pN_]')
           OR length(terms_fold_text(c)) <> 1
           OR length(terms_fold_token(terms_fold_text(c))) <> 1
        """
    ).fetchall()
    assert bad == []


def test_fold_equals_re2_case_folding_for_every_cased_character():
    """Two characters fold to the same form exactly when RE2's (?i) matches one with the
    other. Only characters with a case mapping can be in a larger fold orbit; every one of
    them (and their lower-case forms) is checked against every other."""
    con = open_store_memory()
    chars = [ch for ch in _all_characters() if ch.lower() != ch or ch.upper() != ch]
    con.execute("CREATE TABLE c AS SELECT unnest($c) AS c", {"c": chars})
    con.execute(
        "INSERT INTO c SELECT DISTINCT l FROM (SELECT lower(c) AS l FROM c) "
        "WHERE l NOT IN (SELECT c FROM c)"
    ).fetchall()
    con.execute(
        "INSERT INTO c SELECT DISTINCT u FROM (SELECT upper(c) AS u FROM c) "
        "WHERE length(u) = 1 AND u NOT IN (SELECT c FROM c)"
    ).fetchall()
    forms = dict(con.execute("SELECT c, terms_fold_token(terms_fold_text(c)) FROM c").fetchall())
    by_form: dict[str, set[str]] = {}
    for ch, form in forms.items():
        by_form.setdefault(form, set()).add(ch)
    wrong = []
    for ch in forms:
        pattern = f"(?i)^\\x{{{ord(ch):X}}}$"
        rows = con.execute("SELECT c FROM c WHERE regexp_matches(c, $p)", {"p": pattern})
        if {r[0] for r in rows.fetchall()} != by_form[forms[ch]]:
            wrong.append(f"U+{ord(ch):04X}")
    assert wrong == []


def open_store_memory():
    """An in-memory database with the migrations applied (for the fold macros)."""
    import duckdb

    from monitor.store import migrate

    con = duckdb.connect()
    migrate(con)
    return con


def test_refresh_backfills_a_store_written_before_the_index(tmp_path, monkeypatch):
    """Articles stored before migration 005 get indexed a few at every refresh; once all
    are, the index path answers as the scan does."""
    monkeypatch.setattr(terms, "BACKFILL_PER_REFRESH", 15)
    store = open_store(tmp_path / "b.duckdb")
    rnd = random.Random(9)
    with store.transaction() as cur:
        for i in range(40):
            _insert(cur, f"old{i}", rnd, i)
    steps = 0
    with store.cursor() as cur:
        while not terms.in_step(cur):
            steps += 1
            with store.transaction() as tx:
                new = f"new{steps}"
                _insert(tx, new, rnd, steps)
                terms.refresh(tx, [new])
        assert steps == 3  # 40 old articles, 15 per refresh
        for query in ("grain", "-sanction*", '"grain corridor"', "россия OR σοφος"):
            indexed, scanned = both(cur, query)
            assert indexed == scanned
        cur.execute("DELETE FROM articles WHERE id = 'old3'").fetchall()
        assert not terms.in_step(cur)
        with store.transaction() as tx:
            terms.refresh(tx, ["new1"])
        assert terms.in_step(cur)
    store.close()
