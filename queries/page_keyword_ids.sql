-- name: page_keyword_ids
-- Ids of articles (within the date/source/language filters) whose title or cleaned text
-- matches one keyword literal by scanning the text (used when the keyword index does not
-- cover the store): $pattern is an RE2 pattern bound at the top level (compiled once), $like
-- a cheap ILIKE prefilter that rejects most rows before the regex runs. Title and text are
-- tested separately (no 2 KB concatenation per row) unless $joined: a phrase of several
-- words may match across the space that joins them.
SELECT id
FROM articles
WHERE ($since IS NULL OR published >= $since)
  AND ($until IS NULL OR published < $until)
  AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
  AND ($languages IS NULL OR language = ANY($languages::VARCHAR[]))
  AND CASE WHEN $joined
           THEN (coalesce(title, '') || ' ' || coalesce(text, '')) ILIKE $like
                AND regexp_matches(coalesce(title, '') || ' ' || coalesce(text, ''), $pattern)
           ELSE (title ILIKE $like AND regexp_matches(title, $pattern))
                OR (text ILIKE $like AND regexp_matches(text, $pattern))
      END;
