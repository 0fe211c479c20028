-- name: agg_append_cells
-- Append to agg_mention_cells the differences the append step's articles make (migration
-- 003): a new article adds 1 to articles (and to solo_stories when its story has one copy);
-- an older copy that stopped being solo (new = false) takes 1 off solo_stories. A key may
-- then have several rows: their sums are its counts (aggregates.compact merges them).
INSERT INTO agg_mention_cells
SELECT hour, feed, kind, entity_id, any_value(name), count(*) FILTER (WHERE new),
       count(*) FILTER (WHERE new AND n = 1) - count(*) FILTER (WHERE NOT new),
       bool_or(spokesperson)
FROM _append_mentions
GROUP BY hour, feed, kind, entity_id;
