-- name: terms_add_postings
-- Postings of the articles in _terms_new(doc, body): one row per token with the docs
-- containing it. A token is a maximal run of (?i)[\pL\pN_] in the body (title || ' ' ||
-- text: the word characters of keyword.py's patterns), folded so that equal forms are
-- exactly the tokens RE2's (?i) calls equal. The body is split at spaces first (cheap, and
-- no token spans a space), pieces are de-duplicated per article, and only distinct pieces go
-- through the fold, the regex and the token fold (a batch repeats most of its pieces):
-- terms_fold_text maps each character on its own and never makes or removes a space, so
-- folding the pieces is splitting the folded body. Each term gets a small integer (t) so
-- that the largest grouping, the distinct (term, doc) pairs, hashes two integers instead
-- of a string. A derive step of ~2,000 articles, one DuckDB thread: ~0.10-0.12 -> ~0.09
-- ms/article (round 14, derive14). Sorted lists compress about 4x (128 -> 32 MB at 1M
-- articles) and read back faster.
INSERT INTO terms_postings (term, docs)
WITH pieces AS (
    SELECT DISTINCT doc, unnest(string_split(body, ' ')) AS raw
    FROM _terms_new
),
tokens AS (
    SELECT raw,
           terms_fold_token(unnest(regexp_extract_all(terms_fold_text(raw), '(?i)[\pL\pN_]+')))
               AS term
    FROM (SELECT DISTINCT raw FROM pieces)
),
ids AS (
    SELECT term, row_number() OVER () AS t FROM (SELECT DISTINCT term FROM tokens)
),
pairs AS (
    SELECT DISTINCT i.t, p.doc
    FROM pieces p JOIN tokens k USING (raw) JOIN ids i USING (term)
)
SELECT i.term, l.docs
FROM (SELECT t, list(doc ORDER BY doc) AS docs FROM pairs GROUP BY t) l
JOIN ids i USING (t);
