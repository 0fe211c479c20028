-- name: agg_add_pair_cells
-- Insert the pair cells _pair_rows adds to: the old rows (_pair_old, agg_take_pair_cells)
-- plus one article per row of _pair_rows, solo when its story has one copy (migration 004).
INSERT INTO agg_pair_cells
SELECT hour, feed, country_a, name_a, country_b, name_b, sum(articles), sum(solo_stories)
FROM (
    SELECT hour, feed, country_a, name_a, country_b, name_b, articles, solo_stories
    FROM _pair_old
    UNION ALL
    SELECT hour, feed, country_a, name_a, country_b, name_b, 1, (n = 1)::INTEGER
    FROM _pair_rows
)
GROUP BY ALL;
