-- Where an episode's recap text came from, when it is not the project's own writing: Wikipedia's
-- text is CC BY-SA 4.0, so /recap names the article and links to the revision the text is from.
-- NULL for recaps people wrote (in the data file or in Discord). A Discord edit of the recap
-- clears them (bot/store/edits.py): the credit never outlives the text it belongs to.
ALTER TABLE episodes ADD COLUMN recap_site TEXT;
ALTER TABLE episodes ADD COLUMN recap_article TEXT;
ALTER TABLE episodes ADD COLUMN recap_revision INTEGER;
