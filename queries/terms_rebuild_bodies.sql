-- name: terms_rebuild_bodies
-- The articles of one re-index chunk, _terms_chunk(r), with their text (as terms_locate).
SELECT rowid AS r, id, coalesce(title, '') || ' ' || coalesce(text, '') AS body
FROM articles
WHERE rowid IN (SELECT r FROM _terms_chunk);
