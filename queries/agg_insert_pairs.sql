-- name: agg_insert_pairs
-- Recompute agg_pair_cells for the cells whose articles are in _cell_articles(id, story, n)
-- (see migration 004; $lo/$hi bound their hours so the mentions scan is pruned). Returns the
-- new rows as day-grain counts (aggregates: the day pair cells are updated by the difference).
INSERT INTO agg_pair_cells
WITH m AS (
    SELECT DISTINCT m.article_id, date_trunc('hour', m.published) AS hour, m.feed, c.n,
           m.entity_id, m.name
    FROM mentions m JOIN _cell_articles c ON c.id = m.article_id
    WHERE m.kind = 'country' AND m.published >= $lo AND m.published < $hi
)
SELECT a.hour, a.feed, a.entity_id, a.name, b.entity_id, b.name, count(*),
       count(*) FILTER (WHERE a.n = 1)
FROM m a JOIN m b ON a.article_id = b.article_id AND a.entity_id < b.entity_id
GROUP BY ALL
RETURNING date_trunc('day', hour) AS day, country_a, name_a, country_b, name_b, articles,
          solo_stories;
