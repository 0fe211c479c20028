-- name: terms_fold
-- How the index sees the text of one keyword literal: its word runs, folded as the indexed
-- tokens are, and whether its first / last character is a word character for RE2 (the same
-- class as in keyword.py's patterns, case-folded).
SELECT list_transform(
           regexp_extract_all(terms_fold_text($text), '(?i)[\pL\pN_]+'),
           lambda x: terms_fold_token(x)
       ) AS runs,
       regexp_matches($text, '(?i)^[\pL\pN_]') AS word_start,
       regexp_matches($text, '(?i)[\pL\pN_]$') AS word_end;
