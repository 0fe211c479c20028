-- name: agg_merge_pair_cells
-- Put back the cells agg_take_pair_cells removed (_pair_old) plus the differences of
-- _pair_rows: an 'add' row is one more article (and solo story when its story has one copy),
-- a 'flip' row one solo story less. The sums equal a recompute of the cell (migration 004):
-- its other articles count as they did.
INSERT INTO agg_pair_cells
SELECT hour, feed, country_a, name_a, country_b, name_b, sum(articles), sum(solo_stories)
FROM (
    SELECT hour, feed, country_a, name_a, country_b, name_b, articles, solo_stories
    FROM _pair_old
    UNION ALL
    SELECT hour, feed, country_a, name_a, country_b, name_b, (kind = 'add')::INTEGER,
           CASE WHEN kind = 'add' THEN (n = 1)::INTEGER ELSE -1 END
    FROM _pair_rows
    WHERE kind <> 'have'
)
GROUP BY ALL
HAVING sum(articles) > 0;
