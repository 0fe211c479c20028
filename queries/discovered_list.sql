-- name: discovered_list
-- Officials found by title patterns who are not in the registry, most seen first.
SELECT name, title, country, first_seen, last_seen, articles, promoted
FROM discovered_officials
ORDER BY articles DESC, name;
