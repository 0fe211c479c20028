-- name: terms_in_step
-- Whether the keyword index covers the stored articles: as many live docs as articles (every
-- writer of articles re-indexes what it wrote; stores built otherwise are rebuilt or scanned).
SELECT (SELECT count(*) FROM articles) = (SELECT count(*) FROM terms_docs);
