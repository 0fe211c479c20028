-- name: agg_append_article_spread
-- agg_append_spread for agg_article_spread (migration 004): the append step's multi-copy
-- stories per cell not held yet.
INSERT INTO agg_article_spread
WITH fresh AS (
    SELECT DISTINCT hour, feed, story FROM _append_articles WHERE n > 1
),
have AS (
    SELECT hour, feed, story FROM agg_article_spread
    WHERE hour >= $lo AND hour < $hi AND story IN (SELECT story FROM fresh)
)
SELECT f.hour, f.feed, f.story
FROM fresh f ANTI JOIN have h ON h.hour = f.hour AND h.feed = f.feed AND h.story = f.story;
