-- name: agg_entity_totals
-- page_entity_totals from the pre-aggregates (dates and sources only; see agg_entity_series).
WITH c AS (
    SELECT entity_id, name, spokesperson,
           CASE WHEN $unique THEN solo_stories ELSE articles END AS n
    FROM agg_mention_cells
    WHERE kind = $kind
      AND ($since IS NULL OR hour >= $since) AND ($until IS NULL OR hour < $until)
      AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
),
s AS (
    SELECT entity_id, count(DISTINCT story) AS n FROM agg_mention_spread
    WHERE $unique AND kind = $kind
      AND ($since IS NULL OR hour >= $since) AND ($until IS NULL OR hour < $until)
      AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
    GROUP BY entity_id
),
t AS (
    SELECT entity_id, any_value(name) AS name, sum(n) AS n, bool_or(spokesperson) AS spokesperson
    FROM c GROUP BY entity_id
)
SELECT t.entity_id, t.name, (t.n + coalesce(s.n, 0))::BIGINT AS mentions, t.spokesperson
FROM t LEFT JOIN s USING (entity_id)
ORDER BY mentions DESC, entity_id;
