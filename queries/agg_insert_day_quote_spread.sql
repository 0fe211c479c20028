-- name: agg_insert_day_quote_spread
-- Recompute agg_day_quote_spread's groups (day, speaker) named by _scope(hour, feed, speaker):
-- the distinct units of the multi-copy stories' quotes per day and speaker (migration 007;
-- after agg_article_spread).
INSERT INTO agg_day_quote_spread
WITH multi AS (
    SELECT DISTINCT story FROM agg_article_spread WHERE hour >= $dlo AND hour < $dhi
),
groups AS (
    SELECT DISTINCT date_trunc('day', hour) AS day, speaker FROM _scope
    WHERE speaker IS NOT NULL
)
SELECT DISTINCT g.day, q.speaker, coalesce(q.story_id, q.article_id) || lower(q.text)
FROM quotes q
JOIN groups g ON g.day = date_trunc('day', q.published) AND g.speaker = q.speaker
SEMI JOIN multi m ON m.story = coalesce(q.story_id, q.article_id)
WHERE q.published >= $dlo AND q.published < $dhi AND NOT q.partial;
