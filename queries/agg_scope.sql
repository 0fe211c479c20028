-- name: agg_scope
-- The aggregate cells (hour, feed) to recompute after the articles in _changed(id) were
-- written: the cells of every copy of their stories, their own included (a story gaining a
-- copy stops being "solo" wherever its copies are). Two single-column hash probes of
-- `articles` (id, then the story key), nothing else store-wide.
WITH stories AS (
    SELECT DISTINCT coalesce(story_id, id) AS story FROM articles
    WHERE id IN (SELECT id FROM _changed)
)
SELECT DISTINCT date_trunc('hour', published) AS hour, feed
FROM articles
WHERE coalesce(story_id, id) IN (SELECT story FROM stories);
