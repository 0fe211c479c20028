-- name: terms_missing
-- Up to $n stored articles that have no live doc yet, oldest rows first, with their text (as
-- terms_locate): the backfill of a store that was written before the index existed.
SELECT rowid AS r, id, coalesce(title, '') || ' ' || coalesce(text, '') AS body
FROM articles
WHERE id NOT IN (SELECT article_id FROM terms_docs)
ORDER BY rowid
LIMIT $n;
