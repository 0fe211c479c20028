-- name: insert_learned_rows
-- Remember the paragraphs learned as feeds' boilerplate in one transaction, from the Arrow
-- table _learned (feed, key, text, learned_at; one row per (feed, key)): one statement per
-- transaction instead of one per key (~5 ms each: 300 of them in a 20k-article import).
INSERT INTO learned_boilerplate (feed, key, text, learned_at)
SELECT feed, key, text, learned_at FROM _learned
ON CONFLICT DO NOTHING;
