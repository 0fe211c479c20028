-- name: agg_day_spread_changes
-- The (day, kind, entity_id, story) rows of agg_day_spread that can change after the scope's
-- hour cells were recomputed: _day_spread_rows holds the dropped hour spread rows with n = -1
-- (agg_delete_spread) and the new ones with n = 1 (agg_insert_spread). A day row exists while
-- any hour row of its day has its key; where the hour rows per key sum to 0 their number did
-- not change and neither did the day row (migration 006).
SELECT day, kind, entity_id, story
FROM _day_spread_rows
GROUP BY ALL
HAVING sum(n) <> 0;
