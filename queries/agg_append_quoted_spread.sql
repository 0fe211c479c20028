-- name: agg_append_quoted_spread
-- agg_append_spread for agg_quoted_spread: the append step's quoting articles only
-- (_append_mentions.quoted; migration 004).
INSERT INTO agg_quoted_spread
WITH fresh AS (
    SELECT DISTINCT hour, feed, kind, entity_id, story FROM _append_mentions
    WHERE n > 1 AND quoted
),
have AS (
    SELECT hour, feed, kind, entity_id, story FROM agg_quoted_spread
    WHERE hour >= $lo AND hour < $hi AND story IN (SELECT story FROM fresh)
)
SELECT f.hour, f.feed, f.kind, f.entity_id, f.story
FROM fresh f ANTI JOIN have h
    ON h.hour = f.hour AND h.feed = f.feed AND h.kind = f.kind
   AND h.entity_id = f.entity_id AND h.story = f.story;
