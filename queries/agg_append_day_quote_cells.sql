-- name: agg_append_day_quote_cells
-- Append to agg_day_quote_cells the append step's differences per day and speaker
-- (migration 007): a new article adds its distinct units (lower-cased texts of its named,
-- non-partial quotes) to units, and to solo_units when its story has one copy; an older
-- copy that stopped being solo takes its units off solo_units. An article lies in one day,
-- and a solo story's units are its one article's, so both counts are sums per article.
-- The articles' quote rows are read from _append_quotes (agg_append_quote_rows).
INSERT INTO agg_day_quote_cells
WITH units AS (
    SELECT DISTINCT date_trunc('day', published) AS day, speaker, article_id,
           lower(text) AS text, n, new
    FROM _append_quotes
    WHERE speaker IS NOT NULL AND NOT partial
)
SELECT day, speaker, count(*) FILTER (WHERE new),
       count(*) FILTER (WHERE new AND n = 1) - count(*) FILTER (WHERE NOT new)
FROM units
GROUP BY ALL;
