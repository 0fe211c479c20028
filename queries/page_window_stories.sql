-- name: page_window_stories
-- The stories of the articles in _w(id), all published at or after $after, and the other
-- copies of those stories published before $after (the earlier copies the article page must
-- see to pick each story's earliest matching copy; dashboard.newest_stories_page).
WITH s AS (
    SELECT DISTINCT coalesce(story_id, id) AS story FROM articles
    WHERE published >= $after AND id IN (SELECT id FROM _w)
)
SELECT s.story, min(a.published) AS earliest
FROM s LEFT JOIN articles a
    ON coalesce(a.story_id, a.id) = s.story AND a.published < $after
GROUP BY s.story;
