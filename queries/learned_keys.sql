-- name: learned_keys
-- Keys of the paragraphs learned as boilerplate of one feed.
SELECT key FROM learned_boilerplate WHERE feed = $feed ORDER BY key;
