-- name: agg_take_pair_cells
-- Remove the agg_pair_cells rows of the cells _pair_rows adds to or flips that hold an
-- article counted before (_pair_old_cells(hour, feed): the others have no rows yet) and
-- return them: agg_merge_pair_cells puts them back with the step's differences. Whole cells:
-- a hash probe of (hour, feed), as agg_delete_pair_cells. $lo/$hi bound the hours.
DELETE FROM agg_pair_cells c
WHERE c.hour >= $lo AND c.hour < $hi
  AND EXISTS (
      SELECT 1 FROM _pair_old_cells k
      WHERE k.hour = c.hour AND k.feed = c.feed
        AND EXISTS (
            SELECT 1 FROM _pair_rows r
            WHERE r.kind <> 'have' AND r.hour = k.hour AND r.feed = k.feed
        )
  )
RETURNING hour, feed, country_a, name_a, country_b, name_b, articles, solo_stories;
