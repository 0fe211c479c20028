-- name: day_options
-- page_options (the filter bar's choices) with the entity part read from the day-grain
-- cells (migration 006: ~200k rows at 1M articles, vs ~8M hour x feed cells)
-- and the sources from the article cells. An article lies in one day, so summing the
-- distinct articles of each day counts each article once: the same rows as page_options.
-- Speakers and languages have no aggregate and are read as in page_options.
SELECT kind, entity_id AS value, any_value(name) AS label, sum(articles)::BIGINT AS articles,
       bool_or(spokesperson) AS spokesperson
FROM agg_day_cells GROUP BY kind, entity_id
UNION ALL
SELECT 'speaker', speaker, speaker, count(DISTINCT article_id), bool_or(spokesperson)
FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker
UNION ALL
SELECT 'source', feed, feed, sum(articles)::BIGINT, false FROM agg_article_cells GROUP BY feed
UNION ALL
SELECT 'language', language, language, count(*), false
FROM articles WHERE language IS NOT NULL GROUP BY language
ORDER BY kind, articles DESC, value;
