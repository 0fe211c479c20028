-- name: page_headline
-- Headline figures over the filtered articles (_f, dates ignored by the caller): articles
-- and unique stories since $today, their daily average over the 7 days before, feeds polled
-- and the last successful poll.
WITH f AS (
    SELECT a.published, coalesce(a.story_id, a.id) AS story
    FROM articles a
    WHERE (NOT $use_f OR a.id IN (SELECT id FROM _f))
      AND ($since IS NULL OR a.published >= $since) AND ($until IS NULL OR a.published < $until)
      AND ($sources IS NULL OR a.feed = ANY($sources::VARCHAR[]))
      AND a.published >= $today - INTERVAL 7 DAY  -- what the figures count; prunes the scan
)
SELECT
    count(*) FILTER (WHERE published >= $today) AS articles_today,
    count(DISTINCT story) FILTER (WHERE published >= $today) AS stories_today,
    count(*) FILTER (WHERE published >= $today - INTERVAL 7 DAY AND published < $today) / 7.0
        AS articles_avg7,
    count(DISTINCT story) FILTER (WHERE published >= $today - INTERVAL 7 DAY
                                    AND published < $today) / 7.0 AS stories_avg7,
    (SELECT count(*) FROM feed_state WHERE last_fetch_at IS NOT NULL) AS sources_polled,
    (SELECT max(last_success_at) FROM feed_state) AS last_success
FROM f;
