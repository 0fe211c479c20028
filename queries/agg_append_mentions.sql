-- name: agg_append_mentions
-- The mentions of the articles in _append_articles (agg_append_articles), one row per
-- article and entity, kept as the transaction's TEMP table _append_mentions: the mention and
-- quoted cells and spreads, hour and day grain, are groupings of it (as agg_cell_mentions
-- for a recompute). Read from their rows in _append_mention_rows (agg_append_mention_rows);
-- `quoted`: the article has a quote (004), in _append_quotes (agg_append_quote_rows).
CREATE OR REPLACE TEMP TABLE _append_mentions AS
SELECT date_trunc('hour', published) AS hour, feed, kind, entity_id, article_id, story, n,
       new, any_value(name) AS name, bool_or(spokesperson) AS spokesperson,
       article_id IN (SELECT article_id FROM _append_quotes) AS quoted
FROM _append_mention_rows
GROUP BY date_trunc('hour', published), feed, kind, entity_id, article_id, story, n, new;
