-- name: page_newest_published
-- The newest publication time within the date filter (the start of the article page's
-- newest-first window, dashboard.newest_stories_page).
SELECT max(published) AS newest
FROM articles
WHERE ($since IS NULL OR published >= $since) AND ($until IS NULL OR published < $until);
