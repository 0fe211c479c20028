-- name: agg_pair_delta_days
-- The day-grain difference agg_merge_pair_cells makes (_pair_rows), in agg_insert_pairs'
-- RETURNING shape (aggregates: the day pair cells are updated by it).
SELECT date_trunc('day', hour) AS day, country_a, name_a, country_b, name_b,
       (count(*) FILTER (WHERE kind = 'add'))::INTEGER AS articles,
       sum(CASE WHEN kind = 'add' THEN (n = 1)::INTEGER ELSE -1 END)::INTEGER AS solo_stories
FROM _pair_rows
WHERE kind <> 'have'
GROUP BY ALL;
