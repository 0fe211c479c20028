-- name: page_article_quotes
-- Quotes in one article, in text order.
SELECT seq, speaker, speaker_role, spokesperson, cue, text, start_pos, end_pos, partial,
       speaker_via_pronoun
FROM quotes WHERE article_id = $id ORDER BY start_pos;
