-- name: agg_article_count
-- page_article_count from the pre-aggregates (dates and sources only; see agg_source_series).
SELECT coalesce((SELECT sum(articles) FROM agg_article_cells
                 WHERE ($since IS NULL OR hour >= $since) AND ($until IS NULL OR hour < $until)
                   AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))), 0)::BIGINT AS articles,
       coalesce((SELECT sum(solo_stories) FROM agg_article_cells
                 WHERE ($since IS NULL OR hour >= $since) AND ($until IS NULL OR hour < $until)
                   AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))), 0)::BIGINT
       + (SELECT count(DISTINCT story) FROM agg_article_spread
          WHERE ($since IS NULL OR hour >= $since) AND ($until IS NULL OR hour < $until)
            AND ($sources IS NULL OR feed = ANY($sources::VARCHAR[]))) AS stories;
