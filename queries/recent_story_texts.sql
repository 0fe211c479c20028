-- name: recent_story_texts
-- Cleaned texts of the last $days days, oldest first, to warm the story index at start-up.
SELECT id, text, published
FROM articles
WHERE published >= (SELECT max(published) FROM articles) - to_days(CAST($days AS INTEGER))
ORDER BY published, id;
