-- name: terms_locate
-- Row ids of the articles in _terms_ids(id), looking only at rows with rowid >= $start: the
-- caller passes a hint where a batch written in the current transaction lies (at the end),
-- then looks again from 0 for any id not found, so the hint only affects speed.
SELECT rowid AS r, id
FROM articles
WHERE rowid >= $start
  AND id IN (SELECT id FROM _terms_ids);
