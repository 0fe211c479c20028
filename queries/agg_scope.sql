-- name: agg_scope
-- The aggregate cells (hour, feed) to recompute after the articles in _changed(id) were
-- written: their own cells and the cells of every other copy of their stories (a story
-- gaining a copy stops being "solo" wherever its copies are).
WITH stories AS (
    SELECT DISTINCT coalesce(story_id, id) AS story FROM articles
    WHERE id IN (SELECT id FROM _changed)
)
SELECT DISTINCT date_trunc('hour', published) AS hour, feed
FROM articles
WHERE id IN (SELECT id FROM _changed)
   OR coalesce(story_id, id) IN (SELECT story FROM stories);
