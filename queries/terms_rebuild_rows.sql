-- name: terms_rebuild_rows
-- (r, id) of every article: what a full re-index works through, chunk by chunk.
SELECT rowid AS r, id
FROM articles;
