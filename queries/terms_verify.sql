-- name: terms_verify
-- The docs in _terms_cand(doc) whose article matches the RE2 $pattern (the exact check for
-- literals the postings only narrow: phrases, punctuation). Title and text separately unless
-- $joined (see page_keyword_ids). The candidates are materialised first so the regex runs on
-- them only, not pushed down into a scan of every article.
WITH cand AS MATERIALIZED (
    SELECT d.doc, a.title, a.text
    FROM terms_docs d
    JOIN articles a ON a.id = d.article_id
    WHERE d.doc IN (SELECT doc FROM _terms_cand)
)
SELECT doc
FROM cand
WHERE CASE WHEN $joined
           THEN regexp_matches(coalesce(title, '') || ' ' || coalesce(text, ''), $pattern)
           ELSE regexp_matches(coalesce(title, ''), $pattern)
                OR regexp_matches(coalesce(text, ''), $pattern)
      END;
