-- name: stored_entries
-- Stored raw entries (optionally of one feed, NULL = all), oldest first, to re-run the pipeline.
SELECT id, feed, guid, url, title, published, published_source, author, language, summary,
       raw_content, raw_kind, tags
FROM articles
WHERE $feed IS NULL OR feed = $feed
ORDER BY feed, published, id;
