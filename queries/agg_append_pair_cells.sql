-- name: agg_append_pair_cells
-- Append to agg_pair_cells the append step's differences per cell and pair (_append_pairs,
-- weighted as in agg_append_cells; migration 004).
INSERT INTO agg_pair_cells
SELECT hour, feed, country_a, name_a, country_b, name_b, count(*) FILTER (WHERE new),
       count(*) FILTER (WHERE new AND n = 1) - count(*) FILTER (WHERE NOT new)
FROM _append_pairs
GROUP BY ALL;
