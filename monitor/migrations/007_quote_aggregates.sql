-- 007: quotes per day and speaker over all feeds, for the quote timeline (Officials page)
-- with no speaker/spokesperson choice and no source chosen, day or week buckets. The
-- filters' dates are whole days, so summing days is exact. Maintained by
-- monitor/aggregates.py: the batch's whole days are recomputed from `quotes`, a story's
-- copies counted from agg_article_spread (004), which lists every multi-copy story in each
-- of its copies' cells.
--
-- A quote's unit is what page_quote_series counts distinct: the article's (or, for unique
-- stories, the story's) key followed by the lower-cased text; only named, non-partial quotes.
-- agg_day_quote_cells: per day and speaker, the distinct article units (an article lies in
--   one day: additive) and the distinct units of single-copy stories (likewise additive).
-- agg_day_quote_spread: the distinct story units of multi-copy stories per day and speaker
--   (a story's copies can span days: counted distinct at query time).

CREATE TABLE agg_day_quote_cells (
    day          TIMESTAMP NOT NULL,
    speaker      VARCHAR NOT NULL,
    units        INTEGER NOT NULL,
    solo_units   INTEGER NOT NULL
);

CREATE TABLE agg_day_quote_spread (
    day      TIMESTAMP NOT NULL,
    speaker  VARCHAR NOT NULL,
    unit     VARCHAR NOT NULL
);

-- existing data (same SQL as queries/agg_insert_day_quote_cells.sql / _spread.sql, all days)
CREATE TEMP TABLE _agg_multi AS SELECT DISTINCT story FROM agg_article_spread;

INSERT INTO agg_day_quote_cells
SELECT date_trunc('day', q.published) AS day, q.speaker,
       count(DISTINCT md5_number(q.article_id || lower(q.text))),
       count(DISTINCT md5_number(coalesce(q.story_id, q.article_id) || lower(q.text)))
           FILTER (WHERE m.story IS NULL)
FROM quotes q LEFT JOIN _agg_multi m ON m.story = coalesce(q.story_id, q.article_id)
WHERE q.speaker IS NOT NULL AND NOT q.partial
GROUP BY ALL
ORDER BY day, q.speaker;

INSERT INTO agg_day_quote_spread
SELECT DISTINCT date_trunc('day', q.published) AS day, q.speaker,
       coalesce(q.story_id, q.article_id) || lower(q.text)
FROM quotes q SEMI JOIN _agg_multi m ON m.story = coalesce(q.story_id, q.article_id)
WHERE q.speaker IS NOT NULL AND NOT q.partial
ORDER BY day;

DROP TABLE _agg_multi;
