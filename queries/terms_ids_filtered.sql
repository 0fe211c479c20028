-- name: terms_ids_filtered
-- Article ids of the docs in _terms_hits(doc) within the date/source/language filters.
SELECT id
FROM articles
WHERE ($since IS NULL OR published >= $since)
  AND ($until IS NULL OR published < $until)
  AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
  AND ($languages IS NULL OR language = ANY($languages::VARCHAR[]))
  AND id IN (SELECT article_id FROM terms_docs WHERE doc IN (SELECT doc FROM _terms_hits));
