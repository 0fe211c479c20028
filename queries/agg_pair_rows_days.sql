-- name: agg_pair_rows_days
-- The day-grain difference the additive pair cells make (_pair_rows: one article per row),
-- in agg_insert_pairs' RETURNING shape (aggregates: the day pair cells are updated by it).
SELECT date_trunc('day', hour) AS day, country_a, name_a, country_b, name_b,
       count(*)::INTEGER AS articles, (count(*) FILTER (WHERE n = 1))::INTEGER AS solo_stories
FROM _pair_rows
GROUP BY ALL;
