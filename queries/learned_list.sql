-- name: learned_list
-- Paragraphs learned as a feed's boilerplate (NULL feed = every feed).
SELECT feed, text, learned_at FROM learned_boilerplate
WHERE $feed IS NULL OR feed = $feed
ORDER BY feed, text;
