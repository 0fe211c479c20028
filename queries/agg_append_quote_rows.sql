-- name: agg_append_quote_rows
-- The quote rows of the articles in _append_articles (agg_append_articles), with their
-- story's copies (n) and `new`, kept as the transaction's TEMP table _append_quotes: read by
-- agg_append_mentions (which articles quote anyone), agg_append_day_quote_cells and
-- agg_append_day_quote_spread. One scan of `quotes` instead of three: $lo/$hi bound it, but
-- an import's derive step spans most of the day, so each scan read the day's row groups and
-- the `quoted` test hashed every quote in them (EXPLAIN ANALYZE, 100k-article store: 444k
-- rows, ~30 ms a step).
CREATE OR REPLACE TEMP TABLE _append_quotes AS
SELECT q.article_id, q.published, q.speaker, q.text, q.partial, q.story_id, c.n, c.new
FROM quotes q JOIN _append_articles c ON c.id = q.article_id
WHERE q.published >= $lo AND q.published < $hi;
