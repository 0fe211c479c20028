-- name: page_filtered_ids
-- Ids of the articles that pass every dashboard filter. The keyword query's matches are
-- registered by the caller as the Arrow table _kw (used only when $use_kw); countries,
-- officials and speakers match when the article mentions/quotes any of the chosen ones.
SELECT a.id
FROM articles a
WHERE ($since IS NULL OR a.published >= $since)
  AND ($until IS NULL OR a.published < $until)
  AND ($sources IS NULL OR a.feed = ANY($sources::VARCHAR[]))
  AND ($languages IS NULL OR a.language = ANY($languages::VARCHAR[]))
  AND (NOT $use_kw OR a.id IN (SELECT id FROM _kw))
  AND ($countries IS NULL OR a.id IN (
        SELECT article_id FROM mentions
        WHERE kind = 'country' AND entity_id = ANY($countries::VARCHAR[])))
  AND ($officials IS NULL OR a.id IN (
        SELECT article_id FROM mentions
        WHERE kind = 'official' AND entity_id = ANY($officials::VARCHAR[])))
  AND ($speakers IS NULL OR a.id IN (
        SELECT article_id FROM quotes WHERE speaker = ANY($speakers::VARCHAR[])))
  AND (NOT $spokes OR a.id IN (SELECT article_id FROM quotes WHERE spokesperson));
