-- name: terms_word
-- Docs (live or not) containing the folded token $term.
SELECT unnest(docs) AS doc
FROM terms_postings
WHERE term = $term;
