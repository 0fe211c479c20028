-- name: agg_day_pair_spread_changes
-- The (day, country_a, country_b, story) keys of agg_day_pair_spread that can change after the
-- scope's hour cells were recomputed: _day_pair_spread_rows holds the dropped hour pair spread
-- rows with n = -1 (agg_delete_pair_spread) and the new ones with n = 1
-- (agg_insert_pair_spread). A day row exists while any hour row of its day has its key (names
-- included); where the hour rows per key and names sum to 0 their number did not change and
-- neither did the day rows (migration 006).
SELECT DISTINCT day, country_a, country_b, story
FROM (
    SELECT day, country_a, name_a, country_b, name_b, story
    FROM _day_pair_spread_rows
    GROUP BY ALL
    HAVING sum(n) <> 0
);
