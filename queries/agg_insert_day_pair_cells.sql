-- name: agg_insert_day_pair_cells
-- Put back agg_day_pair_cells' changed groups: their old rows (_day_pair_old, returned by
-- agg_delete_day_pair_cells) plus the difference of their hour rows (_day_pair_delta: the
-- recomputed cells' new rows minus their old ones). Both counts are sums over the day's hour
-- cells, so the sum equals a recompute from the hour table without reading the day's other
-- cells; a group whose articles reach 0 has no hour row left (migration 006).
INSERT INTO agg_day_pair_cells
SELECT day, country_a, name_a, country_b, name_b, sum(articles), sum(solo_stories)
FROM (
    SELECT day, country_a, name_a, country_b, name_b, articles, solo_stories
    FROM _day_pair_old
    UNION ALL
    SELECT day, country_a, name_a, country_b, name_b, articles, solo_stories
    FROM _day_pair_delta
)
GROUP BY ALL
HAVING sum(articles) > 0;
