-- name: agg_derive_scope
-- agg_scope for a derive step (aggregates.refresh: _changed(id) holds every article written
-- since the last one): the copies (id, hour, feed) of their stories, without the older
-- copies of stories that had 2+ older copies. Such a copy counts as it did: not solo before
-- or after, and its story is already in its cells' spread rows; a story that lost a copy
-- had its copies' cells recomputed by then (Ingestor._write: the cells an update leaves).
-- The older copy of a story that was solo before is kept (it stops being solo).
WITH stories AS (
    SELECT DISTINCT coalesce(story_id, id) AS story FROM articles
    WHERE id IN (SELECT id FROM _changed)
),
copies AS (
    SELECT id, coalesce(story_id, id) AS story, date_trunc('hour', published) AS hour, feed,
           id IN (SELECT id FROM _changed) AS new
    FROM articles
    WHERE coalesce(story_id, id) IN (SELECT story FROM stories)
)
SELECT id, hour, feed
FROM copies
WHERE new OR story NOT IN (
    SELECT story FROM copies GROUP BY story HAVING count(*) FILTER (WHERE NOT new) >= 2
);
