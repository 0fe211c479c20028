-- name: agg_rebuild_scope
-- Every cell (hour, feed) of the store, and every quote day cell as (hour, feed, speaker) of
-- a counted quote (aggregates.rebuild: after the tables were cleared).
SELECT DISTINCT date_trunc('hour', published) AS hour, feed, NULL::VARCHAR AS speaker
FROM articles
UNION ALL
SELECT DISTINCT date_trunc('hour', published) AS hour, feed, speaker
FROM quotes
WHERE speaker IS NOT NULL AND NOT partial;
