-- name: discovered_promote
-- Mark a discovered official as promoted into the user's registry file.
UPDATE discovered_officials SET promoted = TRUE WHERE name = $name RETURNING name, title, country;
