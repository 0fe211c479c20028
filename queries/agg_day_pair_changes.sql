-- name: agg_day_pair_changes
-- The day pair groups the recomputed hour cells touch, with the difference of their counts:
-- _day_pair_rows holds the cells' dropped pair rows with negative counts and their new rows
-- (agg_delete_pair_cells, agg_insert_pairs), summed per day group (migration 006). Every
-- touched group is returned, one row each: they are the day pair spread's groups too (the
-- hour rows repeat a group ~13 times on corpus A, and the spread statements hashed every
-- repeat); aggregates keeps the ones whose counts changed for the day pair cells.
SELECT day, country_a, name_a, country_b, name_b,
       sum(articles) AS articles, sum(solo_stories) AS solo_stories
FROM _day_pair_rows
GROUP BY ALL;
