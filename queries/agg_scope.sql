-- name: agg_scope
-- The copies (id, hour, feed) of the stories of the articles in _changed(id): their cells
-- (hour, feed) are the aggregate cells to recompute after those articles were written (a
-- story gaining a copy stops being "solo" wherever its copies are). Two single-column hash
-- probes of `articles` (id, then the story key), nothing else store-wide.
WITH stories AS (
    SELECT DISTINCT coalesce(story_id, id) AS story FROM articles
    WHERE id IN (SELECT id FROM _changed)
)
SELECT id, date_trunc('hour', published) AS hour, feed
FROM articles
WHERE coalesce(story_id, id) IN (SELECT story FROM stories);
