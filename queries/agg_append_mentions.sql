-- name: agg_append_mentions
-- The mentions of the articles in _append_articles (agg_append_articles), one row per
-- article and entity, kept as the transaction's TEMP table _append_mentions: the mention and
-- quoted cells and spreads, hour and day grain, are groupings of it (as agg_cell_mentions
-- for a recompute). `quoted`: the article has a quote (004), in _append_quotes
-- (agg_append_quote_rows). $lo/$hi bound the articles' hours for the mentions scan.
CREATE OR REPLACE TEMP TABLE _append_mentions AS
SELECT date_trunc('hour', m.published) AS hour, m.feed, m.kind, m.entity_id, m.article_id,
       c.story, c.n, c.new, any_value(m.name) AS name, bool_or(m.spokesperson) AS spokesperson,
       m.article_id IN (SELECT article_id FROM _append_quotes) AS quoted
FROM mentions m JOIN _append_articles c ON c.id = m.article_id
WHERE m.published >= $lo AND m.published < $hi
GROUP BY date_trunc('hour', m.published), m.feed, m.kind, m.entity_id, m.article_id, c.story,
         c.n, c.new;
