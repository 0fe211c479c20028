-- name: agg_scope_speakers
-- The (hour, feed, speaker) of the counted quotes of the articles in _copies(id) (agg_scope's
-- story copies): the quote day cells (day, speaker) their rows count in, recomputed with their
-- cells (migration 007's tables). $lo/$hi bound the copies' hours (a quote carries its
-- article's published time and feed), so the scan of `quotes` is pruned by its zone maps.
SELECT DISTINCT date_trunc('hour', q.published) AS hour, q.feed, q.speaker
FROM quotes q SEMI JOIN _copies c ON c.id = q.article_id
WHERE q.published >= $lo AND q.published < $hi AND q.speaker IS NOT NULL AND NOT q.partial;
