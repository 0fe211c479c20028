-- name: insert_learned
-- Remember one paragraph learned as a feed's boilerplate.
INSERT INTO learned_boilerplate (feed, key, text, learned_at)
VALUES ($feed, $key, $text, $at)
ON CONFLICT DO NOTHING;
