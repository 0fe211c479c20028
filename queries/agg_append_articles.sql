-- name: agg_append_articles
-- The articles an append-only derive step (aggregates.append) counts: the new articles in
-- _changed(id) (P: never counted before) and the older copy of every story of theirs that
-- had exactly one older copy (F: counted as solo until now, multi-copy from now on). Each row
-- carries its story, cell (hour, feed), `published` (for the scans' bounds), the story's
-- copies stored now (n) and `new` (P). Older copies of stories that had 2+ older copies
-- count as they did (not solo before or after, already in their spread rows): left out.
-- Two single-column hash probes of `articles` (id, then the story key), as agg_derive_scope.
WITH stories AS (
    SELECT DISTINCT coalesce(story_id, id) AS story FROM articles
    WHERE id IN (SELECT id FROM _changed)
),
copies AS (
    SELECT id, coalesce(story_id, id) AS story, date_trunc('hour', published) AS hour, feed,
           published, id IN (SELECT id FROM _changed) AS new
    FROM articles
    WHERE coalesce(story_id, id) IN (SELECT story FROM stories)
),
sizes AS (
    SELECT story, count(*) AS n, count(*) FILTER (WHERE NOT new) AS older
    FROM copies GROUP BY story
)
SELECT c.id, c.story, c.hour, c.feed, c.published, s.n, c.new
FROM copies c JOIN sizes s USING (story)
WHERE c.new OR s.older = 1;
