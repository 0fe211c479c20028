-- name: agg_scope_articles
-- The articles of the cells in _scope(hour, feed), with their story, cell and the story's
-- size (copies stored). $lo/$hi bound the cells' hours so the scan skips the rest of the table by its
-- zone maps; the story sizes read only the story column.
WITH a AS (
    SELECT a.id, coalesce(a.story_id, a.id) AS story, date_trunc('hour', a.published) AS hour,
           a.feed
    FROM articles a SEMI JOIN _scope s
        ON s.hour = date_trunc('hour', a.published) AND s.feed = a.feed
    WHERE a.published >= $lo AND a.published < $hi
),
sizes AS (
    SELECT coalesce(story_id, id) AS story, count(*) AS n FROM articles
    WHERE coalesce(story_id, id) IN (SELECT story FROM a)
    GROUP BY ALL
)
SELECT a.id, a.story, a.hour, a.feed, sizes.n FROM a JOIN sizes USING (story);
