-- name: agg_append_day_spread
-- agg_append_spread at day grain (agg_day_spread, migration 006): the append step's
-- multi-copy stories per day and entity not held yet ($dlo/$dhi bound the days read).
INSERT INTO agg_day_spread
WITH fresh AS (
    SELECT DISTINCT date_trunc('day', hour) AS day, kind, entity_id, story
    FROM _append_mentions WHERE n > 1
),
have AS (
    SELECT day, kind, entity_id, story FROM agg_day_spread
    WHERE day >= $dlo AND day < $dhi AND story IN (SELECT story FROM fresh)
)
SELECT f.day, f.kind, f.entity_id, f.story
FROM fresh f ANTI JOIN have h
    ON h.day = f.day AND h.kind = f.kind AND h.entity_id = f.entity_id AND h.story = f.story;
