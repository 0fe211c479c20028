-- name: upsert_discovered
-- Fold the registered `_disc` rows (officials found by title patterns) into the table.
INSERT INTO discovered_officials AS d (name, title, country, first_seen, last_seen, articles)
SELECT name, title, country, first_seen, last_seen, articles FROM _disc
ON CONFLICT (name) DO UPDATE SET
    title = coalesce(d.title, excluded.title),
    country = coalesce(d.country, excluded.country),
    first_seen = least(d.first_seen, excluded.first_seen),
    last_seen = greatest(d.last_seen, excluded.last_seen),
    articles = d.articles + excluded.articles;
