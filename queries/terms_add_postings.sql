-- name: terms_add_postings
-- Postings of the articles in _terms_new(doc, body): one row per token with the docs
-- containing it. A token is a maximal run of (?i)[\pL\pN_] in the body (title || ' ' ||
-- text: the word characters of keyword.py's patterns), folded so that equal forms are
-- exactly the tokens RE2's (?i) calls equal. The body is split at spaces first (cheap, and
-- no token spans a space), pieces are de-duplicated per article, and only distinct pieces go
-- through the regex and the fold (a batch repeats most of its pieces). Sorted lists compress
-- about 4x (128 -> 32 MB at 1M articles) and read back faster.
INSERT INTO terms_postings (term, docs)
WITH pieces AS (
    SELECT DISTINCT doc, unnest(string_split(terms_fold_text(body), ' ')) AS piece
    FROM _terms_new
),
tokens AS (
    SELECT piece, terms_fold_token(unnest(regexp_extract_all(piece, '(?i)[\pL\pN_]+'))) AS term
    FROM (SELECT DISTINCT piece FROM pieces)
)
SELECT term, list(DISTINCT doc ORDER BY doc)
FROM pieces
JOIN tokens USING (piece)
GROUP BY term;
