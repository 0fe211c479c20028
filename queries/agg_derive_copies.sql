-- name: agg_derive_copies
-- The copies (id, hour, feed) of the stories of the not yet derived articles in _changed(id),
-- as agg_scope, with `new` (the copy is one of them) and `recompute`: its cell's country
-- pairs must be recomputed, not added to (aggregates.derive). A cell is recomputed when it
-- holds an older copy of a story that was solo before this step (its "solo" count changes)
-- or was recomputed since the last derive step (agg_fresh_cells: it counts pending articles
-- already). Every other cell already counts its older articles as they are now: an older
-- copy of a story that had 2+ copies is not solo before or after, and its pair spread rows
-- exist; a story losing a copy had its cells recomputed then (and recorded as fresh).
WITH stories AS (
    SELECT DISTINCT coalesce(story_id, id) AS story FROM articles
    WHERE id IN (SELECT id FROM _changed)
),
copies AS (
    SELECT id, coalesce(story_id, id) AS story, date_trunc('hour', published) AS hour, feed,
           id IN (SELECT id FROM _changed) AS new
    FROM articles
    WHERE coalesce(story_id, id) IN (SELECT story FROM stories)
),
solo_before AS (
    SELECT story FROM copies GROUP BY story HAVING count(*) FILTER (WHERE NOT new) = 1
),
flagged AS (
    SELECT c.id, c.hour, c.feed, c.new,
           (NOT c.new AND c.story IN (SELECT story FROM solo_before))
           OR EXISTS (SELECT 1 FROM agg_fresh_cells f WHERE f.hour = c.hour AND f.feed = c.feed)
               AS rc
    FROM copies c
)
SELECT id, hour, feed, new, bool_or(rc) OVER (PARTITION BY hour, feed) AS recompute
FROM flagged;
