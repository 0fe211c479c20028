-- name: terms_locate
-- The articles in _terms_ids(id) with their text (r = rowid, for ordering), looking only at
-- rows with rowid >= $start: the caller passes a hint where a batch written in the current
-- transaction lies (at the end), then looks again from 0 if some id was not found, so the
-- hint only affects speed.
SELECT rowid AS r, id, coalesce(title, '') || ' ' || coalesce(text, '') AS body
FROM articles
WHERE rowid >= $start
  AND id IN (SELECT id FROM _terms_ids);
