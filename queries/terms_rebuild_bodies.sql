-- name: terms_rebuild_bodies
-- The articles of one indexing chunk, _terms_chunk(r), with their text (as terms_locate):
-- a rebuild's chunks, and a large refresh's (terms_locate_rows).
SELECT rowid AS r, id, coalesce(title, '') || ' ' || coalesce(text, '') AS body
FROM articles
WHERE rowid IN (SELECT r FROM _terms_chunk);
