-- name: page_keyword_ids
-- Ids of articles (within the date/source/language filters) whose title or cleaned text
-- matches one keyword literal: $pattern is an RE2 pattern bound at the top level (compiled
-- once), $like a cheap ILIKE prefilter that rejects most rows before the regex runs.
SELECT id
FROM articles
WHERE ($since IS NULL OR published >= $since)
  AND ($until IS NULL OR published < $until)
  AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
  AND ($languages IS NULL OR language = ANY($languages::VARCHAR[]))
  AND (coalesce(title, '') || ' ' || coalesce(text, '')) ILIKE $like ESCAPE '\'
  AND regexp_matches(coalesce(title, '') || ' ' || coalesce(text, ''), $pattern);
