-- name: agg_derive_copies
-- The copies of the stories of the articles in _changed(id) (a derive step's: every article
-- written since the last one), for aggregates.derive: id, cell (hour, feed), story, `new`
-- (one of _changed), the story's copies stored now (n) and before this step (n_before), and
-- `fresh`: the cell was recomputed outside a derive step since the last one (agg_fresh_cells,
-- migration 010), so it counts pending articles already. Same two hash probes of `articles`
-- as agg_scope; the fresh cells are a small table. aggregates._derive_scope picks the copies
-- a derive step recomputes or adds (aggregates.refresh and aggregates.derive both read this).
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
sizes AS (
    SELECT story, count(*) AS n, count(*) FILTER (WHERE NOT new) AS n_before
    FROM copies
    GROUP BY story
),
fresh AS (
    SELECT DISTINCT hour, feed FROM agg_fresh_cells
)
SELECT c.id, c.hour, c.feed, c.story, c.new, s.n, s.n_before,
       f.hour IS NOT NULL AS fresh
FROM copies c
JOIN sizes s USING (story)
LEFT JOIN fresh f ON f.hour = c.hour AND f.feed = c.feed;
