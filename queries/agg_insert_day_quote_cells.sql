-- name: agg_insert_day_quote_cells
-- Recompute agg_day_quote_cells' groups (day, speaker) named by _scope(hour, feed, speaker)
-- from `quotes` (migration 007; run after agg_article_spread is up to date: its rows in those
-- days are the multi-copy stories of every article there, since a multi-copy story is listed
-- in each of its copies' cells). Only the named speakers' quotes of those days are hashed: a
-- whole day's distinct units ran out of the poller's DuckDB memory_limit at 1M stored
-- (bench_memory). Units are counted by their 128-bit md5 for the same reason. Each count is
-- a grouping of DISTINCT rows instead of a count(DISTINCT) aggregate: same counts, ~20% less
-- CPU (derive8), and DuckDB's grouping operator may spill under the memory_limit (a 2,000-
-- article derive step ran out of memory here at 1.19M stored in round 7; not re-measured).
INSERT INTO agg_day_quote_cells
WITH multi AS (
    SELECT DISTINCT story FROM agg_article_spread WHERE hour >= $dlo AND hour < $dhi
),
groups AS (
    SELECT DISTINCT date_trunc('day', hour) AS day, speaker FROM _scope
    WHERE speaker IS NOT NULL
),
units AS (
    SELECT g.day, q.speaker, md5_number(q.article_id || lower(q.text)) AS unit,
           CASE WHEN m.story IS NULL
                THEN md5_number(coalesce(q.story_id, q.article_id) || lower(q.text))
           END AS solo_unit
    FROM quotes q
    JOIN groups g ON g.day = date_trunc('day', q.published) AND g.speaker = q.speaker
    LEFT JOIN multi m ON m.story = coalesce(q.story_id, q.article_id)
    WHERE q.published >= $dlo AND q.published < $dhi AND NOT q.partial
),
article_units AS (
    SELECT day, speaker, count(*) AS n FROM (SELECT DISTINCT day, speaker, unit FROM units)
    GROUP BY ALL
),
solo_units AS (
    SELECT day, speaker, count(*) AS n
    FROM (SELECT DISTINCT day, speaker, solo_unit FROM units WHERE solo_unit IS NOT NULL)
    GROUP BY ALL
)
SELECT a.day, a.speaker, a.n, coalesce(s.n, 0)
FROM article_units a LEFT JOIN solo_units s USING (day, speaker);
