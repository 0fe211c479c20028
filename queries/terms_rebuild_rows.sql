-- name: terms_rebuild_rows
-- (r, id) of the articles with $lo <= rowid < $hi: one chunk of a full re-index.
SELECT rowid AS r, id
FROM articles
WHERE rowid >= $lo AND rowid < $hi;
