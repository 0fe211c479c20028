-- name: agg_options
-- page_options with the entity and source parts read from the pre-aggregates (an article
-- lies in one cell, so summing distinct articles per cell counts each article once).
SELECT kind, entity_id AS value, any_value(name) AS label, sum(articles)::BIGINT AS articles,
       bool_or(spokesperson) AS spokesperson
FROM agg_mention_cells GROUP BY kind, entity_id
UNION ALL
SELECT 'speaker', speaker, speaker, count(DISTINCT article_id), bool_or(spokesperson)
FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker
UNION ALL
SELECT 'source', feed, feed, sum(articles)::BIGINT, false FROM agg_article_cells GROUP BY feed
UNION ALL
SELECT 'language', language, language, count(*), false
FROM articles WHERE language IS NOT NULL GROUP BY language
ORDER BY kind, articles DESC, value;
