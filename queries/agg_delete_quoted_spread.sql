-- name: agg_delete_quoted_spread
-- Drop the rows of agg_quoted_spread in the cells of _scope(hour, feed) before recomputing them
-- ($lo/$hi bound the cells' hours: the scan skips the rest by zone maps).
DELETE FROM agg_quoted_spread c
WHERE c.hour >= $lo AND c.hour < $hi
  AND EXISTS (SELECT 1 FROM _scope s WHERE s.hour = c.hour AND s.feed = c.feed);
