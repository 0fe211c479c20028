-- name: agg_day_cell_changes
-- The day groups (day, kind, entity_id) whose agg_day_cells row can differ after the scope's
-- hour cells were recomputed: _day_cell_rows holds the dropped hour rows with negative counts
-- (agg_delete_cells) and the new ones with positive counts (agg_insert_cells). A day row is
-- sum(articles), sum(solo_stories), bool_or(spokesperson) and a name of its hour rows; where
-- per name the rows, articles, solo stories and spokesperson rows sum to 0, the group's
-- inputs came back as they were (a recomputed cell of an older article, mostly) and its day
-- row stands, so only the others are recomputed from the day's hour rows (migration 006).
SELECT DISTINCT day, kind, entity_id
FROM (
    SELECT day, kind, entity_id, name
    FROM _day_cell_rows
    GROUP BY ALL
    HAVING sum(n) <> 0 OR sum(articles) <> 0 OR sum(solo_stories) <> 0
        OR sum(spokesperson) <> 0
);
