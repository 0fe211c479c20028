-- name: terms_locate_rows
-- As terms_locate, without the text: (r = rowid, id) of the articles in _terms_ids(id) with
-- rowid >= $start. A refresh of more than terms.INDEX_CHUNK ids reads their text chunk by
-- chunk (terms_rebuild_bodies) instead of all at once.
SELECT rowid AS r, id
FROM articles
WHERE rowid >= $start
  AND id IN (SELECT id FROM _terms_ids);
