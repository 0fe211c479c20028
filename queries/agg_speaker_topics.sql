-- name: agg_speaker_topics
-- page_speaker_topics from the pre-aggregates for every speaker (no speaker or spokesperson
-- choice) when only dates/sources filter: the mention cells of articles that quote anyone
-- (migration 004); story counts are the solo stories summed plus the distinct multi-copy ones.
WITH c AS (
    SELECT kind, entity_id, any_value(name) AS name,
           sum(CASE WHEN $unique THEN solo_stories ELSE articles END) AS n
    FROM agg_quoted_cells
    WHERE ($since IS NULL OR hour >= $since) AND ($until IS NULL OR hour < $until)
      AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
    GROUP BY kind, entity_id
),
s AS (
    SELECT kind, entity_id, count(DISTINCT story) AS n
    FROM agg_quoted_spread
    WHERE $unique AND ($since IS NULL OR hour >= $since) AND ($until IS NULL OR hour < $until)
      AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))
    GROUP BY kind, entity_id
)
SELECT c.kind, c.entity_id, c.name, (c.n + coalesce(s.n, 0))::BIGINT AS articles
FROM c LEFT JOIN s USING (kind, entity_id)
ORDER BY articles DESC, c.entity_id
LIMIT $limit;
