-- name: page_options
-- Choices for the filter bar: every country, official, speaker, source and language seen,
-- with how many articles carry it (kind, value, label, articles, spokesperson).
SELECT kind, entity_id AS value, any_value(name) AS label, count(DISTINCT article_id) AS articles,
       bool_or(spokesperson) AS spokesperson
FROM mentions GROUP BY kind, entity_id
UNION ALL
SELECT 'speaker', speaker, speaker, count(DISTINCT article_id), bool_or(spokesperson)
FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker
UNION ALL
SELECT 'source', feed, feed, count(*), false FROM articles GROUP BY feed
UNION ALL
SELECT 'language', language, language, count(*), false
FROM articles WHERE language IS NOT NULL GROUP BY language
ORDER BY kind, articles DESC, value;
