-- name: agg_append_spread
-- Add to agg_mention_spread the rows of the append step's multi-copy stories per cell and
-- entity that it does not hold yet (migration 003): a story with 2+ older copies may have
-- its row in the cell already. Only rows of those stories in the step's hours ($lo/$hi)
-- are read, so the table stays one row per (cell, entity, story).
INSERT INTO agg_mention_spread
WITH fresh AS (
    SELECT DISTINCT hour, feed, kind, entity_id, story FROM _append_mentions WHERE n > 1
),
have AS (
    SELECT hour, feed, kind, entity_id, story FROM agg_mention_spread
    WHERE hour >= $lo AND hour < $hi AND story IN (SELECT story FROM fresh)
)
SELECT f.hour, f.feed, f.kind, f.entity_id, f.story
FROM fresh f ANTI JOIN have h
    ON h.hour = f.hour AND h.feed = f.feed AND h.kind = f.kind
   AND h.entity_id = f.entity_id AND h.story = f.story;
