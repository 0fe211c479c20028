-- name: terms_prefix
-- Docs (live or not) containing a folded token that starts with $prefix.
SELECT unnest(docs) AS doc
FROM terms_postings
WHERE starts_with(term, $prefix);
