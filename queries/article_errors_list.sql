-- name: article_errors_list
-- Articles stored without their cleaning or extraction (which raised), newest first, with
-- the error (NULL feed = every feed; $n rows at most). The dashboard's feed-health page and
-- `monitor errors` show them.
SELECT e.recorded_at, e.feed, e.article_id, e.url, e.title, e.stage, e.error_type, e.message,
       e.traceback
FROM article_errors e
WHERE $feed IS NULL OR e.feed = $feed
ORDER BY e.recorded_at DESC, e.feed, e.article_id
LIMIT $n;
