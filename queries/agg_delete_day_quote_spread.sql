-- name: agg_delete_day_quote_spread
-- Drop agg_day_quote_spread's rows of the groups (day, speaker) named by _scope(hour, feed,
-- speaker) before recomputing them (007).
DELETE FROM agg_day_quote_spread d
WHERE d.day >= $dlo AND d.day < $dhi
  AND EXISTS (
      SELECT 1 FROM _scope s WHERE s.speaker = d.speaker AND date_trunc('day', s.hour) = d.day
  );
