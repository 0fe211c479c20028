-- name: agg_insert_day_quote_cells
-- Recompute agg_day_quote_cells for the days [$dlo, $dhi) from `quotes` (migration 007; run
-- after agg_article_spread is up to date: its rows in those days are the multi-copy stories
-- of every article there, since a multi-copy story is listed in each of its copies' cells).
-- Units are counted by their 128-bit md5: the distinct sets of whole quote texts over the
-- days ran out of the poller's 512 MB DuckDB memory_limit at 1M stored (bench_memory).
INSERT INTO agg_day_quote_cells
WITH multi AS (
    SELECT DISTINCT story FROM agg_article_spread WHERE hour >= $dlo AND hour < $dhi
)
SELECT date_trunc('day', q.published) AS day, q.speaker,
       count(DISTINCT md5_number(q.article_id || lower(q.text))),
       count(DISTINCT md5_number(coalesce(q.story_id, q.article_id) || lower(q.text)))
           FILTER (WHERE m.story IS NULL)
FROM quotes q LEFT JOIN multi m ON m.story = coalesce(q.story_id, q.article_id)
WHERE q.published >= $dlo AND q.published < $dhi AND q.speaker IS NOT NULL AND NOT q.partial
GROUP BY ALL;
