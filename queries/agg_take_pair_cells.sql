-- name: agg_take_pair_cells
-- Remove the agg_pair_cells rows of the keys _pair_rows adds to and return them whole
-- (agg_add_pair_cells inserts their sums with the new articles'). $lo/$hi bound the hours.
DELETE FROM agg_pair_cells c
WHERE c.hour >= $lo AND c.hour < $hi
  AND EXISTS (
      SELECT 1 FROM _pair_rows r
      WHERE r.hour = c.hour AND r.feed = c.feed AND r.country_a = c.country_a
        AND r.name_a = c.name_a AND r.country_b = c.country_b AND r.name_b = c.name_b
  )
RETURNING hour, feed, country_a, name_a, country_b, name_b, articles, solo_stories;
