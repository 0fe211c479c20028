-- name: agg_day_pair_changes
-- The day pair groups whose counts the recomputed hour cells change: _day_pair_rows holds the
-- cells' dropped pair rows with negative counts and their new rows (agg_delete_pair_cells,
-- agg_insert_pairs), summed per day group; groups that came back as they were (the recomputed
-- cells of a batch's older copies, mostly) are left out (migration 006).
SELECT day, country_a, name_a, country_b, name_b,
       sum(articles) AS articles, sum(solo_stories) AS solo_stories
FROM _day_pair_rows
GROUP BY ALL
HAVING sum(articles) <> 0 OR sum(solo_stories) <> 0;
