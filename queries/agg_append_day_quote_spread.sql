-- name: agg_append_day_quote_spread
-- Add to agg_day_quote_spread the units of the append step's multi-copy stories per day and
-- speaker not held yet (migration 007; $dlo/$dhi bound the days read).
INSERT INTO agg_day_quote_spread
WITH fresh AS (
    SELECT DISTINCT date_trunc('day', q.published) AS day, q.speaker,
           coalesce(q.story_id, q.article_id) || lower(q.text) AS unit
    FROM quotes q JOIN _append_articles c ON c.id = q.article_id
    WHERE q.published >= $lo AND q.published < $hi AND q.speaker IS NOT NULL
      AND NOT q.partial AND c.n > 1
),
have AS (
    SELECT day, speaker, unit FROM agg_day_quote_spread
    WHERE day >= $dlo AND day < $dhi AND unit IN (SELECT unit FROM fresh)
)
SELECT f.day, f.speaker, f.unit
FROM fresh f ANTI JOIN have h ON h.day = f.day AND h.speaker = f.speaker AND h.unit = f.unit;
