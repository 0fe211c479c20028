-- name: agg_insert_day_quote_spread
-- Recompute agg_day_quote_spread for the days [$dlo, $dhi): the distinct units of the
-- multi-copy stories' quotes per day and speaker (migration 007; after agg_article_spread).
INSERT INTO agg_day_quote_spread
WITH multi AS (
    SELECT DISTINCT story FROM agg_article_spread WHERE hour >= $dlo AND hour < $dhi
)
SELECT DISTINCT date_trunc('day', q.published) AS day, q.speaker,
       coalesce(q.story_id, q.article_id) || lower(q.text)
FROM quotes q SEMI JOIN multi m ON m.story = coalesce(q.story_id, q.article_id)
WHERE q.published >= $dlo AND q.published < $dhi AND q.speaker IS NOT NULL AND NOT q.partial;
