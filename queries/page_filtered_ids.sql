-- name: page_filtered_ids
-- Ids of the articles that pass every dashboard filter. The keyword query's matches are
-- registered by the caller as the Arrow table _kw (used only when $use_kw); countries,
-- officials and speakers match when the article mentions/quotes any of the chosen ones.
-- $after/$before (NULL: no bound) narrow to a time window, and $use_stories to the stories
-- in the Arrow table _stories(story) (the article page's newest-first window, see
-- dashboard.newest_stories_page); mentions and quotes carry their article's time, so the
-- window bounds their scans too (zone maps).
SELECT a.id
FROM articles a
WHERE ($since IS NULL OR a.published >= $since)
  AND ($until IS NULL OR a.published < $until)
  AND ($after IS NULL OR a.published >= $after)
  AND ($before IS NULL OR a.published < $before)
  AND (NOT $use_stories OR coalesce(a.story_id, a.id) IN (SELECT story FROM _stories))
  AND ($sources IS NULL OR a.feed = ANY($sources::VARCHAR[]))
  AND ($languages IS NULL OR a.language = ANY($languages::VARCHAR[]))
  AND (NOT $use_kw OR a.id IN (SELECT id FROM _kw))
  AND ($countries IS NULL OR a.id IN (
        SELECT article_id FROM mentions
        WHERE kind = 'country' AND entity_id = ANY($countries::VARCHAR[])
          AND ($after IS NULL OR published >= $after)
          AND ($before IS NULL OR published < $before)))
  AND ($officials IS NULL OR a.id IN (
        SELECT article_id FROM mentions
        WHERE kind = 'official' AND entity_id = ANY($officials::VARCHAR[])
          AND ($after IS NULL OR published >= $after)
          AND ($before IS NULL OR published < $before)))
  AND ($speakers IS NULL OR a.id IN (
        SELECT article_id FROM quotes WHERE speaker = ANY($speakers::VARCHAR[])
          AND ($after IS NULL OR published >= $after)
          AND ($before IS NULL OR published < $before)))
  AND (NOT $spokes OR a.id IN (
        SELECT article_id FROM quotes WHERE spokesperson
          AND ($after IS NULL OR published >= $after)
          AND ($before IS NULL OR published < $before)));
