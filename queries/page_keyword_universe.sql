-- name: page_keyword_universe
-- Ids of all articles within the date/source/language filters: what NOT subtracts from.
SELECT id
FROM articles
WHERE ($since IS NULL OR published >= $since)
  AND ($until IS NULL OR published < $until)
  AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
  AND ($languages IS NULL OR language = ANY($languages::VARCHAR[]));
