-- name: terms_forget
-- Drop the index rows of the articles in _terms_ids(id) (they are about to be indexed again):
-- their docs stop being live, so their old postings no longer count. The integer hash is
-- compared first so the string column is only read for the few rows that can match.
DELETE FROM terms_docs
WHERE h IN (SELECT hash(id) FROM _terms_ids)
  AND article_id IN (SELECT id FROM _terms_ids);
