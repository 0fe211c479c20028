-- name: agg_append_mention_rows
-- The mention rows of the articles in _append_articles (agg_append_articles), with their
-- story, its copies (n) and `new`, kept as the transaction's TEMP table _append_mention_rows
-- for agg_append_mentions and agg_append_pairs: one scan of `mentions` instead of two ($lo/
-- $hi bound it, but an import's derive step spans most of the day's row groups).
CREATE OR REPLACE TEMP TABLE _append_mention_rows AS
SELECT m.article_id, m.published, m.feed, m.kind, m.entity_id, m.name, m.spokesperson,
       c.story, c.n, c.new
FROM mentions m JOIN _append_articles c ON c.id = m.article_id
WHERE m.published >= $lo AND m.published < $hi;
