-- name: agg_append_day_quote_spread
-- Add to agg_day_quote_spread the units of the append step's multi-copy stories per day and
-- speaker not held yet (migration 007; $dlo/$dhi bound the days read). The articles' quote
-- rows are read from _append_quotes (agg_append_quote_rows).
INSERT INTO agg_day_quote_spread
WITH fresh AS (
    SELECT DISTINCT date_trunc('day', published) AS day, speaker,
           coalesce(story_id, article_id) || lower(text) AS unit
    FROM _append_quotes
    WHERE speaker IS NOT NULL AND NOT partial AND n > 1
),
have AS (
    SELECT day, speaker, unit FROM agg_day_quote_spread
    WHERE day >= $dlo AND day < $dhi AND unit IN (SELECT unit FROM fresh)
)
SELECT f.day, f.speaker, f.unit
FROM fresh f ANTI JOIN have h ON h.day = f.day AND h.speaker = f.speaker AND h.unit = f.unit;
